import type { MilestoneDefinition } from '../types.ts'

/** VIS hit received (AMMR Art. 39(1) second subparagraph). */
export const visHit = {
  type: 'VisHitMilestone',
  version: 1,
  stage: 'RESPONSIBILITY_DETERMINATION',
  title: {
    de: 'VIS-Treffer erhalten',
    fr: 'Résultat positif VIS reçu',
    en: 'VIS hit received',
  },
  description:
    'A Visa Information System hit was received (visa criterion; hit-based request periods under the AMMR).',
  milestoneDateMeaning: 'Date on which the hit was received.',
  legalBasis: [
    'Art. 12 Reg. (EU) 604/2013',
    'Art. 39(1), 40(2) Reg. (EU) 2024/1351',
    'Art. 21 Reg. (EC) 767/2008',
  ],
  issuableBy: ['BAMF_DUBLIN_UNIT'],
  claims: { properties: {}, required: [] },
  // The Dublin facts (issue 4) have no VIS hit yet; add the mapping when they do.
  feeds: [],
} as const satisfies MilestoneDefinition
