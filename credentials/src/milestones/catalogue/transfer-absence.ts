import type { MilestoneDefinition } from '../types.ts'
import { dublinStateClaim } from '../vocabulary.ts'

/**
 * No transfer to the responsible state up to the as-of day, attested by the authorities that carry out
 * transfers. A transfer period that ends without a transfer shifts responsibility to the requesting
 * state (Art. 29(2) Dublin III; Art. 46(2) AMMR).
 */
export const transferAbsence = {
  type: 'TransferAbsenceMilestone',
  version: 1,
  stage: 'TRANSFER',
  attests: 'absence',
  title: {
    de: 'Keine Überstellung durchgeführt',
    fr: 'Aucun transfert effectué',
    en: 'No transfer executed',
  },
  description:
    'The authority responsible for transfers attests that the person was not transferred to the responsible state up to and including the as-of day.',
  milestoneDateMeaning:
    'As-of day: no transfer took place up to and including this day. Never after the day of issuance.',
  legalBasis: [
    'Art. 29(1)-(2) Reg. (EU) 604/2013',
    'Art. 7-8 Reg. (EC) 1560/2003',
    'Art. 46(1)-(2) Reg. (EU) 2024/1351',
    'Art. 24-26 Reg. (EU) 2025/2055',
  ],
  issuableBy: ['FEDERAL_POLICE', 'FOREIGNERS_AUTHORITY'],
  claims: {
    properties: {
      receivingState: dublinStateClaim('Responsible state to which no transfer took place.'),
    },
    required: ['receivingState'],
  },
  feeds: [
    { fact: '/transferExecuted/notBy', from: '/milestoneDate' },
    // The state no transfer went to is the responsible (requested) state of the case: an attestation
    // about a transfer to another state disagrees with the request instead of being used for it.
    { fact: '/requestedState', from: '/receivingState' },
  ],
} as const satisfies MilestoneDefinition
