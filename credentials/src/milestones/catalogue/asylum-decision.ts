import type { MilestoneDefinition } from '../types.ts'
import { dateClaim, enumClaim } from '../vocabulary.ts'

/** Decision on the application issued and served (other than a Dublin transfer decision). */
export const asylumDecision = {
  type: 'AsylumDecisionMilestone',
  version: 1,
  stage: 'DECISION',
  title: {
    de: 'Bescheid erlassen und zugestellt',
    fr: 'Décision rendue et notifiée',
    en: 'Decision issued and served',
  },
  description:
    'BAMF decided on the application and the decision was served; the outcome is coarse (it sets the procedure stage a verifier needs for Art. 18(1)(b)-(d)), never its reasons.',
  milestoneDateMeaning: 'Date on which the decision was served.',
  legalBasis: ['§ 31 AsylG', '§ 10 AsylG', 'Art. 18(1)(b)-(d) Reg. (EU) 604/2013'],
  issuableBy: ['BAMF_BRANCH_OFFICE', 'FOREIGNERS_AUTHORITY'],
  claims: {
    properties: {
      decisionType: enumClaim(
        ['protectionGranted', 'rejected', 'inadmissible', 'discontinued'],
        'Outcome: protection granted, rejected, inadmissible (other than Dublin), or discontinued (e.g. after withdrawal).',
      ),
      issuedOn: dateClaim('Date on which the decision was issued.'),
    },
    required: ['decisionType', 'issuedOn'],
  },
  feeds: [],
} as const satisfies MilestoneDefinition
