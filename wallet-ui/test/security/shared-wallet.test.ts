import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signIn } from '../browser/sign-in.ts'
import type { DemoAccount } from '../e2e/stack.ts'
import {
  dresdenStaff,
  issuerOffer,
  openCase,
  receiveInBrowser,
  type SecuritySetup,
  startSecuritySetup,
} from './harness.ts'

/*
 * The wallet server speaks to the issuer and the verifier for every browser and every case wallet
 * it serves. These tests run the stack as `npm start` does, and check that one user of the wallet
 * cannot use up what the services grant the wallet as a whole.
 *
 * A reverse proxy in front of the wallet tells it each browser's address (ADDRESS_HEADER), as in a
 * deployment; the browsers here differ only by that header.
 */

const TX_CODE_LIMIT = 3
const PRE_AUTHORIZED = 'urn:ietf:params:oauth:grant-type:pre-authorized_code'

let setup: Promise<SecuritySetup>
let clerk: { ctx: BrowserContext; page: Page }

beforeAll(async () => {
  setup = startSecuritySetup({
    FLORA_ISSUER_TX_CODE_THROTTLE: `client=${TX_CODE_LIMIT}`,
    ADDRESS_HEADER: 'x-forwarded-for',
    XFF_DEPTH: '1',
  })
  setup.catch(() => {})
  const { stack, browser } = await setup
  const ctx = await browser.newContext({
    locale: 'en-US',
    extraHTTPHeaders: { 'x-forwarded-for': '198.51.100.10' },
  })
  await ctx.addCookies([{ name: 'flora_lang', value: 'en', url: stack.urls.wallet }])
  const page = await ctx.newPage()
  await signIn(page, stack.urls.wallet, 'authority', dresdenStaff(stack))
  clerk = { ctx, page }
}, 300_000)

afterAll(async () => {
  await clerk?.ctx.close()
  const ready = await setup?.catch(() => undefined)
  await ready?.browser.close()
  await ready?.stack.stop()
})

describe('the shared wallet server at the issuer token endpoint', () => {
  it('keeps redeeming real offers after a clerk pastes offers with made-up codes, and says why it must wait', async () => {
    // Review of the staff sign-in, item 3: every case wallet redeems through the wallet server,
    // one client for the issuer. Made-up codes used to spend that client's budget for everyone,
    // and the 429 showed as "the issuer refused the request (invalid_response)".
    const { stack } = await setup
    const wallet = stack.urls.wallet
    const caseId = await openCase(clerk.page, wallet)
    const madeUp = (i: number) =>
      `openid-credential-offer://?credential_offer=${encodeURIComponent(
        JSON.stringify({
          credential_issuer: `${stack.urls.issuer}/authorities/bamf-dresden/v1`,
          credential_configuration_ids: ['AsylumRequestRecordReachedBamfMilestone'],
          grants: { [PRE_AUTHORIZED]: { 'pre-authorized_code': `made-up-${i}`, tx_code: { length: 6 } } },
        }),
      )}`
    for (let i = 0; i < TX_CODE_LIMIT; i++) {
      const outcome = await receiveInBrowser(clerk.page, wallet, caseId, madeUp(i), '000000')
      expect(outcome).toEqual({ received: false, error: 'The issuer refused the request (invalid_grant).' })
    }
    const refused = await receiveInBrowser(clerk.page, wallet, caseId, madeUp(TX_CODE_LIMIT), '000000')
    expect(refused.received).toBe(false)
    expect(refused.received === false && refused.error).toMatch(
      /^The issuer asks this wallet to wait after too many failed attempts\. Try again in \d+ min\.$/,
    )
    // a real offer, through the same wallet server, is redeemed at once
    const { offer, txCode } = await issuerOffer(stack, dresdenStaff(stack), caseId)
    expect(await receiveInBrowser(clerk.page, wallet, caseId, offer, txCode)).toEqual({ received: true })
  })
})

/** A sign-in form posted from a browser address (no cookies: a new browser); resolves with the status. */
async function postSignIn(address: string, fields: Record<string, string>): Promise<number> {
  const { stack } = await setup
  const response = await fetch(`${stack.urls.wallet}/signin`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      accept: 'text/html',
      'content-type': 'application/x-www-form-urlencoded',
      origin: stack.urls.wallet,
      'x-forwarded-for': address,
    },
    body: new URLSearchParams(fields),
  })
  await response.text()
  return response.status
}

/** The form fields of a demo account's sign-in. */
const fieldsOf = (account: DemoAccount, password = account.password): Record<string, string> =>
  account.service === 'issuer'
    ? { party: 'authority', authorityId: account.authority!, username: account.username, password }
    : { party: 'verifier', username: account.username, password }

/** Wrong sign-ins from one address: 5 usernames of the party, 4 tries each. */
async function guessFrom(address: string, party: 'issuer' | 'verifier', tries = 20): Promise<number[]> {
  const statuses: number[] = []
  for (let i = 0; i < tries; i++) {
    const username = `nobody-${i % 5}@${address}`
    statuses.push(
      await postSignIn(
        address,
        party === 'issuer'
          ? { party: 'authority', authorityId: 'bamf-dresden', username, password: `guess ${i}` }
          : { party: 'verifier', username, password: `guess ${i}` },
      ),
    )
  }
  return statuses
}

describe('sign-ins the wallet relays, in the default stack', () => {
  // Review of the staff sign-in, item 4: `npm start` did not list the wallet among the services'
  // trusted proxies, so every sign-in through the wallet counted as one client (the wallet's) at
  // the issuer and the verifier; and the wallet's own limit per address (30) equalled the
  // services' per client. 30 wrong sign-ins from one address refused a colleague's first sign-in
  // from another address.

  it("stops one guessing address at the wallet's own limit, below what the services grant a client", async () => {
    const statuses = await guessFrom('203.0.113.66', 'issuer', 22)
    expect(statuses).toEqual([...Array(20).fill(401), 429, 429])
  })

  it.each(['issuer', 'verifier'] as const)(
    "keeps a colleague's first sign-in at the %s working while other addresses guess through the wallet",
    async (service) => {
      const { stack } = await setup
      // two addresses, each up to the wallet's limit: 40 wrong sign-ins reach the service
      const addresses =
        service === 'issuer' ? ['203.0.113.67', '203.0.113.68'] : ['203.0.113.77', '203.0.113.78']
      for (const address of addresses) expect(await guessFrom(address, service)).toEqual(Array(20).fill(401))
      const colleague =
        service === 'issuer' ? dresdenStaff(stack) : stack.account('verifier', (a) => a.role === 'officer')
      expect(await postSignIn('198.51.100.7', fieldsOf(colleague))).toBe(303)
    },
  )
})
