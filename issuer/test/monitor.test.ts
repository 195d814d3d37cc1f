import { spawnSync } from 'node:child_process'
import { Writable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { DUBLIN_STATUSES } from '@flora/credentials'
import { type TestDatabase, tempPostgresDatabase, tempSqliteDatabase } from '@flora/db/testing'
import { createLogger } from '@flora/service-kit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadIssuerConfig } from '../src/config.ts'
import { cachedAuthorityCases } from '../src/services/monitor.ts'
import {
  addAuthority,
  api,
  bootIssuer,
  newHolder,
  type TestAuthority,
  type TestIssuer,
} from './helpers/harness.ts'

// The deadline monitor over HTTP, on SQLite and on PostgreSQL: per-authority isolation, a case
// waiting for a reply, the move to the transfer deadlines once the acceptance is recorded, the
// calendar feed (capability URL, revocation, nothing personal) parsed by ical.js in three zones.

const WALLET = 'http://wallet.test'
// 10:00 UTC on 7 Dec 2026: the same day in Berlin, Paris and Los Angeles; in Kiritimati it is the 8th.
const NOW = new Date('2026-12-07T10:00:00Z')
// Values that must never reach a calendar: file number, request basis text, Eurodac reference, holder.
const FILE_NUMBER = 'AZ-ZEBRA-4711'
const REQUEST_BASIS = 'Art. 17(2)'
const EURODAC = 'DE1ZEBRA99887766'

const parser = fileURLToPath(new URL('./helpers/parse-ics.ts', import.meta.url))

/** ical.js in a child process with its own TZ: the day every event falls on there. */
function parseIn(tz: string, ics: string) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', parser], {
    input: ics,
    env: { ...process.env, TZ: tz },
    encoding: 'utf8',
  })
  if (result.status !== 0) throw new Error(result.stderr)
  return JSON.parse(result.stdout) as {
    tz: string
    events: {
      uid: string
      summary: string
      description: string
      isDate: boolean
      start: string
      localStartDay: string
      localEndDay: string
      durationDays: number
    }[]
  }
}

const databases: [string, () => Promise<TestDatabase> | TestDatabase][] = [
  ['SQLite', () => tempSqliteDatabase()],
  ['PostgreSQL', () => tempPostgresDatabase()],
]

