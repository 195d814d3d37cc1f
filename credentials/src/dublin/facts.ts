// The input of the assessment: dated facts of one Dublin case, validated strictly so that a field the
// assessment does not know (a typo, a field of another version) is refused instead of silently
// ignored: an ignored fact would be read as "not happened".
import { z } from 'zod'
import { isIsoDate } from '../calendar/iso-date.ts'
import { DublinFactsInconsistent, DublinFactsInvalid } from './errors.ts'

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a calendar date YYYY-MM-DD')
  .refine(isIsoDate, { message: 'must be an existing calendar date' })
const memberState = z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code')

const replySchema = z.strictObject({
  type: z.enum(['acceptance', 'rejection', 'confirmation', 'nonConfirmation']),
  received: isoDate,
})

export const EXTENSION_GROUNDS = [
  'absconding',
  'imprisonment',
  'physicalResistance',
  'intentionalUnfitness',
  'medicalNonCompliance',
] as const

/** Zod schema of the facts (strict at every level). */
export const dublinFactsSchema = z.strictObject({
  requestingState: memberState,
  requestedState: memberState,
  requestType: z.enum(['TCR', 'TBR', 'TBR_ART24', 'TBN']),
  applicationLodged: isoDate.optional(),
  applicationRegistered: isoDate.optional(),
  asylumRequestRecordReachedBamf: isoDate.optional(),
  formalApplicationAtBamf: isoDate.optional(),
  apprehendedIrregularStay: isoDate.optional(),
  eurodacHit: z
    .strictObject({
      category: z.union([z.literal(1), z.literal(2), z.literal(3)]),
      received: isoDate,
      searchCategory: z.union([z.string(), z.number()]).optional(),
      recordedUnder: z.string().optional(),
      responsibleIndicated: memberState.optional(),
    })
    .optional(),
  requestSent: isoDate.optional(),
  requestReceived: isoDate.optional(),
  requestBasis: z.string().optional(),
  urgent: z
    .strictObject({
      requested: z.boolean(),
      ground: z.string().optional(),
      requestedReplyBy: isoDate.optional(),
    })
    .optional(),
  detained: z.boolean().optional(),
  detainedFrom: isoDate.optional(),
  unaccompaniedMinor: z
    .strictObject({ bestInterestsContinuation: z.boolean(), firstDecisionOnSubstance: isoDate.optional() })
    .optional(),
  reply: replySchema.nullable().optional(),
  reexamination: z
    .strictObject({ requestSent: isoDate, reply: replySchema.nullable().optional() })
    .optional(),
  transferDecisionServed: isoDate.optional(),
  appeal: z
    .strictObject({
      actionFiled: isoDate.optional(),
      urgentApplicationFiled: isoDate.optional(),
      suspensiveEffect: z.boolean(),
      suspensiveEffectOrdered: isoDate.optional(),
      suspensiveEffectEnded: isoDate.optional(),
    })
    .optional(),
  authoritySuspension: z
    .strictObject({ from: isoDate, to: isoDate.optional(), reason: z.string().optional() })
    .optional(),
  absconded: z
    .strictObject({ from: isoDate, established: z.boolean(), facts: z.string().optional() })
    .optional(),
  imprisoned: z.strictObject({ from: isoDate, to: isoDate.optional() }).optional(),
  extensionNotified: z.strictObject({ date: isoDate, ground: z.enum(EXTENSION_GROUNDS) }).optional(),
  transferExecuted: isoDate.nullable().optional(),
  officialHolidays: z.record(memberState, z.array(isoDate)).optional(),
  verifier: z
    .strictObject({
      state: memberState,
      applicationLodgedInVerifierState: isoDate.optional(),
      eurodacHitReceivedByVerifier: isoDate.optional(),
    })
    .optional(),
  asOf: isoDate,
})

/** The facts of a Dublin case. `null` = known not to have happened by `asOf`; absent = unknown. */
export type DublinFacts = z.infer<typeof dublinFactsSchema>
export type DublinReply = z.infer<typeof replySchema>
export type ExtensionGround = (typeof EXTENSION_GROUNDS)[number]

