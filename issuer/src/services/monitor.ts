import { randomBytes, randomUUID } from 'node:crypto'
import {
  assessDublinCase,
  caseFactsFromMilestones,
  DEADLINE_KINDS,
  type DeadlineKind,
  type DeadlineRow,
  type DublinStatus,
  openDeadlines,
  type RuleSetId,
  todayIn,
} from '@flora/credentials'
import { BoundedCache } from '@flora/service-kit/bounded-cache'
import { type AllDayEvent, serializeCalendar } from '../domain/icalendar.ts'
import { hashToken } from '../domain/tokens.ts'
import { ResourceNotFound } from '../errors.ts'
import { qualified } from '../store/hot-path.ts'
import { audit } from './audit.ts'
import type { IssuerContext, Principal } from './context.ts'

/** One case of the monitor: its next deadlines, or why it could not be assessed. */
export type MonitorCase =
  | {
      caseId: string
      link: string
      assessed: true
      status: DublinStatus | null
      statusAsOf?: string
      ruleSet: RuleSetId | null
      /** The first open deadline: a recently passed one (overdue) or else the next one. */
      deadline: DeadlineRow | null
      /** Every open deadline, earliest first. */
      deadlines: DeadlineRow[]
    }
  | {
      caseId: string
      link: string
      assessed: false
      reason: {
        code: 'no-dublin-request' | 'facts-invalid' | 'facts-inconsistent' | 'not-assessable'
        detail: string
      }
    }

export interface DeadlineQuery {
  status?: DublinStatus
  kind?: DeadlineKind
  ruleSet?: RuleSetId
  sort: 'date' | 'daysLeft'
  order: 'asc' | 'desc'
  overdueWithinDays: number
  limit: number
  offset: number
}

const caseLink = (ctx: IssuerContext, caseId: string) =>
  `${ctx.config.FLORA_ISSUER_WALLET_URL}/cases/${encodeURIComponent(caseId)}`

/** Largest number of case ids in one IN (…) list (SQLite allows 32 766 bound values). */
const CHUNK = 500

/**
 * What the assessment of an authority's cases depends on in the database, in one aggregate: its
 * grants (only ever added) and the milestone records of those cases (only ever added; the one change
 * that matters afterwards is revocation, which is final). Any recording, supersession, revocation
 * or new grant, by any process on the database, changes the key. Costs one indexed aggregate over
 * the authority's records instead of reading and assessing them.
 */
async function assessmentVersion(ctx: IssuerContext, authorityId: string): Promise<string> {
  const grants = qualified(ctx.sql, 'CaseGrant')
  const records = qualified(ctx.sql, 'MilestoneRecord')
  const p = (n: number) => (ctx.sql.provider === 'postgresql' ? `$${n}` : '?')
  const rows = await ctx.db.$queryRawUnsafe<Record<string, unknown>[]>(
    `SELECT (SELECT COUNT(*) FROM ${grants} WHERE "authorityId" = ${p(1)}) AS "grants",
            (SELECT MAX("createdAt") FROM ${grants} WHERE "authorityId" = ${p(2)}) AS "lastGrant",
            COUNT(m."id") AS "records", MAX(m."createdAt") AS "lastRecord",
            SUM(CASE WHEN m."state" = 'revoked' THEN 1 ELSE 0 END) AS "revoked"
       FROM ${records} m JOIN ${grants} g ON g."caseId" = m."caseId" WHERE g."authorityId" = ${p(3)}`,
    authorityId,
    authorityId,
    authorityId,
  )
  const row = rows[0] ?? {}
  const text = (value: unknown) => (value instanceof Date ? value.toISOString() : String(value ?? ''))
  return ['grants', 'lastGrant', 'records', 'lastRecord', 'revoked'].map((name) => text(row[name])).join('|')
}

/** Assessments per issuer database (tests run several issuers in one process). */
const assessmentCaches = new WeakMap<
  object,
  BoundedCache<string, { version: string; cases: MonitorCase[] }>
