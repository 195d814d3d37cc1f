import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { memoizedGet } from '@cef-ebsi/verifiable-credential'
import { verifyPresentationJwt } from '@cef-ebsi/verifiable-presentation'
import { type TestDatabase, tempSqliteDatabase } from '@flora/db/testing'
import {
  accreditEntity,
  authoriseOnboarding,
  EbsiClient,
  onboardEntity,
  preRegisterAccreditation,
  registerRootTao,
  registerSchema,
} from '@flora/ebsi-connector'
import type { EcPublicJwk } from '@flora/ebsi-connector/core'
import {
  answerPresentationRequest,
  type DidDocumentLike,
  fetchInclusionProof,
  type HolderIdentity,
  holderIdentityOf,
  receivePresentationRequest,
  redeemCredentialOffer,
  type StoredCredential,
} from '@flora/ebsi-connector/holder'
import { loadIssuerConfig, type RunningIssuer, startIssuer } from '@flora/issuer'
import { createLogger } from '@flora/service-kit'
import { memoizeClear } from 'memoize'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { VerificationReport } from '../src/index.ts'
import { freePort, startVerifier, type VerifierUnderTest } from './support/harness.ts'
import { newEntity, newSigner, startLedgerNode } from './support/ledger-node.ts'
import type { TestWorld } from './support/world.ts'

// EBSI's four verifier conformance cases (valid, expired, revoked, not yet valid) end to end, every
// party the product's own: the REAL ledger node (a separate process, as `npm run ledger` starts it),
// the REAL issuer service (`startIssuer`: the authority onboarded through the deployment-admin API,
// the milestone recorded over the HTTP API, the credential signed when the case wallet redeems the
// OpenID4VCI offer with the holder module, anchored by the issuer's scheduler, the inclusion proof
// fetched from its anchoring URI, revocation through its API), and the REAL verifier service
// answering its own OpenID4VP request. The status list is read through the ledger's TIR proxy with a
// status max-age of 0.
//
// Expired and not-yet-valid credentials come from the issuer too: only ITS clock (`now`) is moved
// while the milestone is recorded and redeemed — back by validity + 1 month ("a credential issued 37
// months ago"), or a day ahead — and reset before anchoring and verification. The wallet's OpenID4VCI
// proof is stamped with the same clock (the issuer accepts a proof `iat` within 300 s of its own
// time: both parties redeem "back then"). The ledger and the verifier keep the real clock.
// (verifier/test/conformance.test.ts runs the cases against an in-test ledger stand-in,
// verifier/test/ledger-node.test.ts against the real node with credentials signed by the test.)

const TYPE = 'DublinReplyMilestone'
const AUTHORITY = 'bamf-dublin'
const ISSUER_ADMIN = `issuer-admin-${randomBytes(16).toString('hex')}`
const VERIFIER_ADMIN = `verifier-admin-${randomBytes(16).toString('hex')}`
const DAY = 86_400_000

let ledger: Awaited<ReturnType<typeof startLedgerNode>>
let ebsi: EbsiClient
let database: TestDatabase
let issuer: RunningIssuer
let issuerUrl = ''
let staffToken = ''
let tenantDid = ''
let verifier: VerifierUnderTest
let verifierDataDir = ''
let validityMonths = 36

/** The issuer's clock: real time, moved by the test while a skewed credential is recorded and redeemed. */
let skew: ((real: Date) => Date) | undefined
const issuerNow = () => (skew ? skew(new Date()) : new Date())
const addMonths = (date: Date, months: number) => {
  const moved = new Date(date)
  moved.setUTCMonth(moved.getUTCMonth() + months)
  return moved
}

async function call<T = Record<string, unknown>>(
  base: string,
  token: string | undefined,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  })
  const text = await response.text()
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as T }
}

/** Like {@link call}, failing the test (with the problem body) on an unexpected status. */
async function ok<T = Record<string, unknown>>(
  base: string,
  token: string | undefined,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const result = await call<T>(base, token, method, path, body)
  if (result.status >= 300)
    throw new Error(`${method} ${path}: ${result.status} ${JSON.stringify(result.body)}`)
  return result.body
}

