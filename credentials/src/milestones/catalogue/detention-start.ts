import type { MilestoneDefinition } from '../types.ts'

/** Placed in detention to secure a Dublin transfer. */
export const detentionStart = {
  type: 'DetentionStartMilestone',
  version: 1,
  stage: 'DETENTION',
  title: {
    de: 'Beginn der Überstellungshaft',
    fr: 'Début de la rétention (transfert Dublin)',
    en: 'Detention started (Dublin transfer)',
  },
  description:
    'The person was placed in detention to secure a Dublin transfer; shorter request, reply and transfer periods apply.',
  milestoneDateMeaning: 'Date of placement in detention.',
  legalBasis: [
    'Art. 28 Reg. (EU) 604/2013',
    'Art. 44, 45 Reg. (EU) 2024/1351',
    '§ 2(14) AufenthG (risk of absconding)',
  ],
  issuableBy: ['FOREIGNERS_AUTHORITY', 'FEDERAL_POLICE'],
  claims: { properties: {}, required: [] },
  feeds: [
    { fact: '/detained', value: true },
    { fact: '/detainedFrom', from: '/milestoneDate' },
  ],
} as const satisfies MilestoneDefinition