>()

/**
 * {@link assessAuthorityCases}, kept per authority, day and overdue window until the authority's
 * records change (see {@link assessmentVersion}): the monitor and every calendar app polling a feed
 * cost one aggregate query while nothing was recorded. The returned list is shared: not to be changed.
 */
export async function cachedAuthorityCases(
  ctx: IssuerContext,
  authorityId: string,
  today: string,
  overdueWithinDays: number,
): Promise<readonly MonitorCase[]> {
  let cache = assessmentCaches.get(ctx.db)
  if (!cache) {
    cache = new BoundedCache(256)
    assessmentCaches.set(ctx.db, cache)
  }
  const key = JSON.stringify([authorityId, today, overdueWithinDays])
  const version = await assessmentVersion(ctx, authorityId)
  const hit = cache.get(key)
  if (hit?.version === version) return hit.cases
  const cases = await assessAuthorityCases(ctx, authorityId, today, overdueWithinDays)
  cache.set(key, { version, cases })
  return cases
}

/**
 * Assesses every case the authority holds a grant for — its own and those granted to it, exactly the
 * cases GET /cases lists — on the facts of its recorded milestones (not revoked), as of `today`. A
 * case that cannot be assessed is returned with the reason, never dropped and never an error.
 */
export async function assessAuthorityCases(
  ctx: IssuerContext,
  authorityId: string,
  today: string,
  overdueWithinDays: number,
): Promise<MonitorCase[]> {
  const grants = await ctx.db.caseGrant.findMany({
    where: { authorityId },
    select: { caseId: true },
    orderBy: { caseId: 'asc' },
  })
  const ids = grants.map((grant) => grant.caseId)
  const byCase = new Map<string, { type: string; claims: unknown; state: string }[]>()
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await ctx.db.milestoneRecord.findMany({
      where: { caseId: { in: ids.slice(i, i + CHUNK) } },
      select: { caseId: true, type: true, claimsJson: true, state: true },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    })
    for (const row of rows) {
      let claims: unknown
      try {
        claims = JSON.parse(row.claimsJson)
      } catch {
        claims = undefined
      }
      const list = byCase.get(row.caseId) ?? []
      list.push({ type: row.type, claims, state: row.state })
      byCase.set(row.caseId, list)
    }
  }
  return ids.map((caseId) => assessCase(ctx, caseId, byCase.get(caseId) ?? [], today, overdueWithinDays))
}

function assessCase(
  ctx: IssuerContext,
  caseId: string,
  milestones: { type: string; claims: unknown; state: string }[],
  today: string,
  overdueWithinDays: number,
): MonitorCase {
  const link = caseLink(ctx, caseId)
  const { facts } = caseFactsFromMilestones(milestones, today)
  if (
    facts.requestingState === undefined ||
    facts.requestedState === undefined ||
    facts.requestType === undefined
  )
    return {
      caseId,
      link,
      assessed: false,
      reason: {
        code: 'no-dublin-request',
        detail:
          'no Dublin request is recorded for the case: requesting state, requested state and request type are unknown',
      },
    }
  try {
    const assessment = assessDublinCase(facts)
    const deadlines = openDeadlines(assessment, facts, today, { overdueWithinDays })
    const statusAsOf = (assessment as { statusAsOf?: unknown }).statusAsOf
    return {
      caseId,
      link,
      assessed: true,
      status: assessment.status ?? null,
      ...(typeof statusAsOf === 'string' ? { statusAsOf } : {}),
      ruleSet: assessment.ruleSet,
      deadline: deadlines[0] ?? null,
      deadlines,
    }
  } catch (error) {
    const code = (error as { code?: unknown }).code
    return {
      caseId,
      link,
      assessed: false,
      reason: {
        code:
          code === 'ERR_DUBLIN_FACTS_INVALID'
            ? 'facts-invalid'
            : code === 'ERR_DUBLIN_FACTS_INCONSISTENT'
              ? 'facts-inconsistent'
              : 'not-assessable',
        detail: error instanceof Error ? error.message : String(error),
      },
    }
  }
}

