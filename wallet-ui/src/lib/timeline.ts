/**
 * The case timeline, the case's Dublin assessment and the deadline chart, as pure functions over
 * plain data (the server gathers the data, the pages render it; all are unit-tested here without a
 * browser).
 */

import {
  assembleDublinFacts,
  assessDublinCase,
  type DublinAssessment,
  type FactConflict,
  type FactProvenance,
  getMilestone,
  isAbsenceMilestone,
  isMilestoneType,
} from '@flora/credentials'

export type CredentialState = 'offered' | 'valid' | 'suspended' | 'revoked' | 'unknown'
export type AnchorState = 'anchored' | 'pending' | 'none'

/** One milestone of a case as the timeline shows it. */
export interface TimelineEntry {
  key: string
  milestoneId: string | null
  credentialId: string | null
  type: string
  stage: string
  /** The claim `milestoneDate` (YYYY-MM-DD). */
  milestoneDate: string | null
  issuerName: string
  authorityId: string | null
  issuedAt: string | null
  state: CredentialState
  inWallet: boolean
  anchor: { state: AnchorState; blockNumber: number | null; anchoredAt: string | null }
  claims: Record<string, unknown>
  /**
   * For an absence attestation (docs/DUBLIN-ABSENCE.md §3(a)): the event it says did not happen and
   * the as-of day (its milestoneDate) up to and including which it did not; null for other types.
   */
  absence: EntryAbsence | null
}

/** The events an absence can be about, as the timeline names them (message keys follow them). */
export const absenceEvents = ['reply', 'reexaminationReply', 'extension', 'suspensiveEffect', 'transfer', 'other'] as const
export type AbsenceEvent = (typeof absenceEvents)[number]

export interface EntryAbsence {
  event: AbsenceEvent
  /** Absent up to and including this day (YYYY-MM-DD), or null when the claim is missing. */
  through: string | null
}

/** The event fact (root pointer) an absence is about → how the timeline names it. */
const absenceEventOfFact: Readonly<Record<string, AbsenceEvent>> = {
  '/reply': 'reply',
  '/reexamination/reply': 'reexaminationReply',
  '/extensionNotified': 'extension',
  '/appeal': 'suspensiveEffect',
  '/transferExecuted': 'transfer',
}

/** The event named by an event-fact pointer (`/reply/notBy` → reply), `other` for any other fact. */
export function absenceEventOf(fact: string): AbsenceEvent {
  const root = fact.replace(/\/notBy$/, '')
  return absenceEventOfFact[root] ?? 'other'
}

/**
 * What an absence attestation says, from the catalogue (the type's `notBy` feed), so that a new
 * absence type needs no change here; null for a type that records an event.
 */
export function entryAbsence(type: string, milestoneDate: string | null): EntryAbsence | null {
  if (!isMilestoneType(type) || !isAbsenceMilestone(type)) return null
  const feed = getMilestone(type).feeds.find((mapping) => mapping.fact.endsWith('/notBy'))
  return { event: absenceEventOf(feed?.fact ?? ''), through: milestoneDate }
}

/** Oldest first by milestone date, then by issuance; undated entries last. */
export function sortTimeline(entries: TimelineEntry[]): TimelineEntry[] {
  const key = (e: TimelineEntry) => `${e.milestoneDate ?? '9999-99-99'}|${e.issuedAt ?? '9999'}|${e.key}`
  return [...entries].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
}

/** The Dublin state of a case as the list's filter knows it, from its milestones in force. */
export const dublinStates = [
  'none',
  'eurodac-hit',
  'request-sent',
  'accepted',
  'rejected',
  'transfer-decided',
  'transferred',
] as const
export type DublinState = (typeof dublinStates)[number]

const inForce = (e: TimelineEntry) => e.state !== 'revoked' && e.state !== 'offered'

export function dublinStateOf(entries: TimelineEntry[]): DublinState {
  const live = entries.filter(inForce)
  const has = (type: string) => live.some((e) => e.type === type)
  if (has('TransferExecutedMilestone')) return 'transferred'
  if (has('TransferDecisionMilestone')) return 'transfer-decided'
  const replies = sortTimeline(live.filter((e) => e.type === 'DublinReplyMilestone' || e.type === 'DublinReexaminationReplyMilestone'))
  const lastReply = replies.at(-1)
  if (lastReply) return lastReply.claims.replyType === 'rejection' ? 'rejected' : 'accepted'
  if (has('DublinRequestMilestone')) return 'request-sent'
  if (has('EurodacHitMilestone') || has('VisHitMilestone')) return 'eurodac-hit'
  return 'none'
}

/** The stage of the case: that of its latest milestone in force, or "none". */
export function stageOf(entries: TimelineEntry[]): string {
  return sortTimeline(entries.filter(inForce)).at(-1)?.stage ?? 'none'
}

