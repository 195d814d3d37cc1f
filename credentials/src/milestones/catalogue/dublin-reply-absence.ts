import type { MilestoneDefinition } from '../types.ts'
import { dateClaim, dublinRequestTypes, dublinStateClaim, enumClaim } from '../vocabulary.ts'

/**
 * No reply to a Dublin request received up to the as-of day. Only the requesting state's Dublin unit
 * can attest this: it runs the DubliNet access point through which every reply must arrive (Art. 15
 * Reg. 1560/2003). Silence until the reply deadline is a deemed acceptance (Art. 22(7), 25(2) Dublin
 * III; Art. 40(2) AMMR) or, for a take back notification, a deemed confirmation of receipt (Art. 41(4)
 * AMMR); the day of receipt of the request, which the deadline runs from, travels with it.
 */
export const dublinReplyAbsence = {
  type: 'DublinReplyAbsenceMilestone',
  version: 1,
  stage: 'RESPONSIBILITY_DETERMINATION',
  attests: 'absence',
  title: {
    de: 'Keine Antwort auf das Dublin-Ersuchen eingegangen',
    fr: 'Aucune réponse reçue à la requête Dublin',
    en: 'No reply to the Dublin request received',
  },
  description:
    'The requesting state attests that no reply to its request or notification arrived through DubliNet up to and including the as-of day, and when the request was received.',
  milestoneDateMeaning:
    'As-of day: no reply was received up to and including this day. Never after the day of issuance.',
  legalBasis: [
    'Art. 22(7), 25(2) Reg. (EU) 604/2013',
    'Art. 15 Reg. (EC) 1560/2003',
    'Art. 40, 41(4) Reg. (EU) 2024/1351',
  ],
  issuableBy: ['BAMF_DUBLIN_UNIT', 'FOREIGN_DUBLIN_UNIT'],
  claims: {
    properties: {
      requestType: enumClaim(dublinRequestTypes, 'Type of the unanswered request or notification.'),
      requestingState: dublinStateClaim('Requesting (notifying) state: the attesting state.'),
      requestedState: dublinStateClaim('Requested (notified) state that has not replied.'),
      requestReceived: dateClaim('Date of receipt of the request according to the DubliNet acknowledgement.'),
    },
    required: ['requestType', 'requestingState', 'requestedState', 'requestReceived'],
  },
  feeds: [
    { fact: '/reply/notBy', from: '/milestoneDate' },
    { fact: '/requestReceived', from: '/requestReceived' },
    // The attestation names the request it is about: an attestation about another request (other
    // states, other type) then disagrees with the request credential instead of being used for it.
    { fact: '/requestType', from: '/requestType' },
    { fact: '/requestingState', from: '/requestingState' },
    { fact: '/requestedState', from: '/requestedState' },
  ],
} as const satisfies MilestoneDefinition
