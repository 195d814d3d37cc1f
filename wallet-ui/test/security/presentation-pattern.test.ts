import { randomUUID } from 'node:crypto'
import type { EbsiEntity } from '@flora/ebsi-connector'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  dresdenPage,
  dresdenStaff,
  issuerOffer,
  onboardedParty,
  openCase,
  receiveInBrowser,
  type SecuritySetup,
  startSecuritySetup,
  type TestServer,
  testServer,
} from './harness.ts'

/*
 * A presentation request's `filter.pattern` is the requester's code running in the wallet server.
 * A catastrophic pattern (`(.*)*` before a character the value lacks: exponential in a backtracking
 * engine) must not stall the server: /health answers while the request is evaluated. The
 * requester is a real party: its did:ebsi is on the ledger, its request signed, its origin one the
 * deployment trusts for verifiers.
 */

/** Backtracks over the last 30 characters of a `urn:uuid:` credential id (45 characters). */
const CATASTROPHIC = '^.{15}(.*)*!$'
/** A bound no healthy answer comes near, far below what the pattern takes with backtracking. */
const HEALTH_BOUND_MS = 20_000

let requester: TestServer
let requesterDid: EbsiEntity
let setup: Promise<SecuritySetup>
let signedIn: { ctx: BrowserContext; page: Page }
let caseId: string

beforeAll(async () => {
  requester = await testServer(async (request, response) => {
    if (!request.url?.startsWith('/request')) {
      response.writeHead(404)
      return void response.end()
    }
    const now = Math.floor(Date.now() / 1000)
    const jwt = await requesterDid.assertion.signJwt(
      {
        iss: requesterDid.did,
        client_id: requesterDid.did,
        response_type: 'vp_token',
        response_mode: 'direct_post',
        response_uri: `${requester.origin}/response`,
        nonce: randomUUID(),
        state: randomUUID(),
        iat: now,
        exp: now + 600,
        presentation_definition: {
          id: 'catastrophic',
          input_descriptors: [
            { id: 'any', name: 'Any credential', constraints: { fields: [{ path: ['$.jti'], filter: { type: 'string', pattern: CATASTROPHIC } }] } },
          ],
        },
      },
      { typ: 'JWT', kid: `${requesterDid.did}#${requesterDid.assertion.kid}` },
    )
    response.writeHead(200, { 'content-type': 'application/oauth-authz-req+jwt' })
    response.end(jwt)
  })
  setup = startSecuritySetup({ FLORA_WALLET_TRUSTED_VERIFIER_ORIGINS: requester.origin })
  setup.catch(() => {})
  const { stack } = await setup
  requesterDid = await onboardedParty(stack)
  signedIn = await dresdenPage(await setup)
  caseId = await openCase(signedIn.page, stack.urls.wallet)
  const { offer, txCode } = await issuerOffer(stack, dresdenStaff(stack), caseId)
  expect(await receiveInBrowser(signedIn.page, stack.urls.wallet, caseId, offer, txCode)).toEqual({ received: true })
}, 300_000)

afterAll(async () => {
  await signedIn?.ctx.close()
  const ready = await setup?.catch(() => undefined)
  await ready?.browser.close()
  await ready?.stack.stop()
  await requester?.close()
}, 60_000)

describe('a presentation request with a catastrophic filter.pattern (present form, in Chromium)', () => {
  it('is evaluated while /health keeps answering', async () => {
    const { stack } = await setup
    const page = signedIn.page
    await page.goto(`${stack.urls.wallet}/cases/${caseId}/present`)
    await page.locator('#link').fill(`openid4vp://?client_id=${encodeURIComponent(requesterDid.did)}&request_uri=${encodeURIComponent(`${requester.origin}/request/1`)}`)
    await page.getByRole('button', { name: 'Check the request' }).click()

    // While the page stores the request and lists it (which evaluates the definition), /health is asked
    // again and again; every answer must come, well within a generous bound.
    const answers: string[] = []
    const until = Date.now() + 10_000
    while (Date.now() < until) {
      const answer = await fetch(`${stack.urls.wallet}/health`, { signal: AbortSignal.timeout(HEALTH_BOUND_MS) })
        .then((r) => String(r.status))
        .catch((error: Error) => error.name)
      answers.push(answer)
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
    expect(answers.filter((a) => a !== '200')).toEqual([])

    // The request was evaluated: it is listed, and no credential of the case matches the pattern.
    const card = page.locator('.request').first()
    await card.waitFor({ timeout: 30_000 })
    await expect(card.textContent()).resolves.toContain('This case holds no credential matching the request.')
  })
})
