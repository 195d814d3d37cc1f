import type { MilestoneDefinition } from '../types.ts'

/** Request to re-examine a negative reply (Art. 5(2) Reg. 1560/2003; Art. 9(2) Reg. 2025/2055). */
export const dublinReexaminationRequest = {
  type: 'DublinReexaminationRequestMilestone',
  version: 1,
  stage: 'RESPONSIBILITY_DETERMINATION',
  title: {
    de: 'Remonstration gestellt',
    fr: 'Demande de réexamen envoyée',
    en: 'Re-examination requested',
  },
  description: 'The requesting state asked the requested state to re-examine its negative reply.',
  milestoneDateMeaning: 'Date on which the re-examination request was sent.',
  legalBasis: [
    'Art. 5(2) Reg. (EC) 1560/2003',
    'Art. 9(2), 15(3) Reg. (EU) 2025/2055',
    'CJEU C-47/17 and C-48/17 X and X',
  ],
  issuableBy: ['BAMF_DUBLIN_UNIT', 'FOREIGN_DUBLIN_UNIT'],
  claims: { properties: {}, required: [] },
  feeds: [{ fact: '/reexamination/requestSent', from: '/milestoneDate' }],
} as const satisfies MilestoneDefinition
