import type { MilestoneDefinition } from '../types.ts'

/** The record of the asylum request reached BAMF: the Dublin III lodging date (Art. 20(2); Mengesteab). */
export const asylumRequestRecordReachedBamf = {
  type: 'AsylumRequestRecordReachedBamfMilestone',
  version: 1,
  stage: 'REGISTRATION',
  title: {
    de: 'Niederschrift des Asylgesuchs beim BAMF eingegangen',
    fr: "Procès-verbal de la demande d'asile parvenu au BAMF",
    en: 'Asylum request record reached BAMF',
  },
  description:
    'A written record of the asylum request (or its main content) reached BAMF; under Dublin III the application is lodged on that date.',
  milestoneDateMeaning: 'Date on which the record reached BAMF (Dublin III lodging date).',
  legalBasis: ['Art. 20(2) Reg. (EU) 604/2013', 'CJEU C-670/16 Mengesteab'],
  issuableBy: ['BAMF_BRANCH_OFFICE', 'BAMF_DUBLIN_UNIT'],
  claims: { properties: {}, required: [] },
  feeds: [{ fact: '/asylumRequestRecordReachedBamf', from: '/milestoneDate' }],
} as const satisfies MilestoneDefinition
