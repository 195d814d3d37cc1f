import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN, login, request, sessionOf, startTestVerifier, type TestVerifier } from './support.ts'

/**
 * Item 10 at the verifier: the login answered the session token in its JSON body (readable by any
 * script on the page that made the call), the cookie was never Secure, and cookie-authenticated
 * state changes were accepted from any origin.
 */
describe('the verifier session', () => {
  let v: TestVerifier

  beforeAll(async () => {
    v = await startTestVerifier()
  })
  afterAll(async () => {
    await v?.close()
  })

  it('answers the login without the token in the body, in an HttpOnly SameSite=Strict cookie', async () => {
    const answer = await login(v.url, ADMIN)
    expect(answer.status).toBe(200)
    expect(answer.body).toEqual({ role: 'admin', expiresAt: expect.any(String) })
    const session = sessionOf(answer)
    expect(session).toMatch(/^vs_[\w-]{43}$/)
    expect(JSON.stringify(answer.body)).not.toContain(session)
    const line = answer.setCookies.find((l) => l.startsWith('flora_verifier_session='))!.toLowerCase()
    expect(line).toMatch(/;\s*httponly/)
    expect(line).toMatch(/;\s*samesite=strict/)
    expect(line).toMatch(/;\s*path=\//)
    expect(line).not.toMatch(/;\s*secure/) // plain-http public URL: a Secure cookie would be dropped
    // the cookie authenticates reads
    expect(
      (await request(v.url, 'GET', '/reports', { headers: { cookie: `flora_verifier_session=${session}` } }))
        .status,
    ).toBe(200)
  })

  it('refuses a cross-origin form post that carries the session cookie, and one without Origin', async () => {
    const cookie = `flora_verifier_session=${sessionOf(await login(v.url, ADMIN))}`
    const post = (headers: Record<string, string>) =>
      fetch(`${v.url}/presentation-requests`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, ...headers },
        body: new URLSearchParams({ definition: 'dublin' }),
      })
    const foreign = await post({ origin: 'https://evil.example' })
    expect(foreign.status).toBe(403)
    expect(foreign.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    expect((await post({})).status).toBe(403)
    const own = await request(v.url, 'POST', '/presentation-requests', {
      body: { definition: 'dublin' },
      headers: { cookie, origin: new URL(v.url).origin },
    })
    expect(own.status).toBe(201)
  })

  it('lets bearer-token calls through without Origin', async () => {
    const session = sessionOf(await login(v.url, ADMIN))
    const token = await request(v.url, 'POST', '/admin/api-tokens', {
      body: { name: 'case system', role: 'officer' },
      bearer: session,
    })
    expect(token.status).toBe(201)
    expect(
      (await request(v.url, 'POST', '/presentation-requests', { body: {}, bearer: token.body.token })).status,
    ).toBe(201)
  })

  it('refuses a login posted from another origin (login CSRF)', async () => {
    expect((await login(v.url, ADMIN, { origin: 'https://evil.example' })).status).toBe(403)
  })
})

describe('the verifier session behind https', () => {
  it('sets Secure cookies when the public URL is https (the service speaks http behind the proxy)', async () => {
    const v = await startTestVerifier({ FLORA_VERIFIER_PUBLIC_URL: 'https://verifier.flora.test' })
    try {
      const answer = await login(v.url, ADMIN)
      expect(answer.status).toBe(200)
      expect(answer.setCookies.length).toBeGreaterThan(0)
      for (const line of answer.setCookies) expect(line.toLowerCase()).toMatch(/;\s*secure/)
    } finally {
      await v.close()
    }
  })

  it('names the session cookie __Host-flora_verifier_session there, and ignores a planted flora_verifier_session', async () => {
    // Review of the staff sign-in, item 7: without the __Host- prefix a sibling subdomain could
    // set a session cookie for the verifier's host (its own session, planted in an officer's
    // browser). A __Host- cookie is only accepted from the host itself, Secure, Path=/, no Domain.
    const v = await startTestVerifier({ FLORA_VERIFIER_PUBLIC_URL: 'https://verifier.flora.test' })
    try {
      const answer = await login(v.url, ADMIN)
      const line = answer.setCookies.find((l) => l.startsWith('__Host-flora_verifier_session='))
      expect(line, answer.setCookies.join('\n')).toBeDefined()
      expect(line!.toLowerCase()).toMatch(/;\s*secure/)
      expect(line!.toLowerCase()).toMatch(/;\s*path=\/(;|$)/)
      expect(line!.toLowerCase()).not.toMatch(/;\s*domain=/)
      expect(answer.setCookies.some((l) => l.startsWith('flora_verifier_session='))).toBe(false)
      const token = answer.cookies['__Host-flora_verifier_session']!
      const reports = (cookie: string) => request(v.url, 'GET', '/reports', { headers: { cookie } })
      expect((await reports(`__Host-flora_verifier_session=${token}`)).status).toBe(200)
      expect((await reports(`flora_verifier_session=${token}`)).status).toBe(401)
    } finally {
      await v.close()
    }
  })
})
