import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { memoizedGet } from '@cef-ebsi/verifiable-credential'
import { verifyPresentationJwt } from '@cef-ebsi/verifiable-presentation'
import { credentialSchemaFor } from '@flora/credentials'
import {
  accreditEntity,
  addIssuerProxy,
  EbsiClient,
  type EbsiEntity,
  ISSUER_TYPE,
  isoSeconds,
  issueAccreditation,
  issueStatusListCredential,
  newAttributeId,
  onboardEntity,
  registerSchema,
  StatusListBits,
  signCredentialJwt,
  timestampHashes,
} from '@flora/ebsi-connector'
import { createPresentationJwt, holderIdentityOf } from '@flora/ebsi-connector/holder'
import { memoizeClear } from 'memoize'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { VerificationReport } from '../src/index.ts'
import { startVerifier, type VerifierUnderTest } from './support/harness.ts'
import { newEntity, newSigner, startLedgerNode } from './support/ledger-node.ts'
import type { TestWorld } from './support/world.ts'

// EBSI's four verifier conformance cases against the REAL embedded ledger node (started as
// `npm run ledger` does), with a trust chain written through its JSON-RPC APIs by the EBSI client,
// a status list reached through the node's TIR proxy, and anchoring with the Timestamp API.
// Credentials are signed here in the issuer's format (VCDM 1.1 VerifiableAttestation, ES256); with
// credentials from the real issuer service (and its anchoring and revocation) the four cases are in
// conformance-real-issuer.test.ts.
const TYPE = 'DublinReplyMilestone'
let ledger: Awaited<ReturnType<typeof startLedgerNode>>
let ebsi: EbsiClient
let root: EbsiEntity & { attributeId: string }
let ti: EbsiEntity & { attributeId: string }
let schemaUrl = ''
let proxyId = ''
let statusServer: Server
const bits = new StatusListBits()
let statusJwt = ''
let verifier: VerifierUnderTest

async function onboard(by: EbsiEntity): Promise<EbsiEntity> {
  const e = newEntity()
  const authorisationToOnboard = await issueAccreditation({
    issuer: { did: by.did, signer: by.assertion },
    subjectDid: e.did,
    kind: 'VerifiableAuthorisationToOnboard',
    schemasUrl: ebsi.trustedSchemasRegistry.schemaUrl('').replace(/\/$/, ''),
  })
  await onboardEntity(ebsi, { entity: e, authorisationToOnboard })
  return e
}

beforeAll(async () => {
  ledger = await startLedgerNode()
  ebsi = new EbsiClient({ baseUrl: ledger.url })
  const operator = ledger.operator
  schemaUrl = (await registerSchema(ebsi, { writer: operator, schema: credentialSchemaFor(TYPE) as Record<string, unknown> })).url
  // Root TAO: onboarded by the operator, authorised for the trust chain.
  const rootEntity = await onboard(operator)
  const rootAttributeId = newAttributeId()
  const rootBody = await issueAccreditation({
    issuer: { did: operator.did, signer: operator.assertion },
    subjectDid: rootEntity.did,
    kind: 'VerifiableAuthorisationForTrustChain',
    schemasUrl: ebsi.trustedSchemasRegistry.schemaUrl('').replace(/\/$/, ''),
    reservedAttributeId: rootAttributeId,
  })
  await ebsi.transactions.write({
    api: 'trusted-issuers-registry',
    method: 'setAttributeMetadata',
    scope: 'tir_write',
    actor: { did: operator.did, controller: operator.controller, authentication: operator.assertion },
    params: { did: rootEntity.did, attributeId: rootAttributeId, issuerType: ISSUER_TYPE.RootTAO, taoDid: operator.did, taoAttributeId: rootAttributeId },
  })
  await ebsi.transactions.write({
    api: 'trusted-issuers-registry',
    method: 'setAttributeData',
    scope: 'tir_invite',
    actor: { did: rootEntity.did, controller: rootEntity.controller, authentication: rootEntity.assertion },
    credentials: [rootBody],
    params: { did: rootEntity.did, attributeId: rootAttributeId, attributeData: `0x${Buffer.from(rootBody).toString('hex')}` },
  })
  root = { ...rootEntity, attributeId: rootAttributeId }
  const accreditedFor = [{ schemaId: schemaUrl, types: ['VerifiableCredential', 'VerifiableAttestation', TYPE] }]
  const taoEntity = await onboard(root)
  const tao = { ...taoEntity, ...(await accreditEntity(ebsi, { accreditor: root, accreditorAttributeId: root.attributeId, subject: taoEntity, role: 'TAO', accreditedFor })) }
  const tiEntity = await onboard(tao)
  ti = { ...tiEntity, ...(await accreditEntity(ebsi, { accreditor: tao, accreditorAttributeId: tao.attributeId, subject: tiEntity, role: 'TI', accreditedFor })) }
  // The TI's status list server, registered as its TIR proxy (the node tests it before accepting).
  statusServer = createServer((req, res) => {
    res.writeHead(req.url === '/status/1' ? 200 : 404, { 'content-type': 'application/jwt' })
    res.end(req.url === '/status/1' ? statusJwt : '')
  })
  await new Promise<void>((resolve) => statusServer.listen(0, '127.0.0.1', resolve))
  const prefix = `http://127.0.0.1:${(statusServer.address() as AddressInfo).port}`
  const sign = async (id: string) => {
    statusJwt = await issueStatusListCredential({
      issuer: { did: ti.did, signer: ti.assertion },
      url: ebsi.trustedIssuersRegistry.proxyUrl(ti.did, id, 'status/1'),
      schemasUrl: ebsi.trustedSchemasRegistry.schemaUrl('').replace(/\/$/, ''),
      bits,
    })
  }
  await sign('0x00')
  proxyId = (await addIssuerProxy(ebsi, { issuer: ti, proxy: { prefix, headers: {}, testSuffix: '/status/1' } })).proxyId
  await sign(proxyId)
  ;(globalThis as Record<string, unknown>).__resign = () => sign(proxyId)
  // A world-like stand-in for the harness (only base and root are read).
  verifier = await startVerifier({ base: ledger.url, root: { did: root.did } } as unknown as TestWorld, {
    FLORA_VERIFIER_STATUS_MAX_AGE_SECONDS: '0',
  })
}, 120_000)

