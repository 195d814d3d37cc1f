import type { MilestoneDefinition } from '../types.ts'
import { booleanClaim, dateClaim } from '../vocabulary.ts'

/** Action and/or urgent application against the transfer decision. */
export const appeal = {
  type: 'AppealMilestone',
  version: 1,
  stage: 'REMEDY',
  title: {
    de: 'Klage / Eilantrag gegen die Überstellungsentscheidung',
    fr: 'Recours / demande en référé contre la décision de transfert',
    en: 'Appeal / urgent application against the transfer decision',
  },
  description:
    'An action and/or an urgent application (§ 80(5) VwGO) was filed against the transfer decision; whether it has suspensive effect decides whether the transfer period restarts.',
  milestoneDateMeaning: 'Date on which the first remedy (action or urgent application) was filed.',
  legalBasis: [
    'Art. 27(3) Reg. (EU) 604/2013',
    'Art. 43 Reg. (EU) 2024/1351',
    '§ 74(1), § 75, § 34a(2) AsylG',
    '§ 80(5) VwGO',
  ],
  issuableBy: ['BAMF_DUBLIN_UNIT', 'ADMINISTRATIVE_COURT'],
  claims: {
    properties: {
      actionFiled: dateClaim('Date the action was filed.'),
      urgentApplicationFiled: dateClaim('Date the urgent application was filed.'),
      suspensiveEffect: booleanClaim(
        'The remedy has suspensive effect (timely urgent application or court order).',
      ),
      suspensiveEffectOrdered: dateClaim('Date the court ordered suspensive effect.'),
    },
    required: ['suspensiveEffect'],
  },
  feeds: [
    { fact: '/appeal/actionFiled', from: '/actionFiled' },
    { fact: '/appeal/urgentApplicationFiled', from: '/urgentApplicationFiled' },
    { fact: '/appeal/suspensiveEffect', from: '/suspensiveEffect' },
    { fact: '/appeal/suspensiveEffectOrdered', from: '/suspensiveEffectOrdered' },
  ],
} as const satisfies MilestoneDefinition
