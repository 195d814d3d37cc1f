import { passwordHashingStats } from '@flora/service-kit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addAuthority, api, bootIssuer, type TestIssuer } from '../helpers/harness.ts'
import { byStatus, login, providers, spawnIssuer } from './support.ts'

/**
 * Item 8 of the trust-boundary review: nothing limited logins. 300 wrong logins at once all got 401,
 * each after a 32 MiB scrypt on the thread pool. Now every login is counted in the database before
 * its password is checked, per client and per account, and refunded when it succeeds.
 */
const USER = 'lds-admin'
const PASSWORD = 'correct horse battery'

describe.each(providers)('login throttling at the issuer ($name)', ({ database }) => {
  let t: TestIssuer
  let behindProxy: TestIssuer

  beforeAll(async () => {
    t = await bootIssuer({}, { database: await database() })
    await addAuthority(t, { id: 'lds', role: 'RECEPTION_AUTHORITY', accreditedTypes: [] })
    // the same service behind a reverse proxy on loopback, which it is told to trust
    behindProxy = await bootIssuer(
      { FLORA_ISSUER_TRUSTED_PROXIES: '127.0.0.1' },
      { database: await database() },
    )
    await addAuthority(behindProxy, { id: 'lds', role: 'RECEPTION_AUTHORITY', accreditedTypes: [] })
  })
  afterAll(async () => {
    await t?.close()
    await behindProxy?.close()
  })

  it('ignores X-Forwarded-For from a peer that is not a configured proxy', async () => {
    // a client that writes a new X-Forwarded-For each time is still one client
    const answers = []
    for (let i = 0; i < 8; i++)
      answers.push(
        await login(
          t.url,
          { username: 'someone.else', password: 'wrong password!', authorityId: 'lds' },
          { 'x-forwarded-for': `198.51.100.${i}` },
        ),
      )
    expect(answers.slice(0, 5).map((a) => a.status)).toEqual([401, 401, 401, 401, 401])
    expect(answers.slice(5).map((a) => a.status)).toEqual([429, 429, 429])
  })

  it('answers 300 parallel wrong logins with 429 (problem+json, Retry-After) after a few, each counted before its scrypt', async () => {
    const before = passwordHashingStats().evaluations
    const answers = await Promise.all(
      Array.from({ length: 300 }, () =>
        login(t.url, { username: USER, password: 'wrong password!', authorityId: 'lds' }),
      ),
    )
    const counts = byStatus(answers)
    expect(Object.keys(counts).sort()).toEqual(['401', '429'])
    // the per-account-and-client limit (5 by default) lets only that many reach the password check
    expect(counts[401]).toBeLessThanOrEqual(5)
    expect(counts[429]).toBeGreaterThanOrEqual(295)
    const evaluations = passwordHashingStats().evaluations - before
    expect(evaluations).toBe(counts[401])
    expect(passwordHashingStats().peakRunning).toBeLessThanOrEqual(passwordHashingStats().maxConcurrent)
    for (const answer of answers.filter((a) => a.status === 429)) {
      expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/)
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0)
      expect(answer.body).toMatchObject({ status: 429 })
    }
  })

  it('reads X-Forwarded-For from a trusted proxy: one client blocked, another not', async () => {
    const from = (client: string) => ({ 'x-forwarded-for': client })
    const blocked = []
    for (let i = 0; i < 31; i++)
      blocked.push(
        await login(
          behindProxy.url,
          { username: `nobody-${i}`, password: 'wrong password!', authorityId: 'lds' },
          from('203.0.113.10'),
        ),
      )
    // 30 per client and window by default, across usernames
    expect(byStatus(blocked)).toEqual({ 401: 30, 429: 1 })
    expect(
      (
        await login(
          behindProxy.url,
          { username: 'nobody-0', password: 'x', authorityId: 'lds' },
          from('203.0.113.11'),
        )
      ).status,
    ).toBe(401)
    expect(
      (
        await login(
          behindProxy.url,
          { username: USER, password: PASSWORD, authorityId: 'lds' },
          from('203.0.113.11'),
        )
      ).status,
    ).toBe(201)
  })

  it('keeps the real user logging in from their own client while another client guesses', async () => {
    const from = (client: string) => ({ 'x-forwarded-for': client })
    const attack = await Promise.all(
      Array.from({ length: 40 }, () =>
        login(
          behindProxy.url,
          { username: USER, password: 'guess guess guess', authorityId: 'lds' },
          from('192.0.2.66'),
        ),
      ),
    )
    expect(byStatus(attack)[429]).toBeGreaterThanOrEqual(35)
    // the real user, at their own desk, without any cookie from earlier
    expect(
      (
        await login(
          behindProxy.url,
          { username: USER, password: PASSWORD, authorityId: 'lds' },
          from('192.0.2.10'),
        )
      ).status,
    ).toBe(201)
  })

  it('keeps the real user logging in from a browser that logged in before, even when many clients guess', async () => {
    const from = (client: string, cookie?: string) => ({
      'x-forwarded-for': client,
      ...(cookie ? { cookie } : {}),
    })
    const first = await login(
      behindProxy.url,
      { username: USER, password: PASSWORD, authorityId: 'lds' },
      from('192.0.2.20'),
    )
    expect(first.status).toBe(201)
    const device = first.setCookies.find((line) => line.startsWith('flora_device='))
    expect(device, 'a successful login leaves a device cookie').toBeDefined()
    expect(device!.toLowerCase()).toContain('httponly')
    // a guesser spread over 30 addresses uses up the account's budget for unknown clients
    const attack = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        login(
          behindProxy.url,
          { username: USER, password: `guess ${i}`, authorityId: 'lds' },
          from(`100.64.0.${i % 30}`),
        ),
      ),
    )
    expect(byStatus(attack)[429]).toBeGreaterThan(0)
    expect(
      (
        await login(
          behindProxy.url,
          { username: USER, password: PASSWORD, authorityId: 'lds' },
          from('192.0.2.21'),
        )
      ).status,
    ).toBe(429)
    // the browser that logged in before still gets in, from wherever it is now
    const again = await login(
      behindProxy.url,
      { username: USER, password: PASSWORD, authorityId: 'lds' },
      from('192.0.2.22', `flora_device=${first.cookies.flora_device}`),
    )
    expect(again.status).toBe(201)
  })
})