const resolveDid = async (did: string) => {
  const response = await fetch(`${ledger.url}/did-registry/v5/identifiers/${encodeURIComponent(did)}`)
  return response.ok ? ((await response.json()) as DidDocumentLike) : undefined
}

beforeAll(async () => {
  ledger = await startLedgerNode()
  ebsi = new EbsiClient({ baseUrl: ledger.url })

  // The issuer service, in this process so that the test owns its clock.
  database = tempSqliteDatabase()
  const issuerPort = await freePort()
  issuerUrl = `http://127.0.0.1:${issuerPort}`
  issuer = await startIssuer(
    loadIssuerConfig({
      FLORA_ISSUER_DATABASE_URL: database.url,
      FLORA_DATA_DIR: database.dataDir,
      FLORA_ISSUER_HOST: '127.0.0.1',
      FLORA_ISSUER_PORT: String(issuerPort),
      FLORA_ISSUER_PUBLIC_URL: issuerUrl,
      FLORA_LEDGER_URL: ledger.url,
      // Anchoring runs when the test asks (`anchoring.runNow()`, one scheduler period), never while
      // the clock is moved.
      FLORA_ISSUER_ANCHOR_INTERVAL_MS: '3600000',
      FLORA_ISSUER_ADMIN_TOKEN: ISSUER_ADMIN,
      FLORA_LOG_LEVEL: 'silent',
    }),
    { logger: createLogger('issuer', process.env.ISSUER_TEST_LOG ?? 'silent'), now: issuerNow },
  )
  validityMonths = issuer.context.config.FLORA_ISSUER_CREDENTIAL_VALIDITY_MONTHS

  // Operator (EBSI Support Office role): the schemas the issuer names, at the URLs it names.
  const { items: schemas } = await ok<{
    items: { name: string; url: string; schema: Record<string, unknown> }[]
  }>(issuerUrl, ISSUER_ADMIN, 'GET', '/admin/ledger/schemas')
  const needed = schemas.filter((s) => s.name === TYPE || s.name.startsWith('StatusList2021'))
  expect(needed.map((s) => s.name)).toContain(TYPE)
  for (const { name, url, schema } of needed)
    expect(
      (await registerSchema(ebsi, { writer: ledger.operator, schema, metadata: { title: name } })).url,
    ).toBe(url)
  const replySchemaUrl = needed.find((s) => s.name === TYPE)!.url

  // Root TAO (authorised by the operator) → TAO Germany, accredited for Dublin replies.
  const rootEntity = newEntity()
  await onboardEntity(ebsi, {
    entity: rootEntity,
    authorisationToOnboard: await authoriseOnboarding(ebsi, {
      issuer: ledger.operator,
      subjectDid: rootEntity.did,
      controllerKey: rootEntity.controller.publicKeyJwk,
    }),
  })
  const root = {
    ...rootEntity,
    ...(await registerRootTao(ebsi, { supportOffice: ledger.operator, rootTao: rootEntity })),
  }
  const accreditedFor = [
    {
      schemaId: replySchemaUrl,
      types: ['VerifiableCredential', 'VerifiableAttestation', TYPE],
      limitJurisdiction: 'https://publications.europa.eu/resource/authority/atu/DEU',
    },
  ]
  const taoEntity = newEntity()
  await onboardEntity(ebsi, {
    entity: taoEntity,
    authorisationToOnboard: await authoriseOnboarding(ebsi, {
      issuer: root,
      subjectDid: taoEntity.did,
      controllerKey: taoEntity.controller.publicKeyJwk,
    }),
  })
  const tao = {
    ...taoEntity,
    ...(await accreditEntity(ebsi, {
      accreditor: root,
      accreditorAttributeId: root.attributeId,
      subject: taoEntity,
      role: 'TAO',
      accreditedFor,
    })),
  }

  // The BAMF Dublin unit as a tenant of the issuer, onboarded through the deployment-admin API: its
  // keys never leave the issuer; the TAO authorises, pre-registers and accredits.
  await ok(issuerUrl, ISSUER_ADMIN, 'POST', '/admin/authorities', {
    id: AUTHORITY,
    name: 'BAMF Dublin-Referat',
    role: 'BAMF_DUBLIN_UNIT',
    jurisdiction: 'DE',
  })
  const tenant = await ok<{ did: string; controllerKey: { publicKeyJwk: EcPublicJwk } }>(
    issuerUrl,
    ISSUER_ADMIN,
    'POST',
    `/admin/authorities/${AUTHORITY}/did`,
  )
  tenantDid = tenant.did
  await ok(issuerUrl, ISSUER_ADMIN, 'POST', `/admin/authorities/${AUTHORITY}/onboarding`, {
    authorisationToOnboard: await authoriseOnboarding(ebsi, {
      issuer: tao,
      subjectDid: tenantDid,
      controllerKey: tenant.controllerKey.publicKeyJwk,
    }),
  })
  const accreditation = await preRegisterAccreditation(ebsi, {
    accreditor: tao,
    accreditorAttributeId: tao.attributeId,
    subjectDid: tenantDid,
    role: 'TI',
    accreditedFor,
  })
  expect(
    await ok<{ stage: string }>(
      issuerUrl,
      ISSUER_ADMIN,
      'POST',
      `/admin/authorities/${AUTHORITY}/accreditation`,
      accreditation,
    ),
  ).toMatchObject({ stage: 'accredited' })
  staffToken = (
    await ok<{ token: string }>(
      issuerUrl,
      ISSUER_ADMIN,
      'POST',
      `/admin/authorities/${AUTHORITY}/api-tokens`,
      {
        name: 'dublin system',
        role: 'staff',
      },
    )
  ).token

  // The issuer deployment's anchoring identity.
  const anchoring = await ok<{ did: string; address: string; controllerKey: { publicKeyJwk: EcPublicJwk } }>(
    issuerUrl,
    ISSUER_ADMIN,
    'POST',
    '/admin/anchoring/did',
  )
  await ok(issuerUrl, ISSUER_ADMIN, 'POST', '/admin/anchoring/onboarding', {
    authorisationToOnboard: await authoriseOnboarding(ebsi, {
      issuer: root,
      subjectDid: anchoring.did,
      controllerKey: anchoring.controllerKey.publicKeyJwk,
    }),
  })

  // The verifier: trusts the Root TAO and the issuer's anchoring identity; reads every status list
  // afresh; its DID onboarded so that wallets can check its signed OpenID4VP requests.
  verifierDataDir = mkdtempSync(join(tmpdir(), 'flora-verifier-data-'))
  verifier = await startVerifier({ base: ledger.url, root: { did: root.did } } as unknown as TestWorld, {
    FLORA_VERIFIER_STATUS_MAX_AGE_SECONDS: '0',
    FLORA_VERIFIER_TRUSTED_ANCHORERS: `${anchoring.did},${anchoring.address}`,
    FLORA_VERIFIER_ADMIN_TOKEN: VERIFIER_ADMIN,
    FLORA_VERIFIER_LEDGER_TIMEOUT_MS: '5000',
    FLORA_DATA_DIR: verifierDataDir,
  })
  const { did: verifierDid, controllerKey: verifierKey } = await ok<{
    did: string
    controllerKey: { publicKeyJwk: EcPublicJwk }
  }>(
    verifier.url,
    VERIFIER_ADMIN,
    'GET',
    '/deployment/onboarding',
  )
  await ok(verifier.url, VERIFIER_ADMIN, 'POST', '/deployment/onboarding', {
    authorisationToOnboard: await authoriseOnboarding(ebsi, {
      issuer: tao,
      subjectDid: verifierDid,
      controllerKey: verifierKey.publicKeyJwk,
    }),
  })
}, 180_000)

