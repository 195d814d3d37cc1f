import { createHash, randomUUID } from 'node:crypto'
import { type TestDatabase, tempSqliteDatabase } from '@flora/db/testing'
import { isoSeconds, signCredentialJwt } from '@flora/ebsi-connector'
import { loadIssuerConfig, type RunningIssuer, startIssuer } from '@flora/issuer'
import { createLogger } from '@flora/service-kit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort, startVerifier, type VerifierUnderTest } from '../support/harness.ts'
import { newEntity, startLedgerNode } from '../support/ledger-node.ts'
import type { TestWorld } from '../support/world.ts'

// The security headers on every koa service of the platform, as each is started for real: the
// ledger node (its own process, as `npm run ledger` starts it), the issuer service and the verifier
// service — on routes, problem responses (400, 401), 404s, /health and /openapi.json — and the
// verifier's HTML report with a policy that allows its inline style and nothing else.

let ledger: Awaited<ReturnType<typeof startLedgerNode>>
let issuerDatabase: TestDatabase
let issuer: RunningIssuer
let issuerUrl = ''
let verifier: VerifierUnderTest

beforeAll(async () => {
  ledger = await startLedgerNode()
  issuerDatabase = tempSqliteDatabase()
  const issuerPort = await freePort()
  issuerUrl = `http://127.0.0.1:${issuerPort}`
  issuer = await startIssuer(
    loadIssuerConfig({
      FLORA_ISSUER_DATABASE_URL: issuerDatabase.url,
      FLORA_DATA_DIR: issuerDatabase.dataDir,
      FLORA_ISSUER_HOST: '127.0.0.1',
      FLORA_ISSUER_PORT: String(issuerPort),
      // Behind a TLS-terminating proxy: HSTS is expected.
      FLORA_ISSUER_PUBLIC_URL: 'https://issuer.flora.example',
      FLORA_LEDGER_URL: ledger.url,
      FLORA_ISSUER_ANCHOR_INTERVAL_MS: '3600000',
      FLORA_LOG_LEVEL: 'silent',
    }),
    { logger: createLogger('issuer', 'silent'), scheduler: false },
  )
  verifier = await startVerifier(
    { base: ledger.url, root: { did: newEntity().did } } as unknown as TestWorld,
    { FLORA_VERIFIER_PUBLIC_URL: 'https://verifier.flora.example' },
  )
}, 120_000)

afterAll(async () => {
  await verifier?.close()
  await issuer?.close()
  await issuerDatabase?.dispose()
  await ledger?.stop()
})

const JSON_CSP = "default-src 'none'; frame-ancestors 'none'"

function expectSecurityHeaders(response: Response, label: string, options: { https: boolean; csp?: string }) {
  const h = response.headers
  expect(h.get('x-content-type-options'), label).toBe('nosniff')
  expect(h.get('referrer-policy'), label).toBe('no-referrer')
  expect(h.get('cross-origin-resource-policy'), label).toBe('same-origin')
  expect(h.get('content-security-policy'), label).toBe(options.csp ?? JSON_CSP)
  expect(h.get('x-powered-by'), label).toBeNull()
  expect(h.get('server'), label).toBeNull()
  if (options.https) expect(h.get('strict-transport-security'), label).toMatch(/^max-age=\d{8,}/)
  else expect(h.get('strict-transport-security'), label).toBeNull()
}

