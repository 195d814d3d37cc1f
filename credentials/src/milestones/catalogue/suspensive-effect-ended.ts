import type { MilestoneDefinition } from '../types.ts'
import { dateClaim, enumClaim } from '../vocabulary.ts'

/** End of suspensive effect: restarts the full transfer period (Petrosian; BVerwG 1 C 22.15). */
export const suspensiveEffectEnded = {
  type: 'SuspensiveEffectEndedMilestone',
  version: 1,
  stage: 'REMEDY',
  title: {
    de: 'Aufschiebende Wirkung beendet',
    fr: "Fin de l'effet suspensif",
    en: 'Suspensive effect ended',
  },
  description: 'The suspensive effect of the remedy against the transfer decision legally ended.',
  milestoneDateMeaning: 'Date on which the suspensive effect legally ended (as recorded by the issuer).',
  legalBasis: ['Art. 29(1) Reg. (EU) 604/2013', 'Art. 46(1) Reg. (EU) 2024/1351', 'CJEU C-19/08 Petrosian'],
  issuableBy: ['BAMF_DUBLIN_UNIT', 'ADMINISTRATIVE_COURT'],
  claims: {
    properties: {
      endedBy: enumClaim(
        ['urgentApplicationRejected', 'finalJudgment', 'withdrawal'],
        'What ended the suspensive effect.',
      ),
      decisionNotifiedOn: dateClaim('Date the court decision was notified, if it differs.'),
    },
    required: [],
  },
  feeds: [
    { fact: '/appeal/suspensiveEffect', value: true },
    { fact: '/appeal/suspensiveEffectEnded', from: '/milestoneDate' },
  ],
} as const satisfies MilestoneDefinition
