import type { MilestoneDefinition } from '../types.ts'
import { dublinStateClaim } from '../vocabulary.ts'

/**
 * No reply to a re-examination request received up to the as-of day. The requested state should
 * reply within two weeks (Art. 5(2) Reg. 1560/2003); its silence is not an acceptance, but it tells
 * whether the re-examination still holds the case open. Attested by the requesting state's Dublin unit.
 */
export const dublinReexaminationReplyAbsence = {
  type: 'DublinReexaminationReplyAbsenceMilestone',
  version: 1,
  stage: 'RESPONSIBILITY_DETERMINATION',
  attests: 'absence',
  title: {
    de: 'Keine Antwort auf die Remonstration eingegangen',
    fr: 'Aucune réponse reçue à la demande de réexamen',
    en: 'No reply to the re-examination request received',
  },
  description:
    'The requesting state attests that no reply to its re-examination request arrived through DubliNet up to and including the as-of day.',
  milestoneDateMeaning:
    'As-of day: no reply was received up to and including this day. Never after the day of issuance.',
  legalBasis: [
    'Art. 5(2) Reg. (EC) 1560/2003',
    'Art. 15 Reg. (EC) 1560/2003',
    'Art. 9(2) Reg. (EU) 2025/2055',
  ],
  issuableBy: ['BAMF_DUBLIN_UNIT', 'FOREIGN_DUBLIN_UNIT'],
  claims: {
    properties: {
      requestingState: dublinStateClaim('State that requested the re-examination: the attesting state.'),
      requestedState: dublinStateClaim('State asked to re-examine, which has not replied.'),
    },
    required: ['requestingState', 'requestedState'],
  },
  feeds: [
    { fact: '/reexamination/reply/notBy', from: '/milestoneDate' },
    // The states name the case the attestation is about; other states disagree with the request.
    { fact: '/requestingState', from: '/requestingState' },
    { fact: '/requestedState', from: '/requestedState' },
  ],
} as const satisfies MilestoneDefinition
