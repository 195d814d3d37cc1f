import { DEADLINE_KINDS, type DeadlineRow, DUBLIN_STATUSES } from '@flora/credentials'
import { fail } from '@sveltejs/kit'
import { failLoad, requireParty } from '$lib/server/guard'
import { call, ServiceError } from '$lib/server/services'
import type { Actions, PageServerLoad } from './$types'

/** One case as GET /monitor/deadlines answers it. */
type MonitorItem =
  | {
      caseId: string
      assessed: true
      status: string | null
      ruleSet: 'DUBLIN_III' | 'AMMR' | null
      deadline: DeadlineRow | null
    }
  | { caseId: string; assessed: false; reason: { code: string; detail: string } }

interface DeadlinesPage {
  asOf: string
  timeZone: string
  total: number
  items: MonitorItem[]
  nextOffset?: number
}

interface Feed {
  id: string
  createdAt: string
  revokedAt: string | null
}

const PAGE = 50
const pick = <T extends string>(value: string | null, allowed: readonly T[]): T | '' =>
  value && (allowed as readonly string[]).includes(value) ? (value as T) : ''

/**
 * The deadline monitor: the issuer computes and isolates (only the authority's cases); the page only
 * passes on the filter, sort and page of its GET form, each checked against the values it offers, so
 * that a hand-edited address shows the unfiltered list instead of an error.
 */
export const load: PageServerLoad = async ({ locals, url }) => {
  const session = requireParty(locals, url, 'authority')
  const filters = {
    status: pick(url.searchParams.get('status'), DUBLIN_STATUSES),
    kind: pick(url.searchParams.get('kind'), DEADLINE_KINDS),
    sort: pick(url.searchParams.get('sort'), ['date', 'daysLeft'] as const) || 'date',
  }
  const offsetParam = Number(url.searchParams.get('offset') ?? '0')
  const offset = Number.isInteger(offsetParam) && offsetParam >= 0 && offsetParam <= 100_000 ? offsetParam : 0
  const query = new URLSearchParams({ sort: filters.sort, limit: String(PAGE), offset: String(offset) })
  if (filters.status) query.set('status', filters.status)
  if (filters.kind) query.set('kind', filters.kind)
  try {
    const [deadlines, feeds] = await Promise.all([
      call<DeadlinesPage>('issuer', `/monitor/deadlines?${query}`, { token: session.serviceToken }),
      call<{ items: Feed[] }>('issuer', '/monitor/calendar-feeds', { token: session.serviceToken }),
    ])
    const pageLink = (to: number) => {
      const params = new URLSearchParams()
      if (filters.status) params.set('status', filters.status)
      if (filters.kind) params.set('kind', filters.kind)
      if (filters.sort !== 'date') params.set('sort', filters.sort)
      if (to > 0) params.set('offset', String(to))
      const search = params.toString()
      return `/monitor${search ? `?${search}` : ''}`
    }
    return {
      filters,
      statuses: [...DUBLIN_STATUSES],
      kinds: [...DEADLINE_KINDS],
      asOf: deadlines.asOf,
      timeZone: deadlines.timeZone,
      total: deadlines.total,
      items: deadlines.items,
      next: deadlines.nextOffset !== undefined ? pageLink(deadlines.nextOffset) : null,
      previous: offset > 0 ? pageLink(Math.max(0, offset - PAGE)) : null,
      feeds: feeds.items,
    }
  } catch (error) {
    failLoad(error, url)
  }
}

export const actions: Actions = {
  /** A new calendar feed: its URL is shown once, in this answer only. */
  createFeed: async ({ locals, url }) => {
    const session = requireParty(locals, url, 'authority')
    try {
      const feed = await call<Feed & { url: string }>('issuer', '/monitor/calendar-feeds', {
        method: 'POST',
        body: {},
        token: session.serviceToken,
      })
      return { createdFeedUrl: feed.url }
    } catch (error) {
      if (error instanceof ServiceError && error.kind !== 'unauthenticated')
        return fail(error.status >= 400 && error.status < 600 ? error.status : 503, { feedError: error.detail })
      failLoad(error, url)
    }
  },
  revokeFeed: async ({ locals, url, request }) => {
    const session = requireParty(locals, url, 'authority')
    const id = String((await request.formData()).get('id') ?? '')
    if (!/^[0-9a-f-]{36}$/.test(id)) return fail(400, { feedError: 'unknown feed' })
    try {
      await call('issuer', `/monitor/calendar-feeds/${id}`, { method: 'DELETE', token: session.serviceToken })
      return { revokedFeed: id }
    } catch (error) {
      if (error instanceof ServiceError && error.kind !== 'unauthenticated')
        return fail(error.status >= 400 && error.status < 600 ? error.status : 503, { feedError: error.detail })
      failLoad(error, url)
    }
  },
}
