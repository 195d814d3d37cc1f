import { randomBytes, randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { createDb, type Db } from '@flora/db'
import {
  EbsiClient,
  type EbsiEntity,
  issueAccreditation,
  jwkThumbprint,
  LocalSigner,
  onboardEntity,
  publicJwkFromPrivate,
  registerOwnAccreditation,
} from '@flora/ebsi-connector'
import { generateDidEbsi } from '@flora/ebsi-connector/core'
import { JURISDICTION_URI, operatorFromFile, TrustAnchors } from '@flora/pilot'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { launchChromium } from '../browser/chromium.ts'
import { signIn } from '../browser/sign-in.ts'
import { type DemoAccount, type RunningStack, startStack } from '../e2e/stack.ts'

/*
 * What the security suites share: the real stack (`npm start` on free ports), Chromium, and real
 * HTTP servers that stand in for hostile or broken parties and record what reaches them.
 */

export interface RecordedRequest {
  method: string
  url: string
  body: string
}

/** A real HTTP server on 127.0.0.1 that records every request before `handle` answers it. */
export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  origin: string
  requests: RecordedRequest[]
  close(): Promise<void>
}

export async function testServer(
  handle: (request: IncomingMessage & { body: string }, response: ServerResponse, self: TestServer) => void | Promise<void>,
): Promise<TestServer> {
  const requests: RecordedRequest[] = []
  const self: TestServer = { origin: '', requests, close: async () => {} }
  const server = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString()
    })
    request.on('end', () => {
      requests.push({ method: request.method ?? 'GET', url: request.url ?? '/', body })
      Promise.resolve(handle(Object.assign(request, { body }), response, self)).catch((error: unknown) => {
        response.statusCode = 500
        response.end(String(error))
      })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  self.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  self.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    })
  return self
}

export const json = (response: ServerResponse, status: number, body: unknown) => {
  response.writeHead(status, { 'content-type': 'application/json' })
  response.end(JSON.stringify(body))
}

/** The stack and a browser, started once per suite. */
export interface SecuritySetup {
  stack: RunningStack
  browser: Browser
}

export async function startSecuritySetup(env: Record<string, string>): Promise<SecuritySetup> {
  const browser = await launchChromium()
  try {
    return { stack: await startStack(env), browser }
  } catch (error) {
    await browser.close()
    throw error
  }
}

export const dresdenStaff = (stack: RunningStack): DemoAccount =>
  stack.account('issuer', (a) => a.authority === 'bamf-dresden' && a.role === 'staff')

/** A browser context signed in as BAMF Dresden staff. */
export async function dresdenPage(setup: SecuritySetup): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await setup.browser.newContext({ locale: 'en-US' })
  await ctx.addCookies([{ name: 'flora_lang', value: 'en', url: setup.stack.urls.wallet }])
  const page = await ctx.newPage()
  await signIn(page, setup.stack.urls.wallet, 'authority', dresdenStaff(setup.stack))
  return { ctx, page }
}

/** Opens a case through the wallet UI; returns its id. */
export async function openCase(page: Page, walletUrl: string): Promise<string> {
  await page.goto(`${walletUrl}/cases/new`)
  await page.locator('#fileNumber').fill(`SEC-${randomUUID().slice(0, 8)}`)
  await Promise.all([page.waitForURL(/\/cases\/[0-9a-f-]{36}$/), page.getByRole('button', { name: 'Open case' }).click()])
  return new URL(page.url()).pathname.split('/').pop()!
}

