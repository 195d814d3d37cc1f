import type { MilestoneDefinition } from '../types.ts'
import { enumClaim } from '../vocabulary.ts'

/** Personal interview held. Never its content. */
export const personalInterview = {
  type: 'PersonalInterviewMilestone',
  version: 1,
  stage: 'APPLICATION',
  title: {
    de: 'Persönliches Gespräch / Anhörung durchgeführt',
    fr: 'Entretien individuel mené',
    en: 'Personal interview held',
  },
  description:
    'A personal interview (Dublin interview or asylum hearing) was held. Its content is never recorded here.',
  milestoneDateMeaning: 'Date of the interview.',
  legalBasis: ['Art. 5 Reg. (EU) 604/2013', 'Art. 22 Reg. (EU) 2024/1351', '§ 25, § 29(2) AsylG'],
  issuableBy: ['BAMF_BRANCH_OFFICE', 'BAMF_DUBLIN_UNIT'],
  claims: {
    properties: {
      interviewKind: enumClaim(
        ['dublinInterview', 'asylumHearing'],
        'Dublin interview or asylum hearing (Anhörung).',
      ),
    },
    required: ['interviewKind'],
  },
  feeds: [],
} as const satisfies MilestoneDefinition