describe.each(providers)('device tokens across authorities ($name)', ({ database }) => {
  /**
   * Review of the staff sign-in, item 1: device tokens and counts were bound to the username alone,
   * while usernames are unique only per authority. An admin of one authority created `j.doe` there,
   * logged in to it (a fresh device token each time) and guessed the password of `j.doe` at another
   * authority with that token: only the device count (10) applied, renewed at will. Now the token
   * and the counts belong to the authority and the username together.
   */
  let t: TestIssuer
  const USERNAME = 'j.doe@authorities.test'
  const VICTIM_PASSWORD = 'the victim password'
  const OWN_PASSWORD = 'the attacker own password'

  beforeAll(async () => {
    t = await bootIssuer({ FLORA_ISSUER_TRUSTED_PROXIES: '127.0.0.1' }, { database: await database() })
    const attacker = await addAuthority(t, { id: 'atk', role: 'RECEPTION_AUTHORITY', accreditedTypes: [] })
    const victim = await addAuthority(t, { id: 'vic', role: 'RECEPTION_AUTHORITY', accreditedTypes: [] })
    const create = (admin: string, password: string) =>
      api(t, admin, 'POST', '/admin/staff', { username: USERNAME, password, role: 'staff' })
    expect((await create(victim.adminToken, VICTIM_PASSWORD)).status).toBe(201)
    expect((await create(attacker.adminToken, OWN_PASSWORD)).status).toBe(201)
  })
  afterAll(async () => {
    await t?.close()
  })

  it("does not count a guess at another authority's account against a device token of one's own", async () => {
    const from = { 'x-forwarded-for': '203.0.113.50' }
    const statuses: number[] = []
    for (let round = 0; round < 3; round++) {
      // the attacker's own account: no device cookie, so a fresh device token at every success
      const own = await login(t.url, { username: USERNAME, password: OWN_PASSWORD, authorityId: 'atk' }, from)
      expect(own.status).toBe(201)
      const device = `flora_device=${own.cookies.flora_device}`
      for (let i = 0; i < 11; i++)
        statuses.push(
          (
            await login(
              t.url,
              { username: USERNAME, password: `guess ${round}-${i}`, authorityId: 'vic' },
              { ...from, cookie: device },
            )
          ).status,
        )
    }
    // counted as any guess from that client at that account: 5 per window, then 429
    expect(byStatus(statuses.map((status) => ({ status })))).toEqual({ 401: 5, 429: 28 })
    // the victim, at their own desk, is not locked out
    const victim = await login(
      t.url,
      { username: USERNAME, password: VICTIM_PASSWORD, authorityId: 'vic' },
      { 'x-forwarded-for': '198.51.100.70' },
    )
    expect(victim.status).toBe(201)
    expect(victim.body.authorityId).toBe('vic')
  })

  it('still keeps the victim logging in with their own device token while the attacker guesses', async () => {
    const desk = { 'x-forwarded-for': '198.51.100.71' }
    const first = await login(
      t.url,
      { username: USERNAME, password: VICTIM_PASSWORD, authorityId: 'vic' },
      desk,
    )
    expect(first.status).toBe(201)
    // guesses spread over many addresses use up the account's budget for unknown browsers
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        login(
          t.url,
          { username: USERNAME, password: `spread ${i}`, authorityId: 'vic' },
          { 'x-forwarded-for': `100.64.7.${i}` },
        ),
      ),
    )
    const again = await login(
      t.url,
      { username: USERNAME, password: VICTIM_PASSWORD, authorityId: 'vic' },
      { ...desk, cookie: `flora_device=${first.cookies.flora_device}` },
    )
    expect(again.status).toBe(201)
    // the victim's device token opens nothing at the attacker's authority
    const elsewhere = await login(
      t.url,
      { username: USERNAME, password: 'guess at atk', authorityId: 'atk' },
      { 'x-forwarded-for': '198.51.100.72', cookie: `flora_device=${first.cookies.flora_device}` },
    )
    expect(elsewhere.status).toBe(401)
  })
})

