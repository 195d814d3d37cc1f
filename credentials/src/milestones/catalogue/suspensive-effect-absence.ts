import type { MilestoneDefinition } from '../types.ts'

/**
 * No remedy with suspensive effect and no suspension of the transfer up to the as-of day. The BAMF is
 * party to every proceeding against its transfer decision and is served every urgent application
 * and order, so it knows; a court knows only its own file, so it does not issue this type.
 */
export const suspensiveEffectAbsence = {
  type: 'SuspensiveEffectAbsenceMilestone',
  version: 1,
  stage: 'REMEDY',
  attests: 'absence',
  title: {
    de: 'Keine aufschiebende Wirkung und keine Aussetzung der Überstellung',
    fr: 'Aucun effet suspensif et aucune suspension du transfert',
    en: 'No suspensive effect and no suspension of the transfer',
  },
  description:
    'The authority that is party to the proceedings attests that no remedy with suspensive effect was pending and no suspension of the transfer was ordered up to and including the as-of day.',
  milestoneDateMeaning:
    'As-of day: no suspensive effect or suspension up to and including this day. Never after the day of issuance.',
  legalBasis: ['Art. 27(3), 29(1) Reg. (EU) 604/2013', 'Art. 43, 46(1) Reg. (EU) 2024/1351'],
  issuableBy: ['BAMF_DUBLIN_UNIT'],
  claims: { properties: {}, required: [] },
  feeds: [{ fact: '/appeal/notBy', from: '/milestoneDate' }],
} as const satisfies MilestoneDefinition