describe.each(databases)('deadline monitor on %s', (_name, database) => {
  let t: TestIssuer
  let lds: TestAuthority
  let dublin: TestAuthority
  let police: TestAuthority
  let waiting: string
  let unassessable: string
  let holderDid: string
  let feed: { id: string; url: string }
  let replyId: string

  beforeAll(async () => {
    t = await bootIssuer({ FLORA_ISSUER_WALLET_URL: WALLET }, { database: await database(), now: () => NOW })
    lds = await addAuthority(t, {
      id: 'lds',
      role: 'RECEPTION_AUTHORITY',
      accreditedTypes: ['ApplicationRegisteredMilestone'],
    })
    dublin = await addAuthority(t, {
      id: 'bamf-dublin',
      role: 'BAMF_DUBLIN_UNIT',
      accreditedTypes: ['DublinRequestMilestone', 'DublinReplyMilestone'],
    })
    police = await addAuthority(t, { id: 'bpol', role: 'FEDERAL_POLICE', accreditedTypes: [] })
    const holder = newHolder()
    holderDid = holder.did
    waiting = (await api(t, dublin.staffToken, 'POST', '/cases', { holderDid, fileNumber: FILE_NUMBER })).body
      .id
    expect(
      (await api(t, dublin.staffToken, 'POST', `/cases/${waiting}/grants`, { authorityId: 'lds' })).status,
    ).toBe(201)
    expect(
      (
        await api(t, lds.staffToken, 'POST', `/cases/${waiting}/milestones`, {
          type: 'ApplicationRegisteredMilestone',
          claims: { milestoneDate: '2026-10-01' },
        })
      ).status,
    ).toBe(201)
    // an AMMR take charge request sent (and received) on 20 Nov 2026: reply due 21 Dec 2026
    const request = await api(t, dublin.staffToken, 'POST', `/cases/${waiting}/milestones`, {
      type: 'DublinRequestMilestone',
      claims: {
        milestoneDate: '2026-11-20',
        requestType: 'TCR',
        requestingState: 'DE',
        requestedState: 'IT',
        requestReceived: '2026-11-20',
        requestBasis: REQUEST_BASIS,
      },
      eurodacReference: EURODAC,
    })
    expect(request.status, JSON.stringify(request.body)).toBe(201)
    unassessable = (await api(t, dublin.staffToken, 'POST', '/cases', { holderDid: newHolder().did })).body.id
  }, 120_000)
  afterAll(async () => {
    await t?.close()
  })

  it('lists a case waiting for a reply with its reply deadline, and a case it cannot assess with the reason', async () => {
    const response = await api(t, dublin.staffToken, 'GET', '/monitor/deadlines')
    expect(response.status).toBe(200)
    expect(response.body).toMatchObject({ asOf: '2026-12-07', timeZone: 'Europe/Berlin', total: 2 })
    const [first, second] = response.body.items
    expect(first).toMatchObject({
      caseId: waiting,
      link: `${WALLET}/cases/${waiting}`,
      assessed: true,
      ruleSet: 'AMMR',
      deadline: {
        kind: 'reply',
        date: '2026-12-21',
        daysLeft: 14,
        overdue: false,
        article: 'AMMR Art. 40(1)',
      },
    })
    expect(DUBLIN_STATUSES).toContain(first.status)
    expect(second).toMatchObject({
      caseId: unassessable,
      assessed: false,
      reason: { code: 'no-dublin-request' },
    })
    // the monitor shows deadlines, not personal data
    expect(JSON.stringify(response.body)).not.toContain(FILE_NUMBER)
  })

  it('shows every authority only the cases it holds', async () => {
    const granted = await api(t, lds.staffToken, 'GET', '/monitor/deadlines')
    expect(granted.body.items.map((item: { caseId: string }) => item.caseId)).toEqual([waiting])
    const none = await api(t, police.staffToken, 'GET', '/monitor/deadlines')
    expect(none.status).toBe(200)
    expect(none.body).toMatchObject({ total: 0, items: [] })
    expect((await api(t, undefined, 'GET', '/monitor/deadlines')).status).toBe(401)
  })

  it('filters, sorts and pages; refuses a bad query as problem+json', async () => {
    expect((await api(t, dublin.staffToken, 'GET', '/monitor/deadlines?kind=reply')).body.total).toBe(1)
    expect((await api(t, dublin.staffToken, 'GET', '/monitor/deadlines?kind=transfer')).body.total).toBe(0)
    expect((await api(t, dublin.staffToken, 'GET', '/monitor/deadlines?ruleSet=DUBLIN_III')).body.total).toBe(
      0,
    )
    const page = await api(t, dublin.staffToken, 'GET', '/monitor/deadlines?limit=1&sort=daysLeft')
    expect(page.body.items).toHaveLength(1)
    expect(page.body.nextOffset).toBe(1)
    const rest = await api(t, dublin.staffToken, 'GET', '/monitor/deadlines?limit=1&offset=1')
    expect(rest.body.items[0].caseId).toBe(unassessable)
    expect(rest.body.nextOffset).toBeUndefined()
    for (const bad of [
      'sort=name',
      'kind=lunch',
      'status=DONE',
      'limit=0',
      'limit=201',
      'offset=-1',
      'colour=red',
    ]) {
      const response = await api(t, dublin.staffToken, 'GET', `/monitor/deadlines?${bad}`)
      expect(response.status, bad).toBe(400)
      expect(response.headers.get('content-type'), bad).toContain('application/problem+json')
    }
  })

  it('creates a calendar feed whose URL carries the only copy of its token', async () => {
    const created = await api(t, dublin.staffToken, 'POST', '/monitor/calendar-feeds')
    expect(created.status).toBe(201)
    feed = created.body
    const token = feed.url.match(/\/monitor\/calendar\/([A-Za-z0-9_-]+)\.ics$/)?.[1]
    expect(token).toBeDefined()
    expect(Buffer.from(token!, 'base64url').length).toBeGreaterThanOrEqual(16)
    const listed = await api(t, dublin.staffToken, 'GET', '/monitor/calendar-feeds')
    expect(listed.body.items).toEqual([
      {
        id: feed.id,
        createdAt: NOW.toISOString(),
        createdBy: { type: 'api', id: expect.any(String), name: 'case system' },
        expiresAt: new Date(NOW.getTime() + 180 * 86_400_000).toISOString(),
        revokedAt: null,
        state: 'active',
      },
    ])
    expect(JSON.stringify(listed.body)).not.toContain(token)
    const stored = await t.issuer.context.db.calendarFeed.findUniqueOrThrow({ where: { id: feed.id } })
    expect(JSON.stringify(stored)).not.toContain(token)
    expect((await api(t, police.staffToken, 'GET', '/monitor/calendar-feeds')).body.items).toEqual([])
  })

  it('serves the feed without a session: an all-day event on the deadline day, in every time zone, nothing personal', async () => {
    const response = await fetch(feed.url)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^text\/calendar/)
    const ics = await response.text()
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/)
    expect(ics).toContain('DTSTART;VALUE=DATE:20261221\r\n')
    expect(ics).toContain('DTEND;VALUE=DATE:20261222\r\n')
    const unfolded = ics.replace(/\r\n /g, '')
    for (const secret of [FILE_NUMBER, REQUEST_BASIS, EURODAC, holderDid, 'did:key'])
      expect(unfolded, secret).not.toContain(secret)
    for (const tz of ['Europe/Berlin', 'Europe/Paris', 'Pacific/Kiritimati', 'America/Los_Angeles']) {
      const parsed = parseIn(tz, ics)
      expect(parsed.tz).toBe(tz)
      const reply = parsed.events.find((event) => event.uid.startsWith(`${waiting}-reply@`))
      expect(reply, tz).toMatchObject({
        isDate: true,
        start: '2026-12-21',
        localStartDay: '2026-12-21',
        localEndDay: '2026-12-22',
        durationDays: 1,
      })
      expect(reply!.summary).toContain('Reply')
      expect(reply!.description).toContain('AMMR Art. 40(1)')
      expect(reply!.description).toContain(`${WALLET}/cases/${waiting}`)
    }
  })

  it('moves the case to the transfer deadlines once the acceptance is recorded', async () => {
    const reply = await api(t, dublin.staffToken, 'POST', `/cases/${waiting}/milestones`, {
      type: 'DublinReplyMilestone',
      claims: { milestoneDate: '2026-12-01', replyType: 'acceptance' },
    })
    expect(reply.status).toBe(201)
    replyId = reply.body.milestoneId
    const response = await api(t, dublin.staffToken, 'GET', '/monitor/deadlines')
    const item = response.body.items.find((entry: { caseId: string }) => entry.caseId === waiting)
    expect(item.deadlines.map((row: { kind: string }) => row.kind)).not.toContain('reply')
    expect(item.deadline).toMatchObject({ kind: 'transferDecision', date: '2026-12-15', daysLeft: 8 })
    const transfer = await api(t, dublin.staffToken, 'GET', '/monitor/deadlines?kind=transfer')
    expect(transfer.body.items[0]).toMatchObject({
      caseId: waiting,
      deadline: { kind: 'transfer', date: '2027-06-01', article: expect.stringMatching(/^AMMR Art\. 46/) },
    })
    const ics = await (await fetch(feed.url)).text()
    expect(ics).not.toContain('DTSTART;VALUE=DATE:20261221')
    expect(ics).toContain('DTSTART;VALUE=DATE:20270601')
  })

  it("keeps the assessment until the authority's records change: a revocation or a new grant is seen at once", async () => {
    const ctx = t.issuer.context
    const first = await cachedAuthorityCases(ctx, dublin.id, '2026-12-07', 0)
    expect(await cachedAuthorityCases(ctx, dublin.id, '2026-12-07', 0)).toBe(first)
    // another day or overdue window is its own entry
    expect(await cachedAuthorityCases(ctx, dublin.id, '2026-12-08', 0)).not.toBe(first)
    expect((await api(t, dublin.staffToken, 'POST', `/milestones/${replyId}/revoke`)).status).toBe(200)
    expect(await cachedAuthorityCases(ctx, dublin.id, '2026-12-07', 0)).not.toBe(first)
    const back = await api(t, dublin.staffToken, 'GET', '/monitor/deadlines')
    const item = back.body.items.find((entry: { caseId: string }) => entry.caseId === waiting)
    expect(item.deadline).toMatchObject({ kind: 'reply', date: '2026-12-21' })
    expect(await (await fetch(feed.url)).text()).toContain('DTSTART;VALUE=DATE:20261221')
    expect((await api(t, police.staffToken, 'GET', '/monitor/deadlines')).body.total).toBe(0)
    expect(
      (await api(t, dublin.staffToken, 'POST', `/cases/${waiting}/grants`, { authorityId: 'bpol' })).status,
    ).toBe(201)
    const granted = await api(t, police.staffToken, 'GET', '/monitor/deadlines')
    expect(granted.body.items.map((entry: { caseId: string }) => entry.caseId)).toEqual([waiting])
  })

  it('revokes: another authority cannot, its own can; a revoked or unknown feed is 404 problem+json', async () => {
    const foreign = await api(t, police.staffToken, 'DELETE', `/monitor/calendar-feeds/${feed.id}`)
    expect(foreign.status).toBe(404)
    expect((await fetch(feed.url)).status).toBe(200)
    expect((await api(t, dublin.staffToken, 'DELETE', `/monitor/calendar-feeds/${feed.id}`)).status).toBe(204)
    const revoked = await fetch(feed.url)
    expect(revoked.status).toBe(404)
    expect(revoked.headers.get('content-type')).toContain('application/problem+json')
    const listed = await api(t, dublin.staffToken, 'GET', '/monitor/calendar-feeds')
    expect(listed.body.items[0].revokedAt).toBe(NOW.toISOString())
    const unknown = await fetch(`${t.url}/monitor/calendar/${'A'.repeat(43)}.ics`)
    expect(unknown.status).toBe(404)
    expect((await fetch(`${t.url}/monitor/calendar/not-a-token`)).status).toBe(404)
    expect((await api(t, dublin.staffToken, 'DELETE', '/monitor/calendar-feeds/no-such-feed')).status).toBe(
      404,
    )
  })
})

