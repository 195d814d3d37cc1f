import type { MilestoneDefinition } from '../types.ts'
import { dateClaim } from '../vocabulary.ts'

/** Transfer decision (Dublin inadmissibility + transfer order) issued and served. */
export const transferDecision = {
  type: 'TransferDecisionMilestone',
  version: 1,
  stage: 'DECISION',
  title: {
    de: 'Überstellungsentscheidung erlassen und zugestellt',
    fr: 'Décision de transfert prise et notifiée',
    en: 'Transfer decision issued and served',
  },
  description:
    'BAMF decided that the application is inadmissible under the Dublin rules and ordered the transfer; the decision was served on the applicant.',
  milestoneDateMeaning: 'Date on which the decision was served (starts the one-week periods for remedies).',
  legalBasis: [
    'Art. 26 Reg. (EU) 604/2013',
    'Art. 42 Reg. (EU) 2024/1351',
    '§ 29(1) no. 1(a), § 34a, § 31 AsylG',
  ],
  issuableBy: ['BAMF_BRANCH_OFFICE', 'BAMF_DUBLIN_UNIT', 'FOREIGNERS_AUTHORITY'],
  claims: {
    properties: {
      issuedOn: dateClaim('Date on which the decision was issued.'),
    },
    required: ['issuedOn'],
  },
  feeds: [{ fact: '/transferDecisionServed', from: '/milestoneDate' }],
} as const satisfies MilestoneDefinition