const malformedJson = { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' }

describe('security headers on every service', () => {
  const cases: [string, () => string, boolean, [string, string, RequestInit?, number?][]][] = [
    [
      'ledger node',
      () => ledger.url,
      false,
      [
        ['health', '/health'],
        ['openapi', '/openapi.json'],
        ['unknown path', '/no-such-path', undefined, 404],
        ['unknown DID (problem)', `/did-registry/v5/identifiers/${newEntity().did}`, undefined, 404],
        ['malformed JSON (problem)', '/did-registry/v5/jsonrpc', malformedJson, 400],
      ],
    ],
    [
      'issuer',
      () => issuerUrl,
      true,
      [
        ['health', '/health'],
        ['openapi', '/openapi.json'],
        ['unknown path', '/no-such-path', undefined, 404],
        ['no credentials (problem)', '/cases', undefined, 401],
        ['malformed JSON (problem)', '/cases', malformedJson, 400],
      ],
    ],
    [
      'verifier',
      () => verifier.url,
      true,
      [
        ['health', '/health'],
        ['openapi', '/openapi.json'],
        ['identity', '/identity'],
        ['unknown path', '/no-such-path', undefined, 404],
        ['no credentials (problem)', '/reports', undefined, 401],
        ['malformed JSON (problem)', '/verifications', malformedJson, 400],
        ['unknown request object (problem)', `/oid4vp/requests/${randomUUID()}`, undefined, 400],
      ],
    ],
  ]
  for (const [service, base, https, requests] of cases)
    it.each(requests)(`${service}: %s`, async (label, path, init, status) => {
      const response = await fetch(`${base()}${path}`, init)
      await response.arrayBuffer()
      if (status !== undefined) expect(response.status, label).toBe(status)
      expectSecurityHeaders(response, `${service} ${label}`, { https })
      expect(response.headers.get('cache-control'), label).toBe('no-store')
    })
})

describe('the verifier’s reports', () => {
  let reportId = ''
  beforeAll(async () => {
    // Any credential gives a stored report; this one's issuer is not on the ledger (invalid).
    const unknown = newEntity()
    const jwt = await signCredentialJwt(
      { did: unknown.did, signer: unknown.assertion },
      {
        '@context': ['https://www.w3.org/2018/credentials/v1'],
        id: `urn:uuid:${randomUUID()}`,
        type: ['VerifiableCredential', 'VerifiableAttestation', 'DublinReplyMilestone'],
        issuer: unknown.did,
        issuanceDate: isoSeconds(new Date()),
        issued: isoSeconds(new Date()),
        validFrom: isoSeconds(new Date()),
        // markup in a claim: escaped by the page, and the policy would stop it anyway
        credentialSubject: { id: 'did:key:z2dmzD81cgPx8Vki7JbuuMmFYrWPgYoytykUZ3eyqht1j9Kb', note: '<img src=x onerror=alert(1)>' },
      },
    )
    const response = await verifier.verify(jwt)
    expect(response.status).toBe(201)
    reportId = ((await response.json()) as { id: string }).id
  })

  it('JSON report (authenticated, personal): the API policy and no-store', async () => {
    const response = await fetch(`${verifier.url}/reports/${reportId}`, {
      headers: { authorization: `Bearer ${verifier.token}`, accept: 'application/json' },
    })
    await response.arrayBuffer()
    expect(response.status).toBe(200)
    expectSecurityHeaders(response, 'json report', { https: true })
    expect(response.headers.get('cache-control')).toBe('no-store')
  })

  it.each(['', '/export'])('HTML report%s: a policy that allows its own inline style, no script, no framing', async (suffix) => {
    const response = await fetch(`${verifier.url}/reports/${reportId}${suffix}?format=html&lang=de`, {
      headers: { authorization: `Bearer ${verifier.token}` },
    })
    const html = await response.text()
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^text\/html/)
    const csp = response.headers.get('content-security-policy')!
    expectSecurityHeaders(response, 'html report', { https: true, csp })
    expect(response.headers.get('cache-control')).toBe('no-store')
    const styles = [...html.matchAll(/<style>([^<]*)<\/style>/g)].map((m) => m[1]!)
    expect(styles.length).toBe(1)
    for (const style of styles)
      expect(csp).toContain(`'sha256-${createHash('sha256').update(style).digest('base64')}'`)
    expect(html).not.toMatch(/style=/) // no inline style attributes, which a hash does not allow
    expect(csp).toMatch(/(^|; )default-src 'none'(;|$)/)
    expect(csp).toMatch(/(^|; )frame-ancestors 'none'(;|$)/)
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|script-src/)
    expect(html).not.toContain('<img src=x')
  })
})
