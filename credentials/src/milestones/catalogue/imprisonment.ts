import type { MilestoneDefinition } from '../types.ts'
import { dateClaim } from '../vocabulary.ts'

/** Imprisonment (ground for extending the transfer period). Dates only: no offence, no court, no sentence. */
export const imprisonment = {
  type: 'ImprisonmentMilestone',
  version: 1,
  stage: 'TRANSFER',
  title: {
    de: 'Inhaftierung (Strafhaft)',
    fr: 'Emprisonnement',
    en: 'Imprisonment',
  },
  description:
    'The person is imprisoned, which prevents the transfer. Only the dates: offences and sentences are criminal-conviction data (GDPR Art. 10).',
  milestoneDateMeaning: 'Date from which the person is imprisoned.',
  legalBasis: ['Art. 29(2) Reg. (EU) 604/2013', 'Art. 46(2) Reg. (EU) 2024/1351'],
  issuableBy: ['FOREIGNERS_AUTHORITY'],
  claims: {
    properties: {
      imprisonedUntil: dateClaim('Date of release, if known.'),
    },
    required: [],
  },
  feeds: [
    { fact: '/imprisoned/from', from: '/milestoneDate' },
    { fact: '/imprisoned/to', from: '/imprisonedUntil' },
  ],
} as const satisfies MilestoneDefinition