describe.each(databases)('calendar feed and its creator on %s', (_name, database) => {
  let t: TestIssuer
  let authority: TestAuthority
  let clock = NOW
  const origin = () => new URL(t.url).origin

  beforeAll(async () => {
    t = await bootIssuer(
      { FLORA_ISSUER_CALENDAR_FEED_DAYS: '30' },
      { database: await database(), now: () => clock },
    )
    authority = await addAuthority(t, { id: 'bpol', role: 'FEDERAL_POLICE', accreditedTypes: [] })
  }, 120_000)
  afterAll(async () => {
    await t?.close()
  })

  /** A new staff account of the authority, logged in: its session cookie and account id. */
  async function staffSession(username: string) {
    const account = await api(t, authority.adminToken, 'POST', '/admin/staff', {
      username,
      password: 'correct horse battery',
      role: 'staff',
    })
    expect(account.status).toBe(201)
    const login = await api(t, undefined, 'POST', '/session', {
      username,
      password: 'correct horse battery',
      authorityId: authority.id,
    })
    expect(login.status).toBe(201)
    return { id: account.body.id as string, cookie: login.headers.get('set-cookie')!.split(';')[0]! }
  }
  const createFeed = async (headers: Record<string, string>, token?: string) => {
    const created = await api(t, token, 'POST', '/monitor/calendar-feeds', undefined, headers)
    expect(created.status).toBe(201)
    return created.body as { id: string; url: string }
  }
  const listed = async (id: string) =>
    (await api(t, authority.adminToken, 'GET', '/monitor/calendar-feeds')).body.items.find(
      (item: { id: string }) => item.id === id,
    )

  it('stops and revokes the feeds of a staff account once the account is disabled', async () => {
    const staff = await staffSession('clerk-one')
    const feed = await createFeed({ cookie: staff.cookie, origin: origin() })
    expect(await listed(feed.id)).toMatchObject({
      createdBy: { type: 'staff', id: staff.id, name: 'clerk-one' },
      expiresAt: new Date(clock.getTime() + 30 * 86_400_000).toISOString(),
      revokedAt: null,
      state: 'active',
    })
    expect((await fetch(feed.url)).status).toBe(200)
    expect((await api(t, authority.adminToken, 'DELETE', `/admin/staff/${staff.id}`)).status).toBe(204)
    expect((await fetch(feed.url)).status).toBe(404)
    expect(await listed(feed.id)).toMatchObject({ revokedAt: clock.toISOString(), state: 'revoked' })
  })

  it('checks the creator at every download (an account disabled without revoking its feeds)', async () => {
    const staff = await staffSession('clerk-two')
    const feed = await createFeed({ cookie: staff.cookie, origin: origin() })
    expect((await fetch(feed.url)).status).toBe(200)
    // as a release before feeds were tied to their creator left it
    await t.issuer.context.db.staffAccount.update({ where: { id: staff.id }, data: { disabledAt: clock } })
    expect((await fetch(feed.url)).status).toBe(404)
    expect(await listed(feed.id)).toMatchObject({ revokedAt: null, state: 'creator-inactive' })
  })

  it('stops and revokes the feeds of an API token once the token is revoked', async () => {
    const token = await api(t, authority.adminToken, 'POST', '/admin/api-tokens', { name: 'calendar system' })
    expect(token.status).toBe(201)
    const feed = await createFeed({}, token.body.token)
    expect(await listed(feed.id)).toMatchObject({
      createdBy: { type: 'api', id: token.body.id, name: 'calendar system' },
      state: 'active',
    })
    expect((await fetch(feed.url)).status).toBe(200)
    expect((await api(t, authority.adminToken, 'DELETE', `/admin/api-tokens/${token.body.id}`)).status).toBe(
      204,
    )
    expect((await fetch(feed.url)).status).toBe(404)
    expect(await listed(feed.id)).toMatchObject({ state: 'revoked' })
  })

  it('ends a feed after FLORA_ISSUER_CALENDAR_FEED_DAYS', async () => {
    const feed = await createFeed({}, authority.staffToken)
    clock = new Date(NOW.getTime() + 30 * 86_400_000 - 1000)
    expect((await fetch(feed.url)).status).toBe(200)
    clock = new Date(NOW.getTime() + 30 * 86_400_000)
    const ended = await fetch(feed.url)
    expect(ended.status).toBe(404)
    expect(ended.headers.get('content-type')).toContain('application/problem+json')
    expect(await listed(feed.id)).toMatchObject({ state: 'expired' })
    clock = NOW
  })
})

