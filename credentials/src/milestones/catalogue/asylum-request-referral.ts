import type { MilestoneDefinition } from '../types.ts'
import { booleanClaim, enumClaim, germanLaender, trueClaim } from '../vocabulary.ts'

/** Asylum request recorded and the person referred to a reception facility (Anlaufbescheinigung). */
export const asylumRequestReferral = {
  type: 'AsylumRequestReferralMilestone',
  version: 1,
  stage: 'ARRIVAL',
  title: {
    de: 'Asylgesuch und Weiterleitung (Anlaufbescheinigung)',
    fr: "Demande d'asile et orientation (Anlaufbescheinigung)",
    en: 'Asylum request and referral (Anlaufbescheinigung)',
  },
  description:
    'An asylum request was recorded and the person was referred to the competent reception facility.',
  milestoneDateMeaning: 'Date on which the asylum request was recorded.',
  legalBasis: ['§§ 13, 18, 18a, 19, 20 AsylG', '§§ 45, 46 AsylG (EASY allocation)'],
  issuableBy: ['FEDERAL_POLICE', 'LAND_POLICE', 'FOREIGNERS_AUTHORITY', 'RECEPTION_AUTHORITY'],
  claims: {
    properties: {
      referralIssued: trueClaim('A referral certificate (Anlaufbescheinigung) was issued.'),
      allocatedLand: enumClaim(germanLaender, 'Land allocated by EASY (ISO 3166-2:DE).'),
      apprehendedAtExternalBorder: booleanClaim(
        'The request followed an apprehension at an external border (possible Eurodac category 2 record).',
      ),
    },
    required: ['referralIssued'],
  },
  feeds: [],
} as const satisfies MilestoneDefinition
