import type { MilestoneDefinition } from '../types.ts'
import { dublinStateClaim } from '../vocabulary.ts'

/**
 * No extension of the transfer period notified up to the as-of day. Only the transferring state's
 * Dublin unit notifies extensions (Art. 9(2) Reg. 1560/2003), so only it can attest that none was
 * sent. Without it the transfer deadline, and with it the shift of responsibility, stays open.
 */
export const transferExtensionAbsence = {
  type: 'TransferExtensionAbsenceMilestone',
  version: 1,
  stage: 'TRANSFER',
  attests: 'absence',
  title: {
    de: 'Keine Verlängerung der Überstellungsfrist mitgeteilt',
    fr: 'Aucune prolongation du délai de transfert notifiée',
    en: 'No transfer-period extension notified',
  },
  description:
    'The transferring state attests that it did not notify the responsible state of an extension of the transfer period up to and including the as-of day.',
  milestoneDateMeaning:
    'As-of day: no extension was notified up to and including this day. Never after the day of issuance.',
  legalBasis: [
    'Art. 29(2) Reg. (EU) 604/2013',
    'Art. 9(2) Reg. (EC) 1560/2003',
    'Art. 46(2) Reg. (EU) 2024/1351',
    'Art. 28 Reg. (EU) 2025/2055',
  ],
  issuableBy: ['BAMF_DUBLIN_UNIT', 'FOREIGN_DUBLIN_UNIT'],
  claims: {
    properties: {
      requestingState: dublinStateClaim('Transferring (requesting) state: the attesting state.'),
      requestedState: dublinStateClaim('Responsible (requested) state that would have been notified.'),
    },
    required: ['requestingState', 'requestedState'],
  },
  feeds: [
    { fact: '/extensionNotified/notBy', from: '/milestoneDate' },
    // The states name the case the attestation is about; other states disagree with the request.
    { fact: '/requestingState', from: '/requestingState' },
    { fact: '/requestedState', from: '/requestedState' },
  ],
} as const satisfies MilestoneDefinition
