import type { MilestoneDefinition } from '../types.ts'
import {
  articleReferenceClaim,
  booleanClaim,
  dateClaim,
  dublinRequestTypes,
  dublinStateClaim,
  enumClaim,
  objectClaim,
  urgentRequestGrounds,
} from '../vocabulary.ts'

/** Dublin request sent: take charge / take back request, or AMMR take back notification. */
export const dublinRequest = {
  type: 'DublinRequestMilestone',
  // Version 2: the `detained` claim, and absent `detained` / `urgent` read as "no" (see feeds).
  version: 2,
  stage: 'RESPONSIBILITY_DETERMINATION',
  title: {
    de: 'Dublin-Ersuchen gestellt (Aufnahme-/Wiederaufnahmegesuch, Wiederaufnahmemitteilung)',
    fr: 'Requête Dublin envoyée (prise en charge, reprise en charge, notification aux fins de reprise en charge)',
    en: 'Dublin request sent (take charge / take back request, take back notification)',
  },
  description:
    'A take charge request, take back request or (AMMR) take back notification was sent through DubliNet.',
  milestoneDateMeaning: 'Date on which the request or notification was sent through DubliNet.',
  legalBasis: [
    'Art. 21, 23, 24 Reg. (EU) 604/2013',
    'Art. 39, 41 Reg. (EU) 2024/1351',
    'Art. 15 Reg. (EC) 1560/2003',
  ],
  issuableBy: ['BAMF_DUBLIN_UNIT', 'FOREIGN_DUBLIN_UNIT'],
  claims: {
    properties: {
      requestType: enumClaim(
        dublinRequestTypes,
        'TCR, TBR, TBR under Art. 24, or AMMR take back notification (TBN).',
      ),
      requestingState: dublinStateClaim('Requesting (notifying) state.'),
      requestedState: dublinStateClaim('Requested (notified) state.'),
      requestReceived: dateClaim('Date of receipt according to the DubliNet acknowledgement.'),
      requestBasis: articleReferenceClaim(
        'Article the request rests on, e.g. "Art. 18(1)(b)" (informative).',
      ),
      urgent: objectClaim(
        'Urgent reply requested (Art. 21(2) Dublin III / Art. 39(2) AMMR).',
        {
          requested: booleanClaim('An urgent reply was requested.'),
          ground: enumClaim(urgentRequestGrounds, 'Ground of urgency.'),
          requestedReplyBy: dateClaim('Date by which the reply was requested.'),
        },
        ['requested'],
      ),
      detained: booleanClaim(
        'The person was detained when the request was sent (Art. 28(3) Dublin III / Art. 45 AMMR).',
      ),
    },
    required: ['requestType', 'requestingState', 'requestedState'],
  },
  feeds: [
    { fact: '/requestSent', from: '/milestoneDate' },
    { fact: '/requestType', from: '/requestType' },
    { fact: '/requestingState', from: '/requestingState' },
    { fact: '/requestedState', from: '/requestedState' },
    { fact: '/requestReceived', from: '/requestReceived' },
    { fact: '/requestBasis', from: '/requestBasis' },
    // The credential states the request as sent: a request sent without the urgency or detention
    // mark was sent as a non-urgent request for a person not detained. Without these defaults a
    // case assembled from credentials could never establish "not urgent" / "not detained", and a
    // silent take charge request would never reach implicit acceptance.
    { fact: '/urgent/requested', from: '/urgent/requested', default: false },
    { fact: '/urgent/ground', from: '/urgent/ground' },
    { fact: '/urgent/requestedReplyBy', from: '/urgent/requestedReplyBy' },
    { fact: '/detained', from: '/detained', default: false },
  ],
} as const satisfies MilestoneDefinition