afterAll(async () => {
  skew = undefined
  await verifier?.close()
  await issuer?.close()
  await database?.dispose()
  await ledger?.stop()
  if (verifierDataDir) rmSync(verifierDataDir, { recursive: true, force: true })
}, 60_000)

const payloadOf = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as {
    iss: string
    iat: number
    nbf: number
    exp: number
    vc: {
      validFrom: string
      issuanceDate: string
      expirationDate: string
      credentialStatus:
        | { statusPurpose: string; statusListCredential: string }[]
        | { statusListCredential: string }
    }
  }

interface Issued {
  holder: HolderIdentity
  credential: StoredCredential
  milestoneId: string
  /** The issuer's clock just before and after the redemption. */
  signedBetween: [Date, Date]
}

/**
 * The authority records a Dublin reply for a new case; the case wallet redeems the offer (EBSI v3
 * profile) and, once the issuer's scheduler anchored the batch, fetches its inclusion proof.
 * `clock` moves the issuer's clock (and the wallet's proof time) for the recording and redemption.
 */
async function issueThroughIssuer(clock?: (real: Date) => Date): Promise<Issued> {
  const holder = holderIdentityOf(newSigner('Secp256r1'))
  skew = clock
  let redeemed: Awaited<ReturnType<typeof redeemCredentialOffer>>[number] | undefined
  let milestoneId: string
  let signedBetween: [Date, Date]
  try {
    const { id: caseId } = await ok<{ id: string }>(issuerUrl, staffToken, 'POST', '/cases', {
      holderDid: holder.did,
    })
    const offer = await ok<{
      milestoneId: string
      txCode: string
      offers: Record<'ebsi-v3' | 'v1', { uri: string }>
    }>(issuerUrl, staffToken, 'POST', `/cases/${caseId}/milestones`, {
      type: TYPE,
      claims: { milestoneDate: issuerNow().toISOString().slice(0, 10), replyType: 'acceptance' },
    })
    milestoneId = offer.milestoneId
    const before = issuerNow()
    ;[redeemed] = await redeemCredentialOffer({
      offer: offer.offers['ebsi-v3'].uri,
      txCode: offer.txCode,
      holder,
      now: issuerNow,
    })
    signedBetween = [before, issuerNow()]
  } finally {
    skew = undefined
  }
  expect(redeemed?.jwt).toBeTruthy()
  expect(redeemed!.inclusionProof).toBeUndefined() // signed just now: not in an anchored batch yet
  expect(redeemed!.anchoringUri).toMatch(new RegExp(`^${issuerUrl}/anchoring/proofs/`))
  expect(await fetchInclusionProof(redeemed!.anchoringUri!)).toBeUndefined()
  await issuer.anchoring.runNow()
  const inclusionProof = await fetchInclusionProof(redeemed!.anchoringUri!)
  expect(inclusionProof).toBeDefined()
  const payload = payloadOf(redeemed!.jwt)
  return {
    holder,
    milestoneId,
    signedBetween,
    credential: {
      id: `c-${milestoneId}`,
      holderDid: holder.did,
      jwt: redeemed!.jwt,
      types: ['VerifiableCredential', 'VerifiableAttestation', TYPE],
      issuer: payload.iss,
      receivedAt: new Date(),
      anchoringUri: redeemed!.anchoringUri!,
      inclusionProof: inclusionProof!,
    },
  }
}