/** Counts for the case header: how many valid, anchored, pending. */
export function timelineSummary(entries: TimelineEntry[]) {
  return {
    total: entries.length,
    valid: entries.filter((e) => e.state === 'valid').length,
    revoked: entries.filter((e) => e.state === 'revoked').length,
    suspended: entries.filter((e) => e.state === 'suspended').length,
    anchored: entries.filter((e) => e.anchor.state === 'anchored').length,
    pending: entries.filter((e) => e.anchor.state === 'pending').length,
  }
}

// --- The case's Dublin assessment

/** The case's Dublin assessment as the case page shows it. */
export interface CaseDublin {
  /** The assessment day (YYYY-MM-DD). */
  asOf: string
  /** Null when the milestones establish no Dublin fact, or the facts are inconsistent (`error`). */
  assessment: DublinAssessment | null
  /** The engine's reason when it refused the facts (inconsistent or invalid). */
  error: string | null
  /** Facts that rest on an absence (attested, or a value of an event an attestation preceded). */
  absences: { fact: string; event: AbsenceEvent; through: string; keys: string[] }[]
  /** Facts in dispute between milestones: left unknown, with the entries concerned. */
  conflicts: { fact: string; reason: FactConflict['reason']; keys: string[] }[]
  /** The request's type (TCR, TBR, TBR_ART24, TBN) when a milestone gives it. */
  requestType: string | null
  /**
   * Milestones disagree on the day the request was received: the reply period is not counted (not
   * from the day it was sent either), the page says why.
   */
  requestReceivedDisputed: boolean
  /** Facts without which nothing can be assessed (the states and the request type), when unknown. */
  unknownBasics: string[]
}

/** Facts every assessment needs: no milestone naming them, no assessment (not an error). */
const basicFacts = ['requestingState', 'requestedState', 'requestType'] as const

/**
 * Milestones whose facts count for the assessment: issued and neither revoked nor suspended, and
 * credentials of other issuers held in the case wallet (their status is not known here; the
 * verifier checks it when the case is presented).
 */
const countsForDublin = (e: TimelineEntry) => (e.state === 'valid' || e.state === 'unknown') && e.issuedAt !== null

/**
 * The case's Dublin assessment as of `asOf`: the facts of its milestones, absence attestations
 * included, combined by `assembleDublinFacts` (latest as-of day wins, an event after an absence
 * agrees with it, disputed facts stay unknown), then `assessDublinCase`. A fact no milestone speaks
 * about stays unknown; it is never read as "did not happen".
 */
export function caseDublin(entries: TimelineEntry[], asOf: string): CaseDublin {
  const counted = entries.filter((entry) => countsForDublin(entry) && isMilestoneType(entry.type))
  const empty = { asOf, absences: [], conflicts: [], requestType: null, requestReceivedDisputed: false, unknownBasics: [...basicFacts] }
  // A credential from another issuer carries whatever dates it likes: one whose issuance day cannot
  // be read cannot have its absence as-of day checked, so the case is not assessed and the page says
  // which credential it is (rather than leaving it out, which would change the outcome unseen).
  const unreadable = counted.find((entry) => utcDayOf(entry.issuedAt) === undefined)
  if (unreadable)
    return { ...empty, assessment: null, error: `${unreadable.type} ${unreadable.key}: issuance date not readable (${String(unreadable.issuedAt)})` }
  const sources = counted.map((entry) => ({ entry, type: entry.type, claims: entry.claims, issuedOn: utcDayOf(entry.issuedAt)! }))
  const keysOf = (indexes: number[]) => indexes.map((i) => sources[i]?.entry.key).filter((k): k is string => Boolean(k))
  // The assembly refuses what it cannot read (a foreign credential's claims are not validated here):
  // that is reported on the page like an inconsistency, never thrown at the page.
  try {
    const assembly = assembleDublinFacts({
      asOf,
      sources: sources.map(({ type, claims, issuedOn }, index) => ({ index, type, claims, issuedOn })),
    })
    const absences = assembly.provenance
      .filter((p): p is FactProvenance & { absentThrough: string } => p.absentThrough !== undefined)
      .map((p) => ({ fact: p.fact, event: absenceEventOf(p.fact), through: p.absentThrough, keys: keysOf(p.credentials) }))
    const conflicts = assembly.conflicts.map((c) => ({ fact: c.fact, reason: c.reason, keys: keysOf(c.credentials) }))
    const requestType = typeof assembly.facts.requestType === 'string' ? assembly.facts.requestType : null
    const unknownBasics = basicFacts.filter((fact) => assembly.facts[fact] === undefined)
    const requestReceivedDisputed = assembly.facts.requestReceivedDisputed === true
    const base = { asOf, absences, conflicts, requestType, requestReceivedDisputed, unknownBasics }
    // Before a milestone names the states and the request type there is nothing to assess yet.
    if (unknownBasics.length > 0) return { ...base, assessment: null, error: null }
    try {
      return { ...base, assessment: assessDublinCase(assembly.facts), error: null }
    } catch (error) {
      return { ...base, assessment: null, error: messageOf(error) }
    }
  } catch (error) {
    return { ...empty, assessment: null, error: messageOf(error) }
  }
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error))