function issuePath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? 'facts' : path.map(String).join('.')
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    const at = issue.path.length ? ` in ${issuePath(issue.path)}` : ''
    return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}${at}`
  }
  return `${issuePath(issue.path)}: ${issue.message}`
}

/** Dated events that must not lie after `asOf` (an evaluation cannot know the future). */
function datedEvents(f: DublinFacts): [string, string | undefined | null][] {
  return [
    ['applicationLodged', f.applicationLodged],
    ['applicationRegistered', f.applicationRegistered],
    ['asylumRequestRecordReachedBamf', f.asylumRequestRecordReachedBamf],
    ['formalApplicationAtBamf', f.formalApplicationAtBamf],
    ['apprehendedIrregularStay', f.apprehendedIrregularStay],
    ['eurodacHit.received', f.eurodacHit?.received],
    ['requestSent', f.requestSent],
    ['requestReceived', f.requestReceived],
    ['detainedFrom', f.detainedFrom],
    ['reply.received', f.reply?.received],
    ['reexamination.requestSent', f.reexamination?.requestSent],
    ['reexamination.reply.received', f.reexamination?.reply?.received],
    ['transferDecisionServed', f.transferDecisionServed],
    ['appeal.actionFiled', f.appeal?.actionFiled],
    ['appeal.urgentApplicationFiled', f.appeal?.urgentApplicationFiled],
    ['appeal.suspensiveEffectOrdered', f.appeal?.suspensiveEffectOrdered],
    ['appeal.suspensiveEffectEnded', f.appeal?.suspensiveEffectEnded],
    ['absconded.from', f.absconded?.from],
    ['imprisoned.from', f.imprisoned?.from],
    ['extensionNotified.date', f.extensionNotified?.date],
    ['transferExecuted', f.transferExecuted],
    ['verifier.applicationLodgedInVerifierState', f.verifier?.applicationLodgedInVerifierState],
    ['verifier.eurodacHitReceivedByVerifier', f.verifier?.eurodacHitReceivedByVerifier],
  ]
}

function checkConsistency(f: DublinFacts): void {
  for (const [field, date] of datedEvents(f))
    if (date && date > f.asOf)
      throw new DublinFactsInconsistent(field, `(${date}) lies after asOf (${f.asOf})`)
  const before = (a: string, da: string | undefined | null, b: string, db: string | undefined | null) => {
    if (da && db && db < da) throw new DublinFactsInconsistent(b, `(${db}) precedes ${a} (${da})`)
  }
  before('requestSent', f.requestSent, 'requestReceived', f.requestReceived)
  before('requestReceived', f.requestReceived ?? f.requestSent, 'reply.received', f.reply?.received)
  before('reply.received', f.reply?.received, 'reexamination.requestSent', f.reexamination?.requestSent)
  before(
    'reexamination.requestSent',
    f.reexamination?.requestSent,
    'reexamination.reply.received',
    f.reexamination?.reply?.received,
  )
  before(
    'appeal.suspensiveEffectOrdered',
    f.appeal?.suspensiveEffectOrdered,
    'appeal.suspensiveEffectEnded',
    f.appeal?.suspensiveEffectEnded,
  )
  if (f.requestedState === f.requestingState)
    throw new DublinFactsInconsistent('requestedState', 'equals requestingState')
  if ((f.reply || f.reexamination) && !f.requestSent)
    throw new DublinFactsInconsistent('requestSent', 'is missing although a reply or re-examination is given')
  if (f.reexamination && f.reply && !['rejection', 'nonConfirmation'].includes(f.reply.type))
    throw new DublinFactsInconsistent(
      'reexamination',
      'is given although the reply was not a rejection or non-confirmation',
    )
  const takeBackReplies = ['confirmation', 'nonConfirmation']
  for (const [field, reply] of [
    ['reply', f.reply],
    ['reexamination.reply', f.reexamination?.reply],
  ] as const) {
    if (!reply) continue
    if (f.requestType === 'TBN' && !takeBackReplies.includes(reply.type))
      throw new DublinFactsInconsistent(
        `${field}.type`,
        `"${reply.type}" does not answer a take back notification (use confirmation | nonConfirmation)`,
      )
    if (f.requestType !== 'TBN' && takeBackReplies.includes(reply.type))
      throw new DublinFactsInconsistent(
        `${field}.type`,
        `"${reply.type}" answers only a take back notification (TBN)`,
      )
  }
}

/**
 * Validates unknown input as Dublin facts.
 * @throws {DublinFactsInvalid} naming each wrong or unknown field.
 * @throws {DublinFactsInconsistent} when dates contradict each other or lie after `asOf`.
 */
export function parseDublinFacts(input: unknown): DublinFacts {
  const result = dublinFactsSchema.safeParse(input)
  if (!result.success) throw new DublinFactsInvalid(result.error.issues.map(describeIssue))
  checkConsistency(result.data)
  return result.data
}