/** Narrows a case to the deadlines of one kind (its first one becomes the case's deadline). */
function ofKind(item: MonitorCase, kind: DeadlineKind | undefined): MonitorCase | undefined {
  if (!kind) return item
  if (!item.assessed) return undefined
  const deadlines = item.deadlines.filter((row) => row.kind === kind)
  return deadlines.length ? { ...item, deadlines, deadline: deadlines[0]! } : undefined
}

/** GET /monitor/deadlines: the authority's cases by next deadline, filtered, sorted and paged. */
export async function listDeadlines(ctx: IssuerContext, by: Principal, query: DeadlineQuery) {
  const timeZone = ctx.config.FLORA_ISSUER_TIME_ZONE
  const asOf = todayIn(timeZone, ctx.now())
  const all = await cachedAuthorityCases(ctx, by.authorityId, asOf, query.overdueWithinDays)
  const filtered = all.flatMap((item) => {
    const narrowed = ofKind(item, query.kind)
    if (!narrowed) return []
    if ((query.status || query.ruleSet) && !narrowed.assessed) return []
    if (query.status && narrowed.assessed && narrowed.status !== query.status) return []
    if (query.ruleSet && narrowed.assessed && narrowed.ruleSet !== query.ruleSet) return []
    return [narrowed]
  })
  // Cases with a deadline by date (or days left: the same order, both count from today), then
  // those without an open deadline, then those not assessed; ties by case id, so pages are stable.
  const rank = (item: MonitorCase) => (item.assessed ? (item.deadline ? 0 : 1) : 2)
  const direction = query.order === 'desc' ? -1 : 1
  filtered.sort((a, b) => {
    const byRank = rank(a) - rank(b)
    if (byRank) return byRank
    if (a.assessed && b.assessed && a.deadline && b.deadline) {
      const key = query.sort === 'daysLeft' ? 'daysLeft' : 'date'
      const diff =
        key === 'daysLeft'
          ? a.deadline.daysLeft - b.deadline.daysLeft
          : a.deadline.date.localeCompare(b.deadline.date)
      if (diff) return diff * direction
      const byKind = DEADLINE_KINDS.indexOf(a.deadline.kind) - DEADLINE_KINDS.indexOf(b.deadline.kind)
      if (byKind) return byKind
    }
    return a.caseId.localeCompare(b.caseId)
  })
  await audit(ctx.db, by, { action: 'monitor.deadlines' })
  const items = filtered.slice(query.offset, query.offset + query.limit)
  const nextOffset = query.offset + items.length
  return {
    asOf,
    timeZone,
    total: filtered.length,
    items,
    ...(nextOffset < filtered.length ? { nextOffset } : {}),
  }
}

// --- calendar feeds: capability URLs, the token only as its hash

const FEED_TOKEN = /^[A-Za-z0-9_-]{43}$/

export const feedUrl = (ctx: IssuerContext, token: string) =>
  `${ctx.config.FLORA_ISSUER_PUBLIC_URL}/monitor/calendar/${token}.ics`

type FeedRow = {
  id: string
  createdByType: string | null
  createdById: string | null
  createdAt: Date
  expiresAt: Date | null
  revokedAt: Date | null
}

/** Whether the feed's creator still has access: a staff account not disabled, an API token live. */
async function creatorLive(ctx: IssuerContext, authorityId: string, row: FeedRow): Promise<boolean> {
  if (!row.createdById) return false
  if (row.createdByType === 'staff') {
    const account = await ctx.db.staffAccount.findUnique({ where: { id: row.createdById } })
    return !!account && account.authorityId === authorityId && !account.disabledAt
  }
  if (row.createdByType === 'api') {
    const token = await ctx.db.apiToken.findUnique({ where: { id: row.createdById } })
    return (
      !!token &&
      token.authorityId === authorityId &&
      !token.revokedAt &&
      !!token.expiresAt &&
      token.expiresAt.getTime() > ctx.now().getTime()
    )
  }
  return false
}

