import type { MilestoneDefinition } from '../types.ts'
import { booleanClaim } from '../vocabulary.ts'

/** The person absconded (ground for extending the transfer period). */
export const absconding = {
  type: 'AbscondingMilestone',
  version: 1,
  stage: 'TRANSFER',
  title: {
    de: 'Untertauchen festgestellt',
    fr: 'Fuite constatée',
    en: 'Absconding established',
  },
  description:
    'The competent authority recorded that the person absconded; `established` says whether the legal conditions (Jawo; BVerwG 1 C 55.20; AMMR Art. 2(17)) are met.',
  milestoneDateMeaning: 'Date from which the person was absent.',
  legalBasis: [
    'Art. 29(2) Reg. (EU) 604/2013',
    'Art. 2(17), 46(2) Reg. (EU) 2024/1351',
    'CJEU C-163/17 Jawo',
  ],
  issuableBy: ['FOREIGNERS_AUTHORITY', 'RECEPTION_AUTHORITY', 'BAMF_DUBLIN_UNIT'],
  claims: {
    properties: {
      established: booleanClaim('Absconding in the legal sense is established.'),
    },
    required: ['established'],
  },
  feeds: [
    { fact: '/absconded/from', from: '/milestoneDate' },
    { fact: '/absconded/established', from: '/established' },
  ],
} as const satisfies MilestoneDefinition