describe('deadline monitor throttle', () => {
  it('answers 429 with Retry-After past the per-authority limit, whichever token of the authority calls', async () => {
    const t = await bootIssuer({ FLORA_ISSUER_DEADLINES_THROTTLE: 'window=60,authority=2' })
    try {
      const authority = await addAuthority(t, { id: 'bpol', role: 'FEDERAL_POLICE', accreditedTypes: [] })
      const other = await addAuthority(t, { id: 'lds', role: 'RECEPTION_AUTHORITY', accreditedTypes: [] })
      expect((await api(t, authority.staffToken, 'GET', '/monitor/deadlines')).status).toBe(200)
      expect((await api(t, authority.adminToken, 'GET', '/monitor/deadlines')).status).toBe(200)
      const third = await api(t, authority.staffToken, 'GET', '/monitor/deadlines')
      expect(third.status).toBe(429)
      expect(third.headers.get('content-type')).toContain('application/problem+json')
      expect(third.headers.get('retry-after')).toMatch(/^\d+$/)
      expect((await api(t, other.staffToken, 'GET', '/monitor/deadlines')).status).toBe(200)
    } finally {
      await t.close()
    }
  })
})

describe('calendar feed throttle', () => {
  it('answers 429 with Retry-After past the per-client limit', async () => {
    const t = await bootIssuer({ FLORA_ISSUER_CALENDAR_THROTTLE: 'window=3600,client=2' })
    try {
      const authority = await addAuthority(t, { id: 'bpol', role: 'FEDERAL_POLICE', accreditedTypes: [] })
      const { url } = (await api(t, authority.staffToken, 'POST', '/monitor/calendar-feeds')).body
      expect((await fetch(url)).status).toBe(200)
      expect((await fetch(url)).status).toBe(200)
      const third = await fetch(url)
      expect(third.status).toBe(429)
      expect(third.headers.get('retry-after')).toMatch(/^\d+$/)
    } finally {
      await t.close()
    }
  })
})

