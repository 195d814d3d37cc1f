import type { MilestoneDefinition } from '../types.ts'
import { articleReferenceClaim, dublinReplyTypes, enumClaim } from '../vocabulary.ts'

/** Reply to a Dublin request or notification (acceptance, rejection, confirmation, non-confirmation). */
export const dublinReply = {
  type: 'DublinReplyMilestone',
  version: 1,
  stage: 'RESPONSIBILITY_DETERMINATION',
  title: {
    de: 'Antwort auf das Dublin-Ersuchen',
    fr: 'Réponse à la requête Dublin',
    en: 'Reply to the Dublin request',
  },
  description:
    'The requested state replied: acceptance or rejection of a request, confirmation or non-confirmation of a take back notification.',
  milestoneDateMeaning:
    'Date on which the reply was received by the requesting state (DubliNet acknowledgement).',
  legalBasis: [
    'Art. 22, 25 Reg. (EU) 604/2013',
    'Art. 5(1) Reg. (EC) 1560/2003',
    'Art. 40, 41(3)-(4) Reg. (EU) 2024/1351',
  ],
  issuableBy: ['FOREIGN_DUBLIN_UNIT', 'BAMF_DUBLIN_UNIT'],
  claims: {
    properties: {
      replyType: enumClaim(dublinReplyTypes, 'Type of the reply.'),
      legalBasis: articleReferenceClaim('Article of an acceptance or ground of a refusal (informative).'),
    },
    required: ['replyType'],
  },
  feeds: [
    { fact: '/reply/type', from: '/replyType' },
    { fact: '/reply/received', from: '/milestoneDate' },
  ],
} as const satisfies MilestoneDefinition
