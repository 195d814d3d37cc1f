import type { MilestoneDefinition } from '../types.ts'

/** Released from detention. */
export const detentionEnd = {
  type: 'DetentionEndMilestone',
  version: 1,
  stage: 'DETENTION',
  title: {
    de: 'Ende der Überstellungshaft',
    fr: 'Fin de la rétention (transfert Dublin)',
    en: 'Detention ended (Dublin transfer)',
  },
  description: 'The person was released from detention for a Dublin transfer.',
  milestoneDateMeaning: 'Date of release.',
  legalBasis: ['Art. 28(3) Reg. (EU) 604/2013', 'Art. 44(3), 45 Reg. (EU) 2024/1351'],
  issuableBy: ['FOREIGNERS_AUTHORITY', 'FEDERAL_POLICE'],
  claims: { properties: {}, required: [] },
  // The Dublin facts (issue 4) record detention start only; the end feeds nothing yet.
  feeds: [],
} as const satisfies MilestoneDefinition
