import type { MilestoneDefinition } from '../types.ts'

/** Application registered: the AMMR trigger date (Art. 39(1) Reg. (EU) 2024/1351). */
export const applicationRegistered = {
  type: 'ApplicationRegisteredMilestone',
  version: 1,
  stage: 'REGISTRATION',
  title: {
    de: 'Antrag registriert (GEAS/AMMR)',
    fr: 'Demande enregistrée (RGAM)',
    en: 'Application registered (AMMR)',
  },
  description:
    'The application for international protection was registered; the AMMR counts the take charge period from this date and chooses the rule set by it.',
  milestoneDateMeaning: 'Date on which the application was registered.',
  legalBasis: ['Art. 39(1), 84 Reg. (EU) 2024/1351', 'Reg. (EU) 2024/1348 (registration) [verify article]'],
  issuableBy: ['BAMF_BRANCH_OFFICE', 'RECEPTION_AUTHORITY'],
  claims: { properties: {}, required: [] },
  feeds: [{ fact: '/applicationRegistered', from: '/milestoneDate' }],
} as const satisfies MilestoneDefinition