/** The feed as its authority sees it: who made it, until when, and whether it is served now. */
const feedView = (
  row: FeedRow,
  creator: { type: string; id: string; name: string | null } | null,
  state: 'active' | 'revoked' | 'expired' | 'creator-inactive',
) => ({
  id: row.id,
  createdAt: row.createdAt.toISOString(),
  createdBy: creator,
  expiresAt: row.expiresAt?.toISOString() ?? null,
  revokedAt: row.revokedAt?.toISOString() ?? null,
  state,
})

/**
 * A new feed of the caller's authority: the URL (with its 256-bit token) is shown only now. It is
 * tied to its creator (served only while their account or API token is) and ends after
 * FLORA_ISSUER_CALENDAR_FEED_DAYS: a URL copied into a calendar must not outlive the person's access.
 */
export async function createCalendarFeed(ctx: IssuerContext, by: Principal) {
  const token = randomBytes(32).toString('base64url')
  const now = ctx.now()
  const row = await ctx.db.calendarFeed.create({
    data: {
      id: randomUUID(),
      authorityId: by.authorityId,
      tokenHash: hashToken(token),
      createdByType: by.actorType,
      createdById: by.actorId,
      createdAt: now,
      expiresAt: new Date(now.getTime() + ctx.config.FLORA_ISSUER_CALENDAR_FEED_DAYS * 86_400_000),
    },
  })
  await audit(ctx.db, by, { action: 'calendar-feed.create', subjectId: row.id })
  const [item] = await describeFeeds(ctx, by.authorityId, [row])
  return { ...item!, url: feedUrl(ctx, token) }
}

async function describeFeeds(ctx: IssuerContext, authorityId: string, rows: FeedRow[]) {
  const staffIds = rows.flatMap((row) =>
    row.createdByType === 'staff' && row.createdById ? [row.createdById] : [],
  )
  const tokenIds = rows.flatMap((row) =>
    row.createdByType === 'api' && row.createdById ? [row.createdById] : [],
  )
  const staff = new Map(
    (await ctx.db.staffAccount.findMany({ where: { id: { in: staffIds }, authorityId } })).map((a) => [
      a.id,
      a,
    ]),
  )
  const tokens = new Map(
    (await ctx.db.apiToken.findMany({ where: { id: { in: tokenIds }, authorityId } })).map((t) => [t.id, t]),
  )
  const now = ctx.now().getTime()
  return rows.map((row) => {
    const account = row.createdByType === 'staff' ? staff.get(row.createdById ?? '') : undefined
    const token = row.createdByType === 'api' ? tokens.get(row.createdById ?? '') : undefined
    const creator = row.createdById
      ? {
          type: row.createdByType ?? 'unknown',
          id: row.createdById,
          name: account?.username ?? token?.name ?? null,
        }
      : null
    const live = account
      ? !account.disabledAt
      : token
        ? !token.revokedAt && !!token.expiresAt && token.expiresAt.getTime() > now
        : false
    const state = row.revokedAt
      ? 'revoked'
      : !row.expiresAt || row.expiresAt.getTime() <= now
        ? 'expired'
        : live
          ? 'active'
          : 'creator-inactive'
    return feedView(row, creator, state)
  })
}

export async function listCalendarFeeds(ctx: IssuerContext, by: Principal) {
  const rows = await ctx.db.calendarFeed.findMany({
    where: { authorityId: by.authorityId },
    orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
  })
  return describeFeeds(ctx, by.authorityId, rows)
}

