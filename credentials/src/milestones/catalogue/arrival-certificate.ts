import type { MilestoneDefinition } from '../types.ts'
import { booleanClaim, dateClaim, trueClaim } from '../vocabulary.ts'

/** Registration, identity check and arrival certificate (Ankunftsnachweis). */
export const arrivalCertificate = {
  type: 'ArrivalCertificateMilestone',
  version: 1,
  stage: 'REGISTRATION',
  title: {
    de: 'Registrierung und Ankunftsnachweis',
    fr: "Enregistrement et attestation d'arrivée (Ankunftsnachweis)",
    en: 'Registration and arrival certificate (Ankunftsnachweis)',
  },
  description:
    'The person was registered (identity check, biometrics, AZR) and an arrival certificate was issued.',
  milestoneDateMeaning: 'Date of registration.',
  legalBasis: ['§ 16 AsylG', '§ 63a AsylG', 'AZRG', 'Art. 9 Reg. (EU) 603/2013'],
  issuableBy: ['RECEPTION_AUTHORITY', 'BAMF_BRANCH_OFFICE'],
  claims: {
    properties: {
      certificateIssued: trueClaim('The arrival certificate (Ankunftsnachweis) was issued.'),
      certificateIssuedOn: dateClaim('Date the arrival certificate was issued.'),
      biometricsCaptured: booleanClaim('Photo and fingerprints were captured.'),
      eurodacTransmitted: booleanClaim('Fingerprints were transmitted to Eurodac.'),
      eurodacTransmittedOn: dateClaim('Date of the Eurodac transmission.'),
    },
    required: ['certificateIssued'],
  },
  feeds: [],
} as const satisfies MilestoneDefinition
