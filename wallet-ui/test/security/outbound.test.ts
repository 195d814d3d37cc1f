import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { dresdenPage, json, openCase, receiveInBrowser, type SecuritySetup, startSecuritySetup, type TestServer, testServer } from './harness.ts'

/*
 * The wallet server fetches only what the deployment trusts for the role: an offer (OpenID4VCI)
 * reaches issuer origins only, never a verifier's, never follows a redirect off the origin, gives
 * up after the configured timeout and cuts an oversized answer — and says so in its own words.
 * Real HTTP servers stand in for the parties and record what reaches them.
 */

const TIMEOUT_MS = 2_000
const MAX_BYTES = 64 * 1024
const OVERSIZED_BYTES = 32 * 1024 * 1024

let verifierStandIn: TestServer
let silent: TestServer
let redirecting: TestServer
let oversized: TestServer & { completed?: boolean; sent?: number }
let setup: Promise<SecuritySetup>
let signedIn: { ctx: BrowserContext; page: Page }
let caseId: string

beforeAll(async () => {
  // Answers as the verifier's /reports does without a token.
  verifierStandIn = await testServer((_request, response) =>
    json(response, 401, { type: 'about:blank', title: 'Unauthorized', status: 401, detail: 'authentication required' }),
  )
  // Accepts the connection and never answers.
  silent = await testServer(() => {})
  redirecting = await testServer((_request, response) => {
    response.writeHead(302, { location: `${verifierStandIn.origin}/reports` })
    response.end()
  })
  oversized = await testServer(async (_request, response, self) => {
    const server = self as typeof oversized
    server.completed = false
    server.sent = 0
    response.writeHead(200, { 'content-type': 'application/json' })
    const chunk = Buffer.alloc(64 * 1024, 'a')
    response.write('{"credential_issuer":"')
    let closed = false
    response.on('close', () => {
      closed = true
    })
    while (server.sent < OVERSIZED_BYTES && !closed) {
      if (!response.write(chunk))
        await new Promise<void>((resolve) => {
          const done = () => {
            response.off('drain', done).off('close', done)
            resolve()
          }
          response.on('drain', done).on('close', done)
        })
      server.sent += chunk.length
    }
    if (!closed) {
      response.end('"}')
      server.completed = true
    }
  })
  setup = startSecuritySetup({
    // The stand-ins are parties the deployment trusts: issuers (the silent, redirecting and oversized
    // ones) and a verifier (the one an offer names).
    FLORA_WALLET_TRUSTED_ISSUER_ORIGINS: [silent.origin, redirecting.origin, oversized.origin].join(','),
    FLORA_WALLET_TRUSTED_VERIFIER_ORIGINS: verifierStandIn.origin,
    FLORA_WALLET_OUTBOUND_TIMEOUT_MS: String(TIMEOUT_MS),
    FLORA_WALLET_OUTBOUND_MAX_BYTES: String(MAX_BYTES),
  })
  setup.catch(() => {})
  const ready = await setup
  signedIn = await dresdenPage(ready)
  caseId = await openCase(signedIn.page, ready.stack.urls.wallet)
}, 300_000)

afterAll(async () => {
  await signedIn?.ctx.close()
  const ready = await setup?.catch(() => undefined)
  await ready?.browser.close()
  await ready?.stack.stop()
  for (const server of [verifierStandIn, silent, redirecting, oversized]) await server?.close()
}, 60_000)

beforeEach(() => {
  for (const server of [verifierStandIn, silent, redirecting, oversized]) server.requests.length = 0
})

const offerAt = (uri: string) => `openid-credential-offer://?credential_offer_uri=${encodeURIComponent(uri)}`

describe('outbound requests of the wallet server (receive form, in Chromium)', () => {
  it('an offer naming the verifier as credential_offer_uri makes no request to it and is refused in our words', async () => {
    const { stack } = await setup
    const outcome = await receiveInBrowser(signedIn.page, stack.urls.wallet, caseId, offerAt(`${verifierStandIn.origin}/reports`))
    expect(verifierStandIn.requests).toEqual([])
    expect(outcome.received).toBe(false)
    const error = outcome.received ? '' : outcome.error
    expect(error).toContain('not an issuer this wallet trusts')
    expect(error).not.toContain('authentication required')
  })

  it('the same address as 127.0.0.1 while only localhost is trusted is another origin, and refused', async () => {
    const { stack } = await setup
    const issuer = new URL(stack.urls.issuer)
    expect(issuer.hostname).toBe('localhost')
    const outcome = await receiveInBrowser(
      signedIn.page,
      stack.urls.wallet,
      caseId,
      offerAt(`http://127.0.0.1:${issuer.port}/authorities/bamf-dresden/v1/.well-known/openid-credential-issuer`),
    )
    expect(outcome.received ? '' : outcome.error).toContain('not an issuer this wallet trusts')
  })

  it('an address that never answers gives a timeout error within the configured timeout', async () => {
    const { stack } = await setup
    const outcome = await receiveInBrowser(signedIn.page, stack.urls.wallet, caseId, offerAt(`${silent.origin}/offer`))
    expect(silent.requests.map((r) => r.url)).toEqual(['/offer'])
    expect(outcome.received ? '' : outcome.error).toContain('did not answer in time')
  })

  it('a redirect to another origin is not followed', async () => {
    const { stack } = await setup
    const outcome = await receiveInBrowser(signedIn.page, stack.urls.wallet, caseId, offerAt(`${redirecting.origin}/offer`))
    expect(redirecting.requests.map((r) => r.url)).toEqual(['/offer'])
    expect(verifierStandIn.requests).toEqual([])
    expect(outcome.received ? '' : outcome.error).toContain('redirected to another address')
  })

  it('an oversized response is cut', async () => {
    const { stack } = await setup
    const outcome = await receiveInBrowser(signedIn.page, stack.urls.wallet, caseId, offerAt(`${oversized.origin}/offer`))
    expect(outcome.received ? '' : outcome.error).toContain('is too large; it was cut and not used')
    expect(oversized.completed).toBe(false)
    expect(oversized.sent).toBeLessThan(OVERSIZED_BYTES)
  })
})
