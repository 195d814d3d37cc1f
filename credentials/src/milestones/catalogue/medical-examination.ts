import type { MilestoneDefinition } from '../types.ts'
import { trueClaim } from '../vocabulary.ts'

/** Medical examination done (§ 62 AsylG). Health-related: booleans and dates only, never findings. */
export const medicalExamination = {
  type: 'MedicalExaminationMilestone',
  version: 1,
  stage: 'REGISTRATION',
  title: {
    de: 'Ärztliche Untersuchung durchgeführt',
    fr: 'Examen médical effectué',
    en: 'Medical examination done',
  },
  description: 'The medical examination under § 62 AsylG was done. No results, diagnoses or findings.',
  milestoneDateMeaning: 'Date of the examination.',
  legalBasis: ['§ 62 AsylG', 'Art. 9 GDPR (health data excluded)'],
  issuableBy: ['HEALTH_AUTHORITY', 'RECEPTION_AUTHORITY'],
  healthRelated: true,
  claims: {
    properties: {
      examinationDone: trueClaim('The examination was done.'),
    },
    required: ['examinationDone'],
  },
  feeds: [],
} as const satisfies MilestoneDefinition
