// The input of the assessment: dated facts of one Dublin case, validated strictly so that a field the
// assessment does not know (a typo, a field of another version) is refused instead of silently
// ignored: an ignored fact would be read as "not happened".
import { z } from 'zod'
import { isIsoDate } from '../calendar/iso-date.ts'
import { absentThrough, type EventFact, type EventValue, isNotBy, eventValue } from './absence.ts'
import { DublinFactsInconsistent, DublinFactsInvalid } from './errors.ts'

/**
 * Years the engine accepts. Periods of up to three years plus roll-forwards are added to the facts'
 * days; near year 10000 that leaves the YYYY-MM-DD form and failed with an untyped TypeError, so far
 * years are refused as invalid facts instead (no Dublin case lies before 1900 or after 9000).
 */
export const MIN_FACT_YEAR = 1900
export const MAX_FACT_YEAR = 9000

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a calendar date YYYY-MM-DD')
  .refine(isIsoDate, { message: 'must be an existing calendar date' })
  .refine((day) => Number(day.slice(0, 4)) >= MIN_FACT_YEAR && Number(day.slice(0, 4)) <= MAX_FACT_YEAR, {
    message: `must lie in the years ${MIN_FACT_YEAR} to ${MAX_FACT_YEAR}`,
  })
const memberState = z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code')

/** `{ notBy }`: known not to have happened up to and including that day (docs/DUBLIN-ABSENCE.md §1). */
const notBySchema = z.strictObject({ notBy: isoDate })

/**
 * An event fact: the event's value, `null` (not happened by asOf) or `{ notBy }`; an absent field is
 * unknown and is never read as "not happened".
 */
function eventFact<T extends z.ZodType>(value: T) {
  return z.union([value, z.null(), notBySchema]).optional()
}

/** The event facts of the input, by path (the final list of docs/DUBLIN-ABSENCE.md §1). */
export const EVENT_FACTS = [
  'eurodacHit',
  'requestSent',
  'reply',
  'reexamination',
  'reexamination.reply',
  'transferDecisionServed',
  'appeal',
  'authoritySuspension',
  'absconded',
  'imprisoned',
  'extensionNotified',
  'transferExecuted',
] as const

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
  eurodacHit: eventFact(
    z.strictObject({
      category: z.union([z.literal(1), z.literal(2), z.literal(3)]),
      received: isoDate,
      searchCategory: z.union([z.string(), z.number()]).optional(),
      recordedUnder: z.string().optional(),
      responsibleIndicated: memberState.optional(),
    }),
  ),
  requestSent: eventFact(isoDate),
  requestReceived: isoDate.optional(),
  /**
   * The sources disagree on the day of receipt: the reply deadline is not computed (the engine does
   * not fall back to requestSent), `requestReceived` is listed in missingFacts.
   */
  requestReceivedDisputed: z.literal(true).optional(),
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
  reply: eventFact(replySchema),
  reexamination: eventFact(z.strictObject({ requestSent: isoDate, reply: eventFact(replySchema) })),
  transferDecisionServed: eventFact(isoDate),
  appeal: eventFact(
    z.strictObject({
      actionFiled: isoDate.optional(),
      urgentApplicationFiled: isoDate.optional(),
      suspensiveEffect: z.boolean(),
      suspensiveEffectOrdered: isoDate.optional(),
      suspensiveEffectEnded: isoDate.optional(),
      /**
       * No (further) suspensive effect is established up to and including this day (an absence
       * attestation kept beside the appeal; never after asOf). Without it an appeal without
       * suspensive effect excludes one only on the days it records.
       */
      noSuspensiveEffectThrough: isoDate.optional(),
    }),
  ),
  authoritySuspension: eventFact(
    z.strictObject({ from: isoDate, to: isoDate.optional(), reason: z.string().optional() }),
  ),
  absconded: eventFact(
    z.strictObject({ from: isoDate, established: z.boolean(), facts: z.string().optional() }),
  ),
  imprisoned: eventFact(z.strictObject({ from: isoDate, to: isoDate.optional() })),
  extensionNotified: eventFact(z.strictObject({ date: isoDate, ground: z.enum(EXTENSION_GROUNDS) })),
  transferExecuted: eventFact(isoDate),
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

/**
 * The facts of a Dublin case. For every event fact (`EVENT_FACTS`): `null` = known not to have
 * happened by `asOf`, `{ notBy }` = not up to and including that day, absent = unknown.
 */
export type DublinFacts = z.infer<typeof dublinFactsSchema>
export type DublinReply = z.infer<typeof replySchema>
export type EurodacHit = EventValue<DublinFacts['eurodacHit']>
export type { EventFact }
export type ExtensionGround = (typeof EXTENSION_GROUNDS)[number]

function issuePath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? 'facts' : path.map(String).join('.')
}

