/**
 * The case timeline and the Dublin deadline chart, as pure functions over plain data (the server
 * gathers the data, the pages render it; both are unit-tested here without a browser).
 */

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
