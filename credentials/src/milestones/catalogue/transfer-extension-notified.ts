import type { MilestoneDefinition } from '../types.ts'
import { enumClaim, extensionGrounds } from '../vocabulary.ts'

/** The responsible state was informed that the transfer period is extended (Art. 9(2) Reg. 1560/2003). */
export const transferExtensionNotified = {
  type: 'TransferExtensionNotifiedMilestone',
  version: 1,
  stage: 'TRANSFER',
  title: {
    de: 'Verlängerung der Überstellungsfrist mitgeteilt',
    fr: 'Prolongation du délai de transfert notifiée',
    en: 'Transfer-period extension notified',
  },
  description:
    'The transferring state informed the responsible state, through DubliNet, of the ground that extends the transfer period.',
  milestoneDateMeaning: 'Date on which the responsible state was informed.',
  legalBasis: [
    'Art. 29(2) Reg. (EU) 604/2013',
    'Art. 9(2) Reg. (EC) 1560/2003',
    'Art. 46(2) Reg. (EU) 2024/1351',
    'Art. 28 Reg. (EU) 2025/2055',
  ],
  issuableBy: ['BAMF_DUBLIN_UNIT'],
  claims: {
    properties: {
      ground: enumClaim(extensionGrounds, 'Ground of the extension.'),
    },
    required: ['ground'],
  },
  feeds: [
    { fact: '/extensionNotified/date', from: '/milestoneDate' },
    { fact: '/extensionNotified/ground', from: '/ground' },
  ],
} as const satisfies MilestoneDefinition
