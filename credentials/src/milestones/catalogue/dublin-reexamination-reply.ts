import type { MilestoneDefinition } from '../types.ts'
import { dublinReplyTypes, enumClaim } from '../vocabulary.ts'

/** Reply to a re-examination request. Silence is not acceptance (X and X), so only a real reply is issued. */
export const dublinReexaminationReply = {
  type: 'DublinReexaminationReplyMilestone',
  version: 1,
  stage: 'RESPONSIBILITY_DETERMINATION',
  title: {
    de: 'Antwort auf die Remonstration',
    fr: 'Réponse à la demande de réexamen',
    en: 'Reply to the re-examination request',
  },
  description: 'The requested state replied to the re-examination request.',
  milestoneDateMeaning: 'Date on which the reply was received by the requesting state.',
  legalBasis: ['Art. 5(2) Reg. (EC) 1560/2003', 'Art. 9(2) Reg. (EU) 2025/2055'],
  issuableBy: ['FOREIGN_DUBLIN_UNIT', 'BAMF_DUBLIN_UNIT'],
  claims: {
    properties: {
      replyType: enumClaim(dublinReplyTypes, 'Type of the reply.'),
    },
    required: ['replyType'],
  },
  feeds: [
    { fact: '/reexamination/reply/type', from: '/replyType' },
    { fact: '/reexamination/reply/received', from: '/milestoneDate' },
  ],
} as const satisfies MilestoneDefinition