/**
 * The verifier's own OpenID4VP request, answered by the case wallet (holder module, direct_post);
 * returns the verifier's report and the EBSI library's verdict on the same VP.
 */
async function presentToVerifier(issued: Issued) {
  const request = await ok<{ id: string; authorizationRequest: string }>(
    verifier.url,
    verifier.token,
    'POST',
    '/presentation-requests',
    {},
  )
  const received = await receivePresentationRequest(request.authorizationRequest, { resolveDid })
  expect(received.verifier.did).toBe(verifier.services.identity.did)
  let vpToken = ''
  const answer = await answerPresentationRequest({
    request: received,
    holder: issued.holder,
    credentials: [issued.credential],
    fetch: (input, init) => {
      if (typeof init?.body === 'string') vpToken = new URLSearchParams(init.body).get('vp_token') ?? ''
      return fetch(input, init)
    },
  })
  const status = await ok<{ status: string; reportId: string }>(
    verifier.url,
    verifier.token,
    'GET',
    `/presentation-requests/${request.id}`,
  )
  const report = await ok<VerificationReport>(
    verifier.url,
    verifier.token,
    'GET',
    `/reports/${status.reportId}`,
  )
  expect(report.source).toBe('oid4vp')
  expect(vpToken).not.toBe('')
  memoizeClear(memoizedGet)
  const library = await verifyPresentationJwt(vpToken, verifier.services.identity.did, {
    ebsiAuthority: new URL(ledger.url).host,
    ebsiEnvConfig: {
      didRegistry: `${ledger.url}/did-registry/v5/identifiers`,
      trustedIssuersRegistry: `${ledger.url}/trusted-issuers-registry/v5/issuers`,
      trustedPoliciesRegistry: `${ledger.url}/trusted-policies-registry/v3/users`,
    },
    // The node listens on 127.0.0.1; the library trusts only "localhost" by default.
    trustedHostnames: ['127.0.0.1'],
  } as Parameters<typeof verifyPresentationJwt>[2]).then(
    () => 'accept',
    (error: Error) => `reject: ${error.message}`,
  )
  return { answer, status: status.status, report, library }
}