/** Records a milestone at the real issuer over its HTTP API (as staff); returns the offer and its code. */
export async function issuerOffer(stack: RunningStack, account: DemoAccount, caseId: string): Promise<{ offer: string; txCode: string }> {
  const session = await fetch(`${stack.urls.issuer}/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: account.username, password: account.password, authorityId: account.authority }),
  })
  if (!session.ok) throw new Error(`issuer sign-in failed: ${session.status}`)
  const cookie = (session.headers.getSetCookie().find((c) => c.startsWith('flora_session=')) ?? '').split(';')[0]!
  const recorded = await fetch(`${stack.urls.issuer}/cases/${encodeURIComponent(caseId)}/milestones`, {
    method: 'POST',
    // A cookie-authenticated change must name an allowed origin: the issuer's own, as a same-origin caller would.
    headers: {
      'content-type': 'application/json',
      cookie,
      origin: new URL(stack.urls.issuer).origin,
      'idempotency-key': randomUUID(),
    },
    body: JSON.stringify({
      type: 'AsylumRequestRecordReachedBamfMilestone',
      claims: { milestoneDate: '2026-05-04' },
      eurodacReference: 'DE1200000123456',
    }),
  })
  if (!recorded.ok) throw new Error(`recording failed: ${recorded.status} ${await recorded.text()}`)
  const body = (await recorded.json()) as { txCode: string; offers: { v1: { uri: string } } }
  return { offer: body.offers.v1.uri, txCode: body.txCode }
}

/**
 * Pastes an offer into a case's receive form and submits it; resolves with where it ended: received
 * (back on the case page) or the error the page shows. Fails if neither happens within `timeoutMs`.
 */
export async function receiveInBrowser(
  page: Page,
  walletUrl: string,
  caseId: string,
  offer: string,
  txCode = '',
  timeoutMs = 30_000,
): Promise<{ received: true } | { received: false; error: string }> {
  await page.goto(`${walletUrl}/cases/${caseId}/receive`)
  await page.locator('#offer').fill(offer)
  await page.locator('#txCode').fill(txCode)
  await page.getByRole('button', { name: 'Receive into the case wallet' }).click()
  const alert = page.locator('.alert-error')
  const outcome = await Promise.race([
    page.waitForURL(/\?received=1$/, { timeout: timeoutMs }).then(() => 'received' as const),
    alert.waitFor({ timeout: timeoutMs }).then(() => 'error' as const),
  ])
  if (outcome === 'received') return { received: true }
  return { received: false, error: (await alert.textContent()) ?? '' }
}

/** The wallet's own database (SQLite under the stack's data dir), for what the page cannot show. */
export async function withWalletDb<T>(stack: RunningStack, use: (db: Db<'wallet'>) => Promise<T>): Promise<T> {
  const db = await createDb({ service: 'wallet', url: `file:${join(stack.dataDir, 'wallet.db')}` })
  try {
    return await use(db)
  } finally {
    await db.close()
  }
}

/**
 * A party of its own on the stack's ledger: keys held by the test, its did:ebsi onboarded with an
 * authorisation from the ledger operator (as any authority is). Registered — not trustworthy.
 */
export async function onboardedParty(stack: RunningStack): Promise<EbsiEntity> {
  const ebsi = new EbsiClient({ baseUrl: stack.urls.ledger })
  const operator = operatorFromFile(join(stack.dataDir, 'ledger-operator.json'))
  const signer = (keyType: 'Secp256k1' | 'Secp256r1') => {
    const privateKey = new Uint8Array(randomBytes(32))
    const jwk = publicJwkFromPrivate(keyType, privateKey)
    return new LocalSigner(jwkThumbprint(jwk), keyType, jwk, privateKey)
  }
  const entity: EbsiEntity = { did: generateDidEbsi(), controller: signer('Secp256k1'), assertion: signer('Secp256r1') }
  await onboardEntity(ebsi, {
    entity,
    authorisationToOnboard: () =>
      issueAccreditation({
        issuer: { did: operator.did, signer: operator.assertion },
        subjectDid: entity.did,
        kind: 'VerifiableAuthorisationToOnboard',
        controllerKey: entity.controller.publicKeyJwk,
        schemasUrl: ebsi.trustedSchemasRegistry.schemaUrl('').replace(/\/$/, ''),
      }),
  })
  return entity
}

/**
 * A party of its own accredited like any German authority: onboarded, then TAO Germany (the pilot's
 * trust anchors, in the stack's data dir) accredits it for `types`. A real, accredited issuer outside
 * this deployment — whose offers may still claim any name they like.
 */
export async function accreditedParty(stack: RunningStack, types: string[]): Promise<EbsiEntity & { attributeUrl: string }> {
  const entity = await onboardedParty(stack)
  const ebsi = new EbsiClient({ baseUrl: stack.urls.ledger })
  const anchors = await TrustAnchors.open({ ebsi, dataDir: stack.dataDir, log: () => {}, actions: [] })
  try {
    const { attributeId, accreditation } = await anchors.accreditTi({
      taoKey: 'bamf-hq',
      subjectKey: `security-test-${entity.did}`,
      subjectDid: entity.did,
      types,
      limitJurisdiction: JURISDICTION_URI.DE!,
    })
    await registerOwnAccreditation(ebsi, { subject: entity, attributeId, accreditation })
    return { ...entity, attributeUrl: ebsi.trustedIssuersRegistry.attributeUrl(entity.did, attributeId) }
  } finally {
    await anchors.close()
  }
}