describe.each(providers)(
  'login throttling across two issuer processes on one database ($name)',
  ({ database }) => {
    it('counts the attempts of both processes together', async () => {
      const db = await database()
      const setup = await bootIssuer({}, { database: db })
      await addAuthority(setup, { id: 'lds', role: 'RECEPTION_AUTHORITY', accreditedTypes: [] })
      await setup.issuer.close()
      const [a, b] = await Promise.all([spawnIssuer(db), spawnIssuer(db)])
      try {
        const answers = await Promise.all(
          Array.from({ length: 60 }, (_, i) =>
            login((i % 2 ? a : b).url, { username: USER, password: 'wrong password!', authorityId: 'lds' }),
          ),
        )
        const counts = byStatus(answers)
        expect(counts[401]).toBeLessThanOrEqual(5)
        expect(counts[429]).toBeGreaterThanOrEqual(55)
        // and a process that saw none of them refuses the next one too
        expect(
          (await login(a.url, { username: USER, password: 'wrong password!', authorityId: 'lds' })).status,
        ).toBe(429)
        expect(
          (await login(b.url, { username: USER, password: 'wrong password!', authorityId: 'lds' })).status,
        ).toBe(429)
      } finally {
        await Promise.all([a.stop(), b.stop()])
        await db.dispose()
      }
    })
  },
)