/** Revokes a feed of the caller's authority (final); another authority's feed is not found. */
export async function revokeCalendarFeed(ctx: IssuerContext, by: Principal, feedId: string) {
  const row = await ctx.db.calendarFeed.findUnique({ where: { id: feedId } })
  if (!row || row.authorityId !== by.authorityId) throw new ResourceNotFound('calendar feed not found')
  if (!row.revokedAt)
    await ctx.db.calendarFeed.update({ where: { id: row.id }, data: { revokedAt: ctx.now() } })
  await audit(ctx.db, by, { action: 'calendar-feed.revoke', subjectId: row.id })
}

/**
 * Revokes every live feed a staff account or an API token created, when the account is disabled or
 * the token revoked (the download checks the creator as well; this makes the end visible and final).
 */
export async function revokeFeedsOf(
  db: Pick<IssuerContext['db'], 'calendarFeed'>,
  creator: { type: 'staff' | 'api'; id: string },
  at: Date,
): Promise<void> {
  await db.calendarFeed.updateMany({
    where: { createdByType: creator.type, createdById: creator.id, revokedAt: null },
    data: { revokedAt: at },
  })
}

/**
 * The authority a live feed token belongs to. An unknown, malformed, revoked or expired token, or one
 * whose creator no longer has access, is not found (the same answer for all: a feed URL tells nothing).
 */
export async function feedAuthority(ctx: IssuerContext, token: string) {
  const row = FEED_TOKEN.test(token)
    ? await ctx.db.calendarFeed.findUnique({ where: { tokenHash: hashToken(token) } })
    : null
  if (
    !row ||
    row.revokedAt ||
    !row.expiresAt ||
    row.expiresAt.getTime() <= ctx.now().getTime() ||
    !(await creatorLive(ctx, row.authorityId, row))
  )
    throw new ResourceNotFound('calendar feed not found')
  return { feedId: row.id, authorityId: row.authorityId }
}

const KIND_NAMES: Record<DeadlineKind, string> = {
  request: 'Request',
  reply: 'Reply',
  transferDecision: 'Transfer decision',
  transfer: 'Transfer',
  reexaminationRequest: 'Re-examination request',
  reexaminationReply: 'Re-examination reply',
}
const RULE_SET_NAMES: Record<RuleSetId, string> = { DUBLIN_III: 'Dublin III', AMMR: 'AMMR' }

/**
 * The feed's calendar: one all-day event per upcoming deadline (today or later) of every case the
 * authority holds. Only the deadline, its legal basis and the case link: no file number, no name, no
 * claim value — a calendar is stored and synchronised far outside the authority.
 */
export async function calendarOf(ctx: IssuerContext, authorityId: string): Promise<string> {
  const now = ctx.now()
  const today = todayIn(ctx.config.FLORA_ISSUER_TIME_ZONE, now)
  const host = new URL(ctx.config.FLORA_ISSUER_PUBLIC_URL).host
  const events: AllDayEvent[] = []
  for (const item of await cachedAuthorityCases(ctx, authorityId, today, 0)) {
    if (!item.assessed) continue
    const ruleSet = item.ruleSet ? RULE_SET_NAMES[item.ruleSet] : 'rule set undetermined'
    for (const row of item.deadlines) {
      if (row.overdue) continue
      events.push({
        uid: `${item.caseId}-${row.kind}@${host}`,
        date: row.date,
        summary: `Dublin deadline: ${KIND_NAMES[row.kind]} (${ruleSet})`,
        description: [
          `Deadline: ${KIND_NAMES[row.kind]} (last day in time)`,
          `Rule set: ${ruleSet}`,
          `Article: ${row.article ?? 'not given'}`,
          `Status: ${item.status ?? 'not determined'}`,
          `Case: ${item.link}`,
        ].join('\n'),
        url: item.link,
      })
    }
  }
  events.sort((a, b) => a.date.localeCompare(b.date) || a.uid.localeCompare(b.uid))
  return serializeCalendar({
    prodId: '-//FLORA-VC//Dublin deadline monitor//EN',
    name: 'Dublin deadlines',
    events,
    stamp: now,
  })
}
