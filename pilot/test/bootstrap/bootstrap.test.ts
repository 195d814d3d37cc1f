import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { EbsiClient, generateKey, jwkThumbprint, LocalSigner, publicJwkFromPrivate } from '@flora/ebsi-connector'
import { fetchInclusionProof, holderIdentityOf, redeemCredentialOffer } from '@flora/ebsi-connector/holder'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type BootstrapOptions,
  type BootstrapResult,
  bootstrapPilotStack,
  type DemoAccountsFile,
  onboardAuthority,
  pilotChain,
  typesOfTi,
} from '../../src/bootstrap/index.ts'
import { pilotAccessFromAccounts } from '../../src/runner/access.ts'

const repoRoot = resolve(import.meta.dirname, '../../..')
const tsx = createRequire(import.meta.url).resolve('tsx')

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer()
    server.once('error', fail)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => done(port))
    })
  })
}

const children: ChildProcess[] = []
let dataDir: string
let options: BootstrapOptions
let ebsi: EbsiClient
let first: BootstrapResult
let second: BootstrapResult

/** Each service as its own process (as `npm start` runs them), on free ports, one temp data dir. */
async function startService(entry: string, env: Record<string, string>, url: string) {
  const child = spawn(process.execPath, ['--import', tsx, entry], {
    cwd: repoRoot,
    env: { ...process.env, FLORA_DATA_DIR: dataDir, FLORA_LOG_LEVEL: process.env.PILOT_TEST_LOG ?? 'silent', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  children.push(child)
  const deadline = Date.now() + 60_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${entry} exited with ${child.exitCode}`)
    try {
      if ((await fetch(`${url}/health`)).ok) return
    } catch {}
    if (Date.now() > deadline) throw new Error(`${entry} did not start within 60 s`)
    await new Promise((r) => setTimeout(r, 150))
  }
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'flora-pilot-bootstrap-'))
  const [ledgerPort, issuerPort, verifierPort] = [await freePort(), await freePort(), await freePort()]
  const ledgerUrl = `http://localhost:${ledgerPort}`
  const issuerUrl = `http://localhost:${issuerPort}`
  const verifierUrl = `http://localhost:${verifierPort}`
  await startService(
    'ebsi-connector/src/node/main.ts',
    { FLORA_LEDGER_PORT: String(ledgerPort), FLORA_LEDGER_BLOCK_INTERVAL_MS: '2' },
    ledgerUrl,
  )
  await Promise.all([
    startService(
      'issuer/src/main.ts',
      {
        FLORA_ISSUER_PORT: String(issuerPort),
        FLORA_ISSUER_PUBLIC_URL: issuerUrl,
        FLORA_LEDGER_URL: ledgerUrl,
        FLORA_ISSUER_ANCHOR_INTERVAL_MS: '300',
        FLORA_ISSUER_ANCHOR_MIN_BATCH: '4',
        FLORA_ISSUER_ACCREDITATION_CACHE_SECONDS: '0',
      },
      issuerUrl,
    ),
    startService(
      'verifier/src/main.ts',
      {
        FLORA_VERIFIER_PORT: String(verifierPort),
        FLORA_VERIFIER_PUBLIC_URL: verifierUrl,
        FLORA_LEDGER_URL: ledgerUrl,
        FLORA_VERIFIER_STATUS_MAX_AGE_SECONDS: '0',
      },
      verifierUrl,
    ),
  ])
  options = { dataDir, ledgerUrl, issuerUrl, verifierUrl }
  ebsi = new EbsiClient({ baseUrl: ledgerUrl })
  // Interrupted half-way (after BAMF Chemnitz), as a Ctrl-C or crash would; then resumed, then again.
  await expect(
    bootstrapPilotStack({
      ...options,
      log: (line) => {
        if (line.includes('(bamf-chemnitz)')) throw new Error('interrupted')
      },
    }),
  ).rejects.toThrow('interrupted')
  first = await bootstrapPilotStack(options)
  second = await bootstrapPilotStack(options)
}, 180_000)

afterAll(async () => {
  await Promise.all(
    children.map(
      (child) =>
        new Promise((done) => {
          if (child.exitCode !== null) return done(undefined)
          child.once('exit', done)
          child.kill('SIGTERM')
        }),
    ),
  )
  if (dataDir) rmSync(dataDir, { recursive: true, force: true })
})

const vcOf = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()).vc as {
    type: string[]
    credentialSubject: {
      reservedAttributeId?: string
      accreditedFor?: { schemaId: string; types: string[]; limitJurisdiction?: string }[]
    }
  }

async function attributeOf(did: string) {
  const { attributes } = await ebsi.trustedIssuersRegistry.getIssuer(did)
  expect(attributes).toHaveLength(1)
  return attributes[0]!
}

function accountsFile(): DemoAccountsFile {
  return JSON.parse(readFileSync(first.accountsFile, 'utf8')) as DemoAccountsFile
}

/** Logs a staff member in (session cookie), as the wallet UI does. */
async function login(baseUrl: string, username: string): Promise<string> {
  const account = accountsFile().accounts.find((a) => a.username === username)
  expect(account, username).toBeDefined()
  const response = await fetch(`${baseUrl}/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    // at the issuer, the authority is part of the login (usernames are unique per authority only)
    body: JSON.stringify({
      username,
      password: account!.password,
      ...(account!.service === 'issuer' ? { authorityId: account!.authority } : {}),
    }),
  })
  expect(response.status).toBeLessThan(300)
  return response.headers.get('set-cookie')!.split(';')[0]!
}

async function call(baseUrl: string, cookie: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    // a cookie-authenticated change names its origin, as the browser of a staff member does
    headers: { cookie, origin: new URL(baseUrl).origin, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  })
  // biome-ignore lint/suspicious/noExplicitAny: JSON bodies read by the tests
  return { status: response.status, body: (await response.json()) as Record<string, any> }
}

const arrival = {
  type: 'ArrivalCertificateMilestone',
  claims: {
    milestoneDate: '2026-01-07',
    certificateIssued: true,
    certificateIssuedOn: '2026-01-07',
    biometricsCaptured: true,
    eurodacTransmitted: true,
    eurodacTransmittedOn: '2026-01-07',
  },
}

function newHolder() {
  const privateKey = generateKey('Secp256r1').privateKey
  const jwk = publicJwkFromPrivate('Secp256r1', privateKey)
  return holderIdentityOf(new LocalSigner(jwkThumbprint(jwk), 'Secp256r1', jwk, privateKey))
}

/** Records an arrival certificate as the authority's staff; returns the offer. */
async function recordArrival(username: string) {
  const cookie = await login(options.issuerUrl, username)
  const holder = newHolder()
  const opened = await call(options.issuerUrl, cookie, 'POST', '/cases', { holderDid: holder.did })
  expect(opened.status).toBe(201)
  const offer = await call(options.issuerUrl, cookie, 'POST', `/cases/${opened.body.id}/milestones`, arrival)
  return { offer, holder, cookie, caseId: opened.body.id as string }
}

describe('bootstrapPilotStack on ledger + issuer + verifier (separate processes)', () => {
  it('resumes an interrupted bootstrap without redoing done steps; a further run writes nothing', () => {
    expect(first.actions).not.toContain('tir: pilot-root-tao (RootTAO)')
    expect(first.actions).not.toContain('issuer: tenant bamf-dresden')
    expect(first.actions).not.toContain('issuer: tenant bamf-chemnitz')
    expect(first.actions).toContain('issuer: tenant bamf-leipzig')
    expect(first.actions).toContain('didr: verifier')
    expect(second.actions).toEqual([])
    expect(second.rootTao).toEqual(first.rootTao)
    expect(second.authorities).toEqual(first.authorities)
    expect(second.verifier).toEqual(first.verifier)
    expect(second.anchoring).toEqual(first.anchoring)
    for (const file of ['demo-accounts.json', 'trust-anchors.json', 'trust-anchors.kek', 'issuer-admin-token', 'verifier-admin-token'])
      expect(statSync(join(dataDir, file)).mode & 0o777, file).toBe(0o600)
  })

  it('puts the DESIGN §6 chain on the TIR: Root TAO → TAOs → TIs, each TI only for its role’s types', async () => {
    const root = await attributeOf(first.rootTao.did)
    expect(root.issuerType).toBe('RootTAO')
    for (const tao of pilotChain.taos) {
      const taoDid = first.taos[tao.key]!.did
      const attribute = await attributeOf(taoDid)
      expect(attribute.issuerType).toBe('TAO')
      expect(attribute.tao).toBe(first.rootTao.did)
      expect(vcOf(attribute.body).type).toContain('VerifiableAccreditationToAccredit')
      for (const ti of tao.tis) {
        const authority = first.authorities[ti.id]!
        const tiAttribute = await attributeOf(authority.did)
        expect(tiAttribute.issuerType).toBe('TI')
        expect(tiAttribute.tao).toBe(taoDid)
        expect(tiAttribute.rootTao).toBe(first.rootTao.did)
        const accreditedFor = vcOf(tiAttribute.body).credentialSubject.accreditedFor!
        expect(accreditedFor.map((entry) => entry.types.at(-1)).sort()).toEqual([...typesOfTi(ti)].sort())
        for (const entry of accreditedFor) {
          expect(entry.types.slice(0, 2)).toEqual(['VerifiableCredential', 'VerifiableAttestation'])
          expect(entry.limitJurisdiction).toMatch(tao.country === 'DE' ? /atu\/DEU$/ : /atu\/FRA$/)
        }
      }
    }
    const dresden = vcOf((await attributeOf(first.authorities['bamf-dresden']!.did)).body)
    expect(dresden.credentialSubject.accreditedFor!.flatMap((e) => e.types)).not.toContain('DublinReplyMilestone')
    const french = vcOf((await attributeOf(first.authorities['fr-dublin-unit']!.did)).body)
    expect(french.credentialSubject.accreditedFor!.map((e) => e.types.at(-1)).sort()).toEqual([
      'DublinReexaminationReplyMilestone',
      'DublinReplyMilestone',
    ])
  })

  it('BAMF Dresden staff (demo account) record a milestone; a type outside its role is refused', async () => {
    const { offer, cookie, caseId } = await recordArrival('dresden.staff@bamf.test')
    expect(offer.status).toBe(201)
    expect(offer.body.offers.v1.uri).toContain('openid-credential-offer://')
    const refused = await call(options.issuerUrl, cookie, 'POST', `/cases/${caseId}/milestones`, {
      type: 'DublinReplyMilestone',
      claims: { milestoneDate: '2026-02-12', replyType: 'acceptance' },
    })
    expect(refused.status).toBe(403)
  })

  it('the anchoring identity timestamps batch roots on the ledger', async () => {
    const deadline = Date.now() + 20_000
    let anchoredBy: string | undefined
    while (!anchoredBy && Date.now() < deadline) {
      const page = await ebsi.timestamp.listTimestamps()
      const last = page.items.at(-1)
      if (last) anchoredBy = (await ebsi.timestamp.getTimestamp(last.timestampId)).timestampedBy
      else await new Promise((r) => setTimeout(r, 200))
    }
    expect(anchoredBy).toBe(first.anchoring.address)
    expect((await ebsi.didRegistry.resolve(first.anchoring.did)).id).toBe(first.anchoring.did)
  })

  it('the verifier’s DID resolves on the DIDR and it trusts the Root TAO and the anchoring identity', async () => {
    const document = (await ebsi.didRegistry.resolve(first.verifier.did)) as unknown as Record<string, string[]>
    const identity = (await (await fetch(`${options.verifierUrl}/identity`)).json()) as { kid: string }
    expect(document.assertionMethod).toContain(identity.kid)
    expect(document.authentication).toContain(identity.kid)
    const trust = (await (
      await fetch(`${options.verifierUrl}/deployment/trust`, {
        headers: { authorization: `Bearer ${readFileSync(join(dataDir, 'verifier-admin-token'), 'utf8').trim()}` },
      })
    ).json()) as { trustAnchors: { did: string }[]; trustedAnchorers: string[]; anchorsSource: string }
    expect(trust.anchorsSource).toBe('deployment')
    expect(trust.trustAnchors.map((a) => a.did)).toEqual([first.rootTao.did])
    expect(trust.trustedAnchorers).toEqual([first.anchoring.did, first.anchoring.address])
    await login(options.verifierUrl, 'dublin.officer')
  })

  it("the runner's access step signs in with the demo accounts: issuer API tokens, the verifier session from its cookie", async () => {
    const access = await pilotAccessFromAccounts(options, first.accountsFile)
    expect(Object.keys(access.issuerTokens)).toContain('bamf-dresden')
    for (const token of Object.values(access.issuerTokens)) {
      const me = await fetch(`${options.issuerUrl}/me`, { headers: { authorization: `Bearer ${token}` } })
      expect(me.status).toBe(200)
    }
    expect(access.verifierToken).toMatch(/^vs_/)
    const reports = await fetch(`${options.verifierUrl}/reports`, {
      headers: { authorization: `Bearer ${access.verifierToken}` },
    })
    expect(reports.status).toBe(200)
  })

  it('onboarding BAMF Bochum (NRW) makes a tenant whose credentials are accepted and verify in France', async () => {
    const bochum = await onboardAuthority(options, {
      name: 'BAMF Außenstelle Bochum (NRW)',
      role: 'BAMF_BRANCH_OFFICE',
      jurisdiction: 'DE-NW',
    })
    expect(bochum.id).toBe('bamf-bochum')
    expect(bochum.tao).toBe('bamf-hq')
    expect(bochum.accounts.map((a) => a.username)).toEqual(['bochum.staff@bamf.test', 'bochum.admin@bamf.test'])
    expect((await attributeOf(bochum.did)).issuerType).toBe('TI')
    const again = await onboardAuthority(options, {
      name: 'BAMF Außenstelle Bochum (NRW)',
      role: 'BAMF_BRANCH_OFFICE',
      jurisdiction: 'DE-NW',
    })
    expect(again.actions).toEqual([])
    expect(again.did).toBe(bochum.did)

    const { offer, holder } = await recordArrival('bochum.staff@bamf.test')
    expect(offer.status).toBe(201)
    const [credential] = await redeemCredentialOffer({ offer: offer.body.offers.v1.uri, txCode: offer.body.txCode, holder })
    expect(credential!.jwt.split('.')).toHaveLength(3)
    let proof: Awaited<ReturnType<typeof fetchInclusionProof>>
    const deadline = Date.now() + 20_000
    while (!proof && Date.now() < deadline) {
      proof = await fetchInclusionProof(credential!.anchoringUri!)
      if (!proof) await new Promise((r) => setTimeout(r, 200))
    }
    expect(proof).toBeDefined()
    const officer = await login(options.verifierUrl, 'dublin.officer')
    const report = await call(options.verifierUrl, officer, 'POST', '/verifications', {
      token: credential!.jwt,
      anchoringProof: proof,
    })
    expect(report.status).toBe(201)
    const steps = Object.fromEntries(
      (report.body.credentials[0].steps as { step: string; outcome: string; reason: string }[]).map((s) => [
        s.step,
        `${s.outcome}:${s.reason}`,
      ]),
    )
    for (const step of ['jwt-header', 'issuer-signature', 'validity-window', 'schema', 'accreditation', 'status', 'anchoring'])
      expect(steps[step], step).toMatch(/^passed/)
  })
})
