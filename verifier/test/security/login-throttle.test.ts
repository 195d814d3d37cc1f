import { passwordHashingStats } from '@flora/service-kit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ADMIN,
  byStatus,
  login,
  providers,
  spawnVerifier,
  startTestVerifier,
  type TestVerifier,
} from './support.ts'

/**
 * Item 8 at the verifier: 300 wrong logins at once all reached a 16 MiB scrypt on the thread pool
 * the signature checks use. Every login is now counted in the database before its password is
 * checked; OID4VP answers are counted per client when they fail.
 */
describe.each(providers)('login throttling at the verifier ($name)', ({ database }) => {
  let v: TestVerifier
  let behindProxy: TestVerifier

  beforeAll(async () => {
    v = await startTestVerifier({}, { database: await database() })
    behindProxy = await startTestVerifier(
      { FLORA_VERIFIER_TRUSTED_PROXIES: '127.0.0.1' },
      { database: await database() },
    )
  })
  afterAll(async () => {
    await v?.close()
    await behindProxy?.close()
  })

  it('ignores X-Forwarded-For from a peer that is not a configured proxy', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 8; i++)
      statuses.push(
        (
          await login(
            v.url,
            { username: 'someone', password: 'wrong password!' },
            { 'x-forwarded-for': `198.51.100.${i}` },
          )
        ).status,
      )
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429])
  })

  it('answers 300 parallel wrong logins with 429 (problem+json, Retry-After) after a few, each counted before its scrypt', async () => {
    const before = passwordHashingStats().evaluations
    const answers = await Promise.all(
      Array.from({ length: 300 }, () =>
        login(v.url, { username: ADMIN.username, password: 'wrong password!' }),
      ),
    )
    const counts = byStatus(answers)
    expect(Object.keys(counts).sort()).toEqual(['401', '429'])
    expect(counts[401]).toBeLessThanOrEqual(5)
    expect(counts[429]).toBeGreaterThanOrEqual(295)
    expect(passwordHashingStats().evaluations - before).toBe(counts[401])
    expect(passwordHashingStats().peakRunning).toBeLessThanOrEqual(passwordHashingStats().maxConcurrent)
    for (const answer of answers.filter((a) => a.status === 429)) {
      expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/)
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0)
    }
  })

  it('reads X-Forwarded-For from a trusted proxy: one client blocked, another not', async () => {
    const from = (client: string) => ({ 'x-forwarded-for': client })
    const blocked = []
    for (let i = 0; i < 31; i++)
      blocked.push(
        await login(
          behindProxy.url,
          { username: `nobody-${i}`, password: 'wrong password!' },
          from('203.0.113.10'),
        ),
      )
    expect(byStatus(blocked)).toEqual({ 401: 30, 429: 1 })
    expect((await login(behindProxy.url, ADMIN, from('203.0.113.11'))).status).toBe(200)
  })

  it('keeps the real user logging in from their own client while another client guesses', async () => {
    const from = (client: string) => ({ 'x-forwarded-for': client })
    const attack = await Promise.all(
      Array.from({ length: 40 }, () =>
        login(
          behindProxy.url,
          { username: ADMIN.username, password: 'guess guess guess' },
          from('192.0.2.66'),
        ),
      ),
    )
    expect(byStatus(attack)[429]).toBeGreaterThanOrEqual(35)
    expect((await login(behindProxy.url, ADMIN, from('192.0.2.10'))).status).toBe(200)
  })

  it('keeps the real user logging in from a browser that logged in before, even when many clients guess', async () => {
    const from = (client: string, cookie?: string) => ({
      'x-forwarded-for': client,
      ...(cookie ? { cookie } : {}),
    })
    const first = await login(behindProxy.url, ADMIN, from('192.0.2.20'))
    expect(first.status).toBe(200)
    const device = first.setCookies.find((line) => line.startsWith('flora_verifier_device='))
    expect(device, 'a successful login leaves a device cookie').toBeDefined()
    const attack = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        login(
          behindProxy.url,
          { username: ADMIN.username, password: `guess ${i}` },
          from(`100.64.0.${i % 30}`),
        ),
      ),
    )
    expect(byStatus(attack)[429]).toBeGreaterThan(0)
    expect((await login(behindProxy.url, ADMIN, from('192.0.2.21'))).status).toBe(429)
    const again = await login(
      behindProxy.url,
      ADMIN,
      from('192.0.2.22', `flora_verifier_device=${first.cookies.flora_verifier_device}`),
    )
    expect(again.status).toBe(200)
  })

  it('counts failed OID4VP answers per client, cheaply, and refuses the client past its limit', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 32; i++) {
      const answer = await fetch(`${v.url}/oid4vp/response`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ state: `made-up-${i}`, vp_token: 'x', presentation_submission: '{}' }),
      })
      await answer.text()
      statuses.push(answer.status)
      if (answer.status === 429) expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0)
    }
    // 30 failures per client and window by default
    expect(byStatus(statuses.map((status) => ({ status })))).toEqual({ 400: 30, 429: 2 })
  })
})

describe.each(providers)(
  'login throttling across two verifier processes on one database ($name)',
  ({ database }) => {
    it('counts the attempts of both processes together', async () => {
      const db = await database()
      const setup = await startTestVerifier({}, { database: db })
      await setup.close({ keepDatabase: true })
      const [a, b] = await Promise.all([spawnVerifier(db), spawnVerifier(db)])
      try {
        const answers = await Promise.all(
          Array.from({ length: 60 }, (_, i) =>
            login((i % 2 ? a : b).url, { username: ADMIN.username, password: 'wrong password!' }),
          ),
        )
        const counts = byStatus(answers)
        expect(counts[401]).toBeLessThanOrEqual(5)
        expect(counts[429]).toBeGreaterThanOrEqual(55)
        expect((await login(a.url, { username: ADMIN.username, password: 'wrong password!' })).status).toBe(
          429,
        )
        expect((await login(b.url, { username: ADMIN.username, password: 'wrong password!' })).status).toBe(
          429,
        )
      } finally {
        await Promise.all([a.stop(), b.stop()])
        await db.dispose()
      }
    })
  },
)
