import type { MilestoneDefinition } from '../types.ts'
import { articleReferenceClaim, dublinStateClaim, integerEnumClaim } from '../vocabulary.ts'

/** Eurodac hit received (category and date). The reference number itself never appears. */
export const eurodacHit = {
  type: 'EurodacHitMilestone',
  version: 1,
  stage: 'RESPONSIBILITY_DETERMINATION',
  title: {
    de: 'Eurodac-Treffer erhalten',
    fr: 'Résultat positif Eurodac reçu',
    en: 'Eurodac hit received',
  },
  description:
    'A Eurodac hit was received; its category decides between take charge (2) and take back (1), category 3 leads to Art. 24.',
  milestoneDateMeaning: 'Date on which the hit was received.',
  legalBasis: [
    'Art. 21(1), 23(2), 24(2) Reg. (EU) 604/2013',
    'Reg. (EU) 603/2013',
    'Art. 39(1), 41(1) Reg. (EU) 2024/1351',
  ],
  issuableBy: ['BAMF_DUBLIN_UNIT', 'FEDERAL_POLICE'],
  claims: {
    properties: {
      category: integerEnumClaim([1, 2, 3], 'Category of the matching Eurodac record (1, 2 or 3).'),
      searchCategory: integerEnumClaim([1, 2, 3], 'Category of the transmission that produced the hit.'),
      recordedUnder: articleReferenceClaim(
        'Article of the Eurodac Regulation under which the matching data were recorded, e.g. "Art. 22" (AMMR hit-based periods).',
      ),
      responsibleIndicated: dublinStateClaim(
        'Member State indicated in Eurodac as responsible (AMMR Art. 36(1)(b)).',
      ),
    },
    required: ['category'],
  },
  feeds: [
    { fact: '/eurodacHit/category', from: '/category' },
    { fact: '/eurodacHit/received', from: '/milestoneDate' },
    { fact: '/eurodacHit/searchCategory', from: '/searchCategory' },
    { fact: '/eurodacHit/recordedUnder', from: '/recordedUnder' },
    { fact: '/eurodacHit/responsibleIndicated', from: '/responsibleIndicated' },
  ],
} as const satisfies MilestoneDefinition
