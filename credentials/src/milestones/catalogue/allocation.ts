import type { MilestoneDefinition } from '../types.ts'
import { authorityClaim } from '../vocabulary.ts'

/** Allocation to a municipality (end of the obligation to live in the reception facility). */
export const allocation = {
  type: 'AllocationMilestone',
  version: 1,
  stage: 'ALLOCATION',
  title: {
    de: 'Zuweisung (kommunale Verteilung)',
    fr: 'Affectation à une commune',
    en: 'Allocation to a municipality',
  },
  description:
    'The Land allocated the person to a county or city; the local foreigners authority becomes competent. The receiving authority is named by its DID, never an address.',
  milestoneDateMeaning: 'Date of the allocation.',
  legalBasis: ['§§ 47, 50 AsylG'],
  issuableBy: ['RECEPTION_AUTHORITY'],
  claims: {
    properties: {
      receivingAuthority: authorityClaim('DID of the now competent foreigners authority.'),
    },
    required: [],
  },
  feeds: [],
} as const satisfies MilestoneDefinition