/** Latest instant a Date can hold that still has a four-digit year (the catalogue's days are YYYY-MM-DD). */
const LAST_INSTANT = Date.parse('9999-12-31T23:59:59.999Z')
const FIRST_INSTANT = Date.parse('0000-01-01T00:00:00.000Z')

/** An instant (ms since the epoch) as a Date, or undefined when it is no number or has no four-digit year. */
function instantOf(ms: unknown): Date | undefined {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms > LAST_INSTANT || ms < FIRST_INSTANT) return undefined
  return new Date(ms)
}

/** The UTC day (YYYY-MM-DD) of an ISO instant; undefined when it does not parse or lies beyond year 9999. */
export function utcDayOf(instant: unknown): string | undefined {
  if (typeof instant !== 'string') return undefined
  return instantOf(Date.parse(instant))?.toISOString().slice(0, 10)
}

/**
 * When a credential from another issuer counts as issued (ISO instant): the earliest of its JWT
 * `iat` and `nbf`, its `vc.issuanceDate` and the moment the wallet received it. The earliest, because
 * an absence attestation may not attest days after its issuance (docs/DUBLIN-ABSENCE.md §3(a)): a
 * credential that says it was issued later than another of its dates, or after it reached the
 * wallet, must not gain days it could not have seen. Dates that are no numbers, no dates or beyond
 * year 9999 are ignored; the receipt always counts, so there is always an answer.
 */
export function foreignIssuedAt(claims: { iat?: unknown; nbf?: unknown; issuanceDate?: unknown }, receivedAt: Date): string {
  const candidates = [
    typeof claims.iat === 'number' ? instantOf(claims.iat * 1000) : undefined,
    typeof claims.nbf === 'number' ? instantOf(claims.nbf * 1000) : undefined,
    typeof claims.issuanceDate === 'string' ? instantOf(Date.parse(claims.issuanceDate)) : undefined,
    instantOf(receivedAt.getTime()),
  ].filter((d): d is Date => d !== undefined)
  const earliest = candidates.reduce<Date | undefined>((min, d) => (min === undefined || d < min ? d : min), undefined)
  return (earliest ?? receivedAt).toISOString()
}

// --- Dublin deadline chart

export interface ChartPoint {
  key: string
  date: string
  kind: 'event' | 'deadline'
  x: number
  /** Row of the label (0 or 1), alternating so that close labels do not overlap. */
  row: number
}

export interface DeadlineChart {
  width: number
  height: number
  start: string
  end: string
  points: ChartPoint[]
  today: { date: string; x: number } | null
}

/** Dates of an assessment that are events (what happened) rather than deadlines. */
const eventKeys = new Set([
  'lodgingDateForDublin',
  'registrationDate',
  'deemedAcceptedFrom',
  'transferPeriodStart',
  'requestingStateResponsibleFrom',
  'statusAsOf',
])

const DATE = /^\d{4}-\d{2}-\d{2}$/
const dayNumber = (date: string) => Math.round(Date.parse(`${date}T00:00:00Z`) / 86_400_000)

/**
 * Lays out the dates of a Dublin assessment on a horizontal time axis: events and deadlines as
 * points, today as a line when it falls within (or near) the range.
 */
export function deadlineChart(
  assessment: Record<string, unknown> | null | undefined,
  today: string,
  width = 640,
): DeadlineChart | null {
  if (!assessment) return null
  const dated = Object.entries(assessment)
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string' && DATE.test(entry[1]))
    .map(([key, date]) => ({ key, date, kind: eventKeys.has(key) ? ('event' as const) : ('deadline' as const) }))
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.key < b.key ? -1 : 1))
  if (dated.length === 0) return null
  const first = dated[0]!.date
  const last = dated.at(-1)!.date
  const from = Math.min(dayNumber(first), dayNumber(today))
  const to = Math.max(dayNumber(last), dayNumber(today))
  const span = Math.max(to - from, 1)
  const margin = 24
  const xOf = (date: string) => margin + ((dayNumber(date) - from) / span) * (width - 2 * margin)
  return {
    width,
    height: 120,
    start: from === dayNumber(today) ? today : first,
    end: to === dayNumber(today) ? today : last,
    points: dated.map((point, i) => ({ ...point, x: Math.round(xOf(point.date) * 10) / 10, row: i % 2 })),
    today: { date: today, x: Math.round(xOf(today) * 10) / 10 },
  }
}
