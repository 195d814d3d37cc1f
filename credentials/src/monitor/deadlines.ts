// The deadline monitor's view of an assessment: which Dublin deadlines of a case are still open (the
// act they are for has not been recorded), how many calendar days are left, and the article each
// rests on. Pure: facts, assessment and today's date in, rows out.
import { compareIsoDates, type IsoDate, isIsoDate, toDayNumber } from '../calendar/iso-date.ts'
import type { DublinAssessment } from '../dublin/assessment.ts'

/** The deadlines the monitor follows, in procedural order. */
export const DEADLINE_KINDS = [
  'request',
  'reply',
  'transferDecision',
  'transfer',
  'reexaminationRequest',
  'reexaminationReply',
] as const
export type DeadlineKind = (typeof DEADLINE_KINDS)[number]

/** The assessment field that holds each kind's date (its explanation entry has the same subject). */
export const DEADLINE_FIELDS = {
  request: 'requestDeadline',
  reply: 'replyDeadline',
  transferDecision: 'transferDecisionDeadline',
  transfer: 'transferDeadline',
  reexaminationRequest: 'reexaminationRequestDeadline',
  reexaminationReply: 'reexaminationReplyDeadline',
} as const satisfies Record<DeadlineKind, keyof DublinAssessment>

export interface DeadlineRow {
  kind: DeadlineKind
  /** The last day on which the act is still in time. */
  date: IsoDate
  /** Calendar days from today to `date`: 0 on the day itself, negative once it has passed. */
  daysLeft: number
  /** The day has passed and the act is still not recorded. */
  overdue: boolean
  /** The legal basis the assessment gives for the date (e.g. "AMMR Art. 40(1)"), null if none. */
  article: string | null
}

/**
 * Whether a fact records that the event happened. Absent (unknown), `null` (known not to have
 * happened) and `{ notBy }` (not up to that day) all leave the act open: the monitor shows the
 * deadline until an event is recorded, whichever way its absence is known.
 */
function happened(value: unknown): boolean {
  if (value === undefined || value === null) return false
  if (typeof value === 'object' && !Array.isArray(value) && 'notBy' in value) return false
  return true
}

const field = (facts: Readonly<Record<string, unknown>>, ...path: string[]): unknown => {
  let value: unknown = facts
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined
    value = (value as Record<string, unknown>)[key]
  }
  return value
}

/** Whether the act a deadline is for is still to come, judged by the facts the assessment used. */
function isOpen(kind: DeadlineKind, facts: Readonly<Record<string, unknown>>): boolean {
  switch (kind) {
    case 'request':
      return !happened(facts.requestSent)
    case 'reply':
      return happened(facts.requestSent) && !happened(facts.reply)
    case 'transferDecision':
      return !happened(facts.transferDecisionServed) && !happened(facts.transferExecuted)
    case 'transfer':
      return !happened(facts.transferExecuted)
    case 'reexaminationRequest':
      return !happened(facts.reexamination)
    case 'reexaminationReply':
      return happened(facts.reexamination) && !happened(field(facts, 'reexamination', 'reply'))
  }
}

/** The basis of the assessment's last explanation entry for a field (the one that set its value). */
function articleOf(assessment: DublinAssessment, subject: string, date: IsoDate): string | null {
  const entries = assessment.explanation.filter((entry) => entry.subject === subject)
  const entry = entries.findLast((e) => e.date === date) ?? entries.at(-1)
  return entry?.basis ?? null
}

export const daysBetween = (from: IsoDate, to: IsoDate) => toDayNumber(to) - toDayNumber(from)

/**
 * The open deadlines of an assessed case, earliest first: every one not yet passed, and those passed
 * within `overdueWithinDays` days, flagged overdue. A deadline whose act the facts record (a request
 * sent, a reply received, a transfer executed…) is not listed, nor is one the assessment did not
 * compute.
 */
export function openDeadlines(
  assessment: DublinAssessment,
  facts: Readonly<Record<string, unknown>>,
  today: IsoDate,
  options: { overdueWithinDays?: number } = {},
): DeadlineRow[] {
  const window = options.overdueWithinDays ?? 30
  const rows: DeadlineRow[] = []
  for (const kind of DEADLINE_KINDS) {
    const date = assessment[DEADLINE_FIELDS[kind]]
    if (typeof date !== 'string' || !isIsoDate(date) || !isOpen(kind, facts)) continue
    const daysLeft = daysBetween(today, date)
    if (daysLeft < -window) continue
    rows.push({
      kind,
      date,
      daysLeft,
      overdue: daysLeft < 0,
      article: articleOf(assessment, DEADLINE_FIELDS[kind], date),
    })
  }
  return rows.sort(
    (a, b) =>
      compareIsoDates(a.date, b.date) || DEADLINE_KINDS.indexOf(a.kind) - DEADLINE_KINDS.indexOf(b.kind),
  )
}

/**
 * Today's calendar date in an IANA time zone (the day a deadline is counted from).
 * @throws {RangeError} for a zone the runtime does not know
 */
export function todayIn(timeZone: string, now: Date = new Date()): IsoDate {
  const parts = dayFormatter(timeZone).formatToParts(now)
  const part = (type: string) => parts.find((p) => p.type === type)!.value
  return `${part('year')}-${part('month')}-${part('day')}`
}

// Building an Intl.DateTimeFormat costs far more than formatting with one, and the verifier asks
// for today's day on every verification: one formatter per zone, kept.
const dayFormatters = new Map<string, Intl.DateTimeFormat>()
function dayFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = dayFormatters.get(timeZone)
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    })
    dayFormatters.set(timeZone, formatter)
  }
  return formatter
}

/** Whether the runtime knows this IANA time zone. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone })
    return true
  } catch {
    return false
  }
}
