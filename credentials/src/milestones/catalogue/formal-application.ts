import type { MilestoneDefinition } from '../types.ts'
import { booleanClaim, dateClaim } from '../vocabulary.ts'

/** Formal application at BAMF and permission to stay (Aufenthaltsgestattung). */
export const formalApplication = {
  type: 'FormalApplicationMilestone',
  version: 1,
  stage: 'APPLICATION',
  title: {
    de: 'Förmliche Antragstellung und Aufenthaltsgestattung',
    fr: 'Introduction formelle de la demande et autorisation de séjour (Aufenthaltsgestattung)',
    en: 'Formal application and permission to stay (Aufenthaltsgestattung)',
  },
  description:
    'The asylum application was formally made at a BAMF branch office; the permission to stay replaces the arrival certificate.',
  milestoneDateMeaning: 'Date of the formal application at BAMF.',
  legalBasis: ['§§ 14, 23 AsylG', '§ 63 AsylG', 'Art. 4 Reg. (EU) 604/2013 (information leaflet)'],
  issuableBy: ['BAMF_BRANCH_OFFICE'],
  claims: {
    properties: {
      permissionToStayIssued: booleanClaim('The permission to stay (Aufenthaltsgestattung) was issued.'),
      permissionToStayIssuedOn: dateClaim('Date the permission to stay was issued.'),
      dublinLeafletProvided: booleanClaim('The Dublin information leaflet was handed over.'),
    },
    required: ['permissionToStayIssued'],
  },
  feeds: [{ fact: '/formalApplicationAtBamf', from: '/milestoneDate' }],
} as const satisfies MilestoneDefinition