afterAll(async () => {
  await verifier?.close()
  await new Promise((resolve) => statusServer?.close(resolve))
  await ledger?.stop()
})

let nextIndex = 10
async function issue(holderDid: string, options: { validFrom?: Date; expirationDate?: Date; issuedAt?: Date }) {
  const index = nextIndex++
  const issuedAt = options.issuedAt ?? new Date(Date.now() - 60_000)
  const validFrom = options.validFrom ?? issuedAt
  const listUrl = ebsi.trustedIssuersRegistry.proxyUrl(ti.did, proxyId, 'status/1')
  const jwt = await signCredentialJwt(
    { did: ti.did, signer: ti.assertion },
    {
      '@context': ['https://www.w3.org/2018/credentials/v1'],
      id: `urn:uuid:${randomUUID()}`,
      type: ['VerifiableCredential', 'VerifiableAttestation', TYPE],
      issuer: ti.did,
      issuanceDate: isoSeconds(validFrom),
      issued: isoSeconds(issuedAt),
      validFrom: isoSeconds(validFrom),
      expirationDate: isoSeconds(options.expirationDate ?? new Date(Date.now() + 365 * 86_400_000)),
      credentialSubject: { id: holderDid, previousMilestoneHash: null, milestoneDate: '2026-02-12', replyType: 'acceptance' },
      credentialSchema: { id: schemaUrl, type: 'FullJsonSchemaValidator2021' },
      credentialStatus: {
        id: `${listUrl}#${index}`,
        type: 'StatusList2021Entry',
        statusPurpose: 'revocation',
        statusListIndex: String(index),
        statusListCredential: listUrl,
      },
      termsOfUse: { id: ebsi.trustedIssuersRegistry.attributeUrl(ti.did, ti.attributeId), type: 'IssuanceCertificate' },
    },
  )
  return { jwt, index }
}

/** Anchors one credential's batch root with timestampHashes on the node; returns its proof. */
async function anchor(jwt: string) {
  const leaves = [Buffer.concat([randomBytes(32), createHash('sha256').update(jwt).digest()]), randomBytes(64)]
  const h = (...parts: Buffer[]) => parts.reduce((hash, p) => hash.update(p), createHash('sha256')).digest()
  const [l0, l1] = leaves.map((leaf) => h(Buffer.from([0]), leaf)) as [Buffer, Buffer]
  const root = `0x${h(Buffer.from([1]), l0, l1).toString('hex')}`
  const receipt = await timestampHashes(ebsi, { writer: ti, hashes: [root] })
  expect(receipt.status).toBe('0x1')
  return { leaf: leaves[0]!.toString('hex'), leafIndex: 0, treeSize: 2, proof: [l1.toString('hex')], root }
}

async function present(options: { validFrom?: Date; expirationDate?: Date; issuedAt?: Date; revoke?: boolean }) {
  const holder = holderIdentityOf(newSigner('Secp256r1'))
  const { jwt, index } = await issue(holder.did, options)
  if (options.revoke) {
    bits.set(index, true)
    await ((globalThis as Record<string, unknown>).__resign as () => Promise<void>)()
  }
  const proof = await anchor(jwt)
  const vp = await createPresentationJwt({ holder, credentials: [jwt], anchoringProofs: [proof], audience: verifier.services.identity.did, nonce: await verifier.nonce() })
  const report = (await (await verifier.verify(vp)).json()) as VerificationReport
  memoizeClear(memoizedGet)
  const library = await verifyPresentationJwt(vp, verifier.services.identity.did, {
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
  return { report, library }
}

const step = (report: VerificationReport, name: string) => report.credentials[0]!.steps.find((s) => s.step === name)!

describe('EBSI conformance verifier cases against the real ledger node', () => {
  it('valid', async () => {
    const { report, library } = await present({})
    expect(report.credentials[0]!.steps.map((s) => [s.step, s.outcome, s.reason])).toEqual(
      ['jwt-header', 'issuer-signature', 'validity-window', 'schema', 'accreditation', 'status', 'anchoring'].map((s) => [s, 'passed', 'ok']),
    )
    expect(report.verdict).toBe('valid')
    expect(library).toBe('accept')
  })

  it('expired', async () => {
    const { report, library } = await present({ issuedAt: new Date(Date.now() - 5 * 86_400_000), expirationDate: new Date(Date.now() - 86_400_000) })
    expect(step(report, 'validity-window')).toMatchObject({ outcome: 'failed', reason: 'expired' })
    expect(report.verdict).toBe('invalid')
    expect(library).toMatch(/^reject/)
  })

  it('revoked', async () => {
    const { report, library } = await present({ revoke: true })
    expect(step(report, 'status')).toMatchObject({ outcome: 'failed', reason: 'revoked' })
    expect(report.verdict).toBe('invalid')
    expect(library).toMatch(/^reject/)
  })

  it('not yet valid', async () => {
    const { report, library } = await present({ validFrom: new Date(Date.now() + 86_400_000) })
    expect(step(report, 'validity-window')).toMatchObject({ outcome: 'failed', reason: 'not-yet-valid' })
    expect(report.verdict).toBe('invalid')
    expect(library).toMatch(/^reject/)
  })
})
