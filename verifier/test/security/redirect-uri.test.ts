import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startVerifier, type VerifierUnderTest } from '../support/harness.ts'
import { TestWorld } from '../support/world.ts'

// The officer may name where the wallet is sent after answering an OpenID4VP request. The verifier
// answers the wallet's direct_post with a 302 to that URI (code or error appended): it must be a
// web address the wallet can safely be sent to — never javascript:, data:, file: or any other scheme
// a browser-based wallet would run or open — and https when the verifier itself is served over https.

let world: TestWorld
let httpVerifier: VerifierUnderTest
let httpsVerifier: VerifierUnderTest

beforeAll(async () => {
  world = await new TestWorld().start()
  httpVerifier = await startVerifier(world)
  // served on loopback by the test, but deployed (public URL) over https
  httpsVerifier = await startVerifier(world, { FLORA_VERIFIER_PUBLIC_URL: 'https://verifier.example' })
})
afterAll(async () => {
  await httpVerifier?.close()
  await httpsVerifier?.close()
  await world?.stop()
})

async function createRequest(verifier: VerifierUnderTest, redirectUri: string) {
  const response = await fetch(`${verifier.url}/presentation-requests`, {
    method: 'POST',
    headers: { authorization: `Bearer ${verifier.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ redirectUri }),
  })
  const body = (await response.json()) as Record<string, unknown>
  return { status: response.status, type: response.headers.get('content-type') ?? '', body }
}

const alwaysRefused = [
  'javascript:alert(document.cookie)',
  'JavaScript://wallet.example/%0aalert(1)',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
  'file:///etc/passwd',
  'blob:https://wallet.example/0b5f',
  'openid://callback',
  'ftp://wallet.example/cb',
  '//wallet.example/cb',
  '/relative/cb',
  'https://user:secret@wallet.example/cb',
  'https://wallet.example/cb#fragment',
  'https:wallet.example/cb',
  ' https://wallet.example/cb',
  'https://wallet.example/c\tb',
]

describe('the redirectUri of a presentation request', () => {
  it.each(alwaysRefused)('refuses %j with 400 problem+json, and creates no request', async (redirectUri) => {
    for (const verifier of [httpVerifier, httpsVerifier]) {
      const before = await verifier.db.client.presentationRequest.count()
      const refused = await createRequest(verifier, redirectUri)
      expect(refused.status).toBe(400)
      expect(refused.type).toMatch(/^application\/problem\+json/)
      expect(String(refused.body.detail)).toMatch(/redirectUri/)
      expect(await verifier.db.client.presentationRequest.count()).toBe(before)
    }
  })

  it('a verifier served over https accepts only https redirects, loopback included', async () => {
    for (const redirectUri of ['http://wallet.example/cb', 'http://localhost:4400/cb', 'http://127.0.0.1/cb']) {
      const refused = await createRequest(httpsVerifier, redirectUri)
      expect(refused.status, redirectUri).toBe(400)
      expect(String(refused.body.detail)).toMatch(/https/)
    }
    const accepted = await createRequest(httpsVerifier, 'https://wallet.example/cases/1?step=answered')
    expect(accepted.status).toBe(201)
  })

  it('a verifier served over http (development) accepts http and https redirects', async () => {
    for (const redirectUri of ['http://localhost:4400/cb', 'http://wallet.test/cb', 'https://wallet.example/cb']) {
      const accepted = await createRequest(httpVerifier, redirectUri)
      expect(accepted.status, redirectUri).toBe(201)
    }
  })

  it('the accepted redirect is where the direct_post answer sends the wallet', async () => {
    const created = await createRequest(httpVerifier, 'https://wallet.example/cases/1?step=answered')
    const answer = await fetch(`${httpVerifier.url}/oid4vp/response`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ state: String(created.body.state), error: 'access_denied' }),
      redirect: 'manual',
    })
    expect(answer.status).toBe(302)
    const location = new URL(answer.headers.get('location') ?? '')
    expect(location.origin + location.pathname).toBe('https://wallet.example/cases/1')
    expect(location.searchParams.get('step')).toBe('answered')
    expect(location.searchParams.get('error')).toBe('access_denied')
  })
})
