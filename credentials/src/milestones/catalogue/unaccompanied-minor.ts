import type { MilestoneDefinition } from '../types.ts'
import { booleanClaim, dateClaim } from '../vocabulary.ts'

/** The applicant is an unaccompanied minor (AMMR Art. 39(1) fourth subparagraph). */
export const unaccompaniedMinor = {
  type: 'UnaccompaniedMinorMilestone',
  version: 1,
  stage: 'RESPONSIBILITY_DETERMINATION',
  title: {
    de: 'Unbegleitete minderjährige Person',
    fr: 'Mineur non accompagné',
    en: 'Unaccompanied minor',
  },
  description:
    'The applicant was established to be an unaccompanied minor; under the AMMR the procedure may continue after the request deadline in the best interests of the child.',
  milestoneDateMeaning: 'Date on which the status was established.',
  legalBasis: ['Art. 8, 6 Reg. (EU) 604/2013', 'Art. 25, 39(1) fourth subpara. Reg. (EU) 2024/1351'],
  issuableBy: ['BAMF_BRANCH_OFFICE', 'BAMF_DUBLIN_UNIT'],
  claims: {
    properties: {
      bestInterestsContinuation: booleanClaim(
        'The determining state continues the procedure after the time limits in the best interests of the child.',
      ),
      firstDecisionOnSubstance: dateClaim('Date of the first decision on the substance, if one was taken.'),
    },
    required: ['bestInterestsContinuation'],
  },
  feeds: [
    { fact: '/unaccompaniedMinor/bestInterestsContinuation', from: '/bestInterestsContinuation' },
    { fact: '/unaccompaniedMinor/firstDecisionOnSubstance', from: '/firstDecisionOnSubstance' },
  ],
} as const satisfies MilestoneDefinition