const step = (report: VerificationReport, name: string) =>
  report.credentials[0]!.steps.find((s) => s.step === name)!
const outcomes = new Map<string, [string, string | null, string | undefined]>()
const record = (name: string, report: VerificationReport) => {
  const failing = report.credentials[0]!.steps.find((s) => s.step === report.failingStep)
  outcomes.set(name, [report.verdict, report.failingStep, failing?.reason])
}

describe('EBSI conformance verifier cases with credentials from the real issuer and ledger node', () => {
  it('valid: every step passes', async () => {
    const issued = await issueThroughIssuer()
    const { answer, status, report, library } = await presentToVerifier(issued)
    expect(report.credentials[0]!.steps.map((s) => [s.step, s.outcome, s.reason])).toEqual(
      [
        'jwt-header',
        'issuer-signature',
        'validity-window',
        'schema',
        'accreditation',
        'status',
        'anchoring',
      ].map((s) => [s, 'passed', 'ok']),
    )
    expect(
      report.presentationSteps.filter((s) => ['holder-binding', 'case-consistency'].includes(s.step)),
    ).toEqual([
      expect.objectContaining({ step: 'holder-binding', outcome: 'passed' }),
      expect.objectContaining({ step: 'case-consistency', outcome: 'passed' }),
    ])
    expect(report).toMatchObject({ verdict: 'valid', failingStep: null })
    expect(report.credentials[0]!.issuer).toBe(tenantDid)
    expect(status).toBe('answered')
    expect(answer.code).toBeTruthy()
    expect(library).toBe('accept')
    record('valid', report)
  })

  it(`expired: issued by the issuer validity + 1 month ago`, async () => {
    const issued = await issueThroughIssuer((real) => addMonths(real, -(validityMonths + 1)))
    // The dates are the issuer's: signed on its moved clock, valid for its configured period.
    const { vc, iat, nbf, exp, iss } = payloadOf(issued.credential.jwt)
    expect(iss).toBe(tenantDid)
    const validFrom = Date.parse(vc.validFrom)
    expect(validFrom).toBeGreaterThanOrEqual(issued.signedBetween[0].getTime() - 1000)
    expect(validFrom).toBeLessThanOrEqual(issued.signedBetween[1].getTime())
    expect(Date.parse(vc.expirationDate)).toBe(addMonths(new Date(validFrom), validityMonths).getTime())
    expect(Date.parse(vc.expirationDate)).toBeLessThan(Date.now() - 20 * DAY)
    expect([iat * 1000, nbf * 1000, exp * 1000]).toEqual([
      validFrom,
      validFrom,
      Date.parse(vc.expirationDate),
    ])

    const { answer, status, report, library } = await presentToVerifier(issued)
    expect(step(report, 'validity-window')).toMatchObject({ outcome: 'failed', reason: 'expired' })
    expect(report).toMatchObject({ verdict: 'invalid', failingStep: 'validity-window' })
    // Nothing else is wrong with it: signed, accredited, not revoked, anchored.
    expect(report.credentials[0]!.steps.filter((s) => s.outcome !== 'passed').map((s) => s.step)).toEqual([
      'validity-window',
    ])
    expect(status).toBe('failed')
    expect(answer.error).toBe('invalid_request')
    expect(library).toMatch(/^reject/)
    record('expired', report)
  })

  it('revoked: revoked through the issuer API, status read through the ledger’s TIR proxy', async () => {
    const issued = await issueThroughIssuer()
    const { vc } = payloadOf(issued.credential.jwt)
    const entries = Array.isArray(vc.credentialStatus) ? vc.credentialStatus : [vc.credentialStatus]
    for (const entry of entries)
      expect(entry.statusListCredential).toMatch(
        new RegExp(`^${ledger.url}/trusted-issuers-registry/v5/issuers/${tenantDid}/proxies/0x[0-9a-f]+/`),
      )
    // Verified once while still valid (the status list is read then too) …
    expect((await presentToVerifier(issued)).report.verdict).toBe('valid')
    // … then revoked by the authority: with status max-age 0 the next verification sees it.
    expect(
      (await call(issuerUrl, staffToken, 'POST', `/milestones/${issued.milestoneId}/revoke`)).status,
    ).toBe(200)
    const { answer, status, report, library } = await presentToVerifier(issued)
    expect(step(report, 'status')).toMatchObject({ outcome: 'failed', reason: 'revoked' })
    expect(report).toMatchObject({ verdict: 'invalid', failingStep: 'status' })
    expect(report.credentials[0]!.steps.filter((s) => s.outcome !== 'passed').map((s) => s.step)).toEqual([
      'status',
    ])
    expect(report.statusAgeSeconds).toBe(0)
    expect(status).toBe('failed')
    expect(answer.error).toBe('invalid_request')
    expect(library).toMatch(/^reject/)
    record('revoked', report)
  })

  it('not yet valid: issued on an issuer clock one day ahead', async () => {
    const issued = await issueThroughIssuer((real) => new Date(real.getTime() + DAY))
    const { vc, iss } = payloadOf(issued.credential.jwt)
    expect(iss).toBe(tenantDid)
    const validFrom = Date.parse(vc.validFrom)
    expect(validFrom).toBeGreaterThanOrEqual(issued.signedBetween[0].getTime() - 1000)
    expect(validFrom).toBeLessThanOrEqual(issued.signedBetween[1].getTime())
    expect(validFrom).toBeGreaterThan(Date.now() + DAY - 120_000)

    const { answer, status, report, library } = await presentToVerifier(issued)
    expect(step(report, 'validity-window')).toMatchObject({ outcome: 'failed', reason: 'not-yet-valid' })
    expect(report).toMatchObject({ verdict: 'invalid', failingStep: 'validity-window' })
    // Its batch was (truly) anchored before its stated issuance: the anchoring step says so as well.
    expect(
      report.credentials[0]!.steps.filter((s) => s.outcome !== 'passed').map((s) => [s.step, s.reason]),
    ).toEqual([
      ['validity-window', 'not-yet-valid'],
      ['anchoring', 'anchored-before-issuance'],
    ])
    expect(status).toBe('failed')
    expect(answer.error).toBe('invalid_request')
    expect(library).toMatch(/^reject/)
    record('not yet valid', report)
  })

  it('the four outcomes are distinct', () => {
    expect(Object.fromEntries(outcomes)).toEqual({
      valid: ['valid', null, undefined],
      expired: ['invalid', 'validity-window', 'expired'],
      revoked: ['invalid', 'status', 'revoked'],
      'not yet valid': ['invalid', 'validity-window', 'not-yet-valid'],
    })
    expect(new Set([...outcomes.values()].map((o) => JSON.stringify(o))).size).toBe(4)
  })
})