function describeIssue(issue: z.core.$ZodIssue, prefix: readonly PropertyKey[] = []): string {
  if (issue.code === 'invalid_union' && issue.errors.length) {
    // An event fact is a union of its value, null and { notBy }: report the branch that came closest
    // (skipping branches that failed on the type of the whole value), not a bare "invalid input".
    const at = [...prefix, ...issue.path]
    const branches = issue.errors.filter(
      (b) => !(b.length === 1 && b[0]!.code === 'invalid_type' && b[0]!.path.length === 0),
    )
    const best = [...branches].sort((a, b) => a.length - b.length)[0]
    if (best) return best.map((i) => describeIssue(i, at)).join('; ')
    return `${issuePath(at)}: must be the event, null (not happened by asOf) or { "notBy": "YYYY-MM-DD" }`
  }
  issue = { ...issue, path: [...prefix, ...issue.path] } as z.core.$ZodIssue
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
    ['eurodacHit.received', eventValue(f.eurodacHit)?.received],
    ['requestSent', eventValue(f.requestSent)],
    ['requestReceived', f.requestReceived],
    ['detainedFrom', f.detainedFrom],
    ['reply.received', eventValue(f.reply)?.received],
    ['reexamination.requestSent', eventValue(f.reexamination)?.requestSent],
    ['reexamination.reply.received', eventValue(eventValue(f.reexamination)?.reply)?.received],
    ['transferDecisionServed', eventValue(f.transferDecisionServed)],
    ['appeal.actionFiled', eventValue(f.appeal)?.actionFiled],
    ['appeal.urgentApplicationFiled', eventValue(f.appeal)?.urgentApplicationFiled],
    ['appeal.suspensiveEffectOrdered', eventValue(f.appeal)?.suspensiveEffectOrdered],
    ['appeal.suspensiveEffectEnded', eventValue(f.appeal)?.suspensiveEffectEnded],
    ['authoritySuspension.from', eventValue(f.authoritySuspension)?.from],
    ['absconded.from', eventValue(f.absconded)?.from],
    ['imprisoned.from', eventValue(f.imprisoned)?.from],
    ['extensionNotified.date', eventValue(f.extensionNotified)?.date],
    ['transferExecuted', eventValue(f.transferExecuted)],
    ['verifier.applicationLodgedInVerifierState', f.verifier?.applicationLodgedInVerifierState],
    ['verifier.eurodacHitReceivedByVerifier', f.verifier?.eurodacHitReceivedByVerifier],
  ]
}

/** Every event fact with its path, for the `{ notBy }` checks. */
function eventFacts(f: DublinFacts): [string, unknown][] {
  return [
    ['eurodacHit', f.eurodacHit],
    ['requestSent', f.requestSent],
    ['reply', f.reply],
    ['reexamination', f.reexamination],
    ['reexamination.reply', eventValue(f.reexamination)?.reply],
    ['transferDecisionServed', f.transferDecisionServed],
    ['appeal', f.appeal],
    ['authoritySuspension', f.authoritySuspension],
    ['absconded', f.absconded],
    ['imprisoned', f.imprisoned],
    ['extensionNotified', f.extensionNotified],
    ['transferExecuted', f.transferExecuted],
  ]
}

function checkConsistency(f: DublinFacts): void {
  for (const [field, date] of datedEvents(f))
    if (date && date > f.asOf)
      throw new DublinFactsInconsistent(field, `(${date}) lies after asOf (${f.asOf})`)
  for (const [field, fact] of eventFacts(f))
    if (isNotBy(fact) && fact.notBy > f.asOf)
      throw new DublinFactsInconsistent(
        `${field}.notBy`,
        `(${fact.notBy}) lies after asOf (${f.asOf}): an absence cannot be known beyond the day of the assessment`,
      )
  const appealThrough = eventValue(f.appeal)?.noSuspensiveEffectThrough
  if (appealThrough && appealThrough > f.asOf)
    throw new DublinFactsInconsistent(
      'appeal.noSuspensiveEffectThrough',
      `(${appealThrough}) lies after asOf (${f.asOf}): an absence cannot be known beyond the day of the assessment`,
    )
  // An event that happened cannot be absent on or after the day of a later event that presupposes it.
  const absentOn = (field: string, fact: unknown, later: string, on: string | undefined) => {
    const through = absentThrough(fact, f.asOf)
    if (on && through && through >= on)
      throw new DublinFactsInconsistent(
        field,
        `is stated as not happened up to ${through}, but ${later} happened ${on}`,
      )
  }
  const firstReply = eventValue(f.reply)
  const re = eventValue(f.reexamination)
  const sent = eventValue(f.requestSent)
  absentOn('requestSent', f.requestSent, 'reply.received', firstReply?.received)
  absentOn('requestSent', f.requestSent, 'requestReceived', f.requestReceived)
  absentOn('reply', f.reply, 'reexamination.requestSent', re?.requestSent)
  const before = (a: string, da: string | undefined | null, b: string, db: string | undefined | null) => {
    if (da && db && db < da) throw new DublinFactsInconsistent(b, `(${db}) precedes ${a} (${da})`)
  }
  before('requestSent', sent, 'requestReceived', f.requestReceived)
  before('requestReceived', f.requestReceived ?? sent, 'reply.received', firstReply?.received)
  before('reply.received', firstReply?.received, 'reexamination.requestSent', re?.requestSent)
  before(
    'reexamination.requestSent',
    re?.requestSent,
    'reexamination.reply.received',
    eventValue(re?.reply)?.received,
  )
  const appeal = eventValue(f.appeal)
  before(
    'appeal.suspensiveEffectOrdered',
    appeal?.suspensiveEffectOrdered,
    'appeal.suspensiveEffectEnded',
    appeal?.suspensiveEffectEnded,
  )
  if (f.requestedState === f.requestingState)
    throw new DublinFactsInconsistent('requestedState', 'equals requestingState')
  // A reply without a known request date is not an inconsistency (docs/DUBLIN-ABSENCE.md §5): the
  // assessment computes what does not depend on the request and lists requestSent as missing.
  if (re && firstReply && !['rejection', 'nonConfirmation'].includes(firstReply.type))
    throw new DublinFactsInconsistent(
      'reexamination',
      'is given although the reply was not a rejection or non-confirmation',
    )
  const takeBackReplies = ['confirmation', 'nonConfirmation']
  for (const [field, reply] of [
    ['reply', firstReply],
    ['reexamination.reply', eventValue(re?.reply)],
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
  if (!result.success) throw new DublinFactsInvalid(result.error.issues.map((i) => describeIssue(i)))
  checkConsistency(result.data)
  return result.data
}
