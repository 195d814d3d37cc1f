import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addAuthority, api, bootIssuer, type TestAuthority, type TestIssuer } from '../helpers/harness.ts'
import { login } from './support.ts'

/** Item 10: session cookies, cross-origin state changes, API token lifetime. */
const USER = { username: 'lds-admin', password: 'correct horse battery', authorityId: 'lds' }

describe('the issuer session cookie', () => {
  it('is Secure when the public URL is https (the service itself speaks http behind the proxy)', async () => {
    const t = await bootIssuer({ FLORA_ISSUER_PUBLIC_URL: 'https://issuer.flora.test' })
    try {
      await addAuthority(t, { id: 'lds', role: 'RECEPTION_AUTHORITY', accreditedTypes: [] })
      const answer = await login(t.url, USER)
      expect(answer.status).toBe(201)
      const session = answer.setCookies.find((line) => /^(__Host-)?flora_session=/.test(line))!
      expect(session.toLowerCase()).toMatch(/;\s*secure/)
      expect(session.toLowerCase()).toMatch(/;\s*httponly/)
      expect(session.toLowerCase()).toMatch(/;\s*samesite=strict/)
      for (const line of answer.setCookies) expect(line.toLowerCase()).toMatch(/;\s*secure/)
    } finally {
      await t.close()
    }
  })

  it('is named __Host-flora_session on https (Path=/, no Domain), and a planted flora_session is ignored', async () => {
    // Review of the staff sign-in, item 7: without the __Host- prefix a sibling subdomain could
    // set a session cookie for the issuer's host (its own session, planted in a clerk's browser).
    const t = await bootIssuer({ FLORA_ISSUER_PUBLIC_URL: 'https://issuer.flora.test' })
    try {
      await addAuthority(t, { id: 'lds', role: 'RECEPTION_AUTHORITY', accreditedTypes: [] })
      const answer = await login(t.url, USER)
      expect(answer.status).toBe(201)
      const line = answer.setCookies.find((l) => l.startsWith('__Host-flora_session='))
      expect(line, answer.setCookies.join('\n')).toBeDefined()
      expect(line!.toLowerCase()).toMatch(/;\s*secure/)
      expect(line!.toLowerCase()).toMatch(/;\s*path=\/(;|$)/)
      expect(line!.toLowerCase()).not.toMatch(/;\s*domain=/)
      expect(answer.setCookies.some((l) => l.startsWith('flora_session='))).toBe(false)
      const token = answer.cookies['__Host-flora_session']!
      const me = (cookie: string) => api(t, undefined, 'GET', '/me', undefined, { cookie })
      expect((await me(`__Host-flora_session=${token}`)).status).toBe(200)
      expect((await me(`flora_session=${token}`)).status).toBe(401)
    } finally {
      await t.close()
    }
  })

  it('is not Secure on a plain-http public URL (local runs), else browsers would drop it', async () => {
    const t = await bootIssuer()
    try {
      await addAuthority(t, { id: 'lds', role: 'RECEPTION_AUTHORITY', accreditedTypes: [] })
      const answer = await login(t.url, USER)
      expect(answer.setCookies.find((line) => line.startsWith('flora_session='))!.toLowerCase()).not.toMatch(
        /;\s*secure/,
      )
    } finally {
      await t.close()
    }
  })
})

describe('cross-origin state changes on cookie-authenticated routes', () => {
  let t: TestIssuer
  let lds: TestAuthority
  let session: string

  beforeAll(async () => {
    t = await bootIssuer()
    lds = await addAuthority(t, { id: 'lds', role: 'RECEPTION_AUTHORITY', accreditedTypes: [] })
    const answer = await login(t.url, USER)
    session = `flora_session=${answer.cookies.flora_session}`
  })
  afterAll(async () => {
    await t?.close()
  })

  /** What a page on another site can make a browser send: a form post with the victim's cookie. */
  const formPost = (path: string, headers: Record<string, string>) =>
    fetch(`${t.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: session, ...headers },
      body: new URLSearchParams({ name: 'planted by evil.example', role: 'admin' }),
    })

  it('refuses a cross-origin form post that carries the session cookie', async () => {
    const answer = await formPost('/admin/api-tokens', { origin: 'https://evil.example' })
    expect(answer.status).toBe(403)
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    const tokens = await api(t, lds.adminToken, 'GET', '/admin/api-tokens')
    expect(tokens.body.items.map((item: { name: string }) => item.name)).not.toContain(
      'planted by evil.example',
    )
  })

  it('refuses a cookie-authenticated state change without Origin', async () => {
    expect((await formPost('/admin/api-tokens', {})).status).toBe(403)
    expect(
      (await api(t, undefined, 'POST', '/admin/api-tokens', { name: 'x' }, { cookie: session })).status,
    ).toBe(403)
    expect((await api(t, undefined, 'DELETE', '/session', undefined, { cookie: session })).status).toBe(403)
  })

  it('accepts the same change from its own origin, and bearer-token calls without Origin', async () => {
    const own = await api(
      t,
      undefined,
      'POST',
      '/admin/api-tokens',
      { name: 'from our page' },
      {
        cookie: session,
        origin: new URL(t.url).origin,
      },
    )
    expect(own.status).toBe(201)
    expect((await api(t, lds.adminToken, 'POST', '/admin/api-tokens', { name: 'a system' })).status).toBe(201)
    // reads need no Origin
    expect((await api(t, undefined, 'GET', '/me', undefined, { cookie: session })).status).toBe(200)
  })

  it('refuses a login posted from another origin (login CSRF)', async () => {
    expect((await login(t.url, USER, { origin: 'https://evil.example' })).status).toBe(403)
  })
})

describe('API token lifetime', () => {
  let t: TestIssuer
  let lds: TestAuthority
  let offsetMs = 0

  beforeAll(async () => {
    t = await bootIssuer(
      { FLORA_ISSUER_API_TOKEN_TTL_DAYS: '30' },
      { now: () => new Date(Date.now() + offsetMs) },
    )
    lds = await addAuthority(t, { id: 'lds', role: 'RECEPTION_AUTHORITY', accreditedTypes: [] })
  })
  afterAll(async () => {
    await t?.close()
  })

  it('expires after the configured lifetime, even while its principal is cached', async () => {
    offsetMs = 0
    const created = await api(t, lds.adminToken, 'POST', '/admin/api-tokens', { name: 'case system' })
    expect(created.status).toBe(201)
    const expiresAt = new Date(created.body.expiresAt).getTime()
    expect(Math.round((expiresAt - Date.now()) / 86_400_000)).toBe(30)
    expect((await api(t, created.body.token, 'GET', '/me')).status).toBe(200) // now cached
    offsetMs = 31 * 86_400_000
    expect((await api(t, created.body.token, 'GET', '/me')).status).toBe(401)
    offsetMs = 0
  })

  it('lists each token with its expiry', async () => {
    const list = await api(t, lds.adminToken, 'GET', '/admin/api-tokens')
    for (const item of list.body.items) expect(new Date(item.expiresAt).getTime()).toBeGreaterThan(Date.now())
  })

  it('refuses a token without an expiry (the migration gave every older token one)', async () => {
    const created = await api(t, lds.adminToken, 'POST', '/admin/api-tokens', { name: 'no expiry' })
    await t.issuer.context.db.apiToken.update({ where: { id: created.body.id }, data: { expiresAt: null } })
    expect((await api(t, created.body.token, 'GET', '/me')).status).toBe(401)
  })
})