describe('calendar feed in the logs', () => {
  it("logs a feed download without its token (the URL is the feed's only credential)", async () => {
    const lines: string[] = []
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk))
        done()
      },
    })
    const t = await bootIssuer({}, { logger: createLogger('issuer', 'info', sink) })
    try {
      const authority = await addAuthority(t, { id: 'bpol', role: 'FEDERAL_POLICE', accreditedTypes: [] })
      const { url } = (await api(t, authority.staffToken, 'POST', '/monitor/calendar-feeds')).body
      const token = (url as string).match(/\/monitor\/calendar\/([A-Za-z0-9_-]+)\.ics$/)![1]!
      expect((await fetch(url)).status).toBe(200)
      expect((await fetch(url.replace('/monitor/', '/MONITOR/'))).status).toBe(200)
      expect((await fetch(`${url}/more`)).status).toBe(404)
      const requests = lines
        .flatMap((line) => line.split('\n'))
        .filter((line) => line.includes('"msg":"request"'))
      expect(requests.filter((line) => line.includes('/monitor/calendar/[redacted]'))).toHaveLength(2)
      expect(lines.join('')).toContain('"route":"/monitor/calendar/:file"')
      expect(lines.join('')).not.toContain(token)
    } finally {
      await t.close()
    }
  })
})

describe('FLORA_ISSUER_TIME_ZONE', () => {
  it('is validated at start-up', () => {
    expect(loadIssuerConfig({ FLORA_ISSUER_TIME_ZONE: 'Europe/Paris' }).FLORA_ISSUER_TIME_ZONE).toBe(
      'Europe/Paris',
    )
    expect(loadIssuerConfig({}).FLORA_ISSUER_TIME_ZONE).toBe('Europe/Berlin')
    expect(() => loadIssuerConfig({ FLORA_ISSUER_TIME_ZONE: 'Mars/Olympus_Mons' })).toThrow(
      /FLORA_ISSUER_TIME_ZONE/,
    )
  })
})
