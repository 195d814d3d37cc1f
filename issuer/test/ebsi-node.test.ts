import { memoizedGet, verifyCredentialJwt } from '@cef-ebsi/verifiable-credential'
import { EbsiClient, revokeAccreditation } from '@flora/ebsi-connector'
import { memoizeClear } from 'memoize'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { anchorPending } from '../src/anchoring/anchoring.ts'
import { forgetAccreditations } from '../src/services/authorities.ts'
import {
  onboardAnchoringIdentity,
  onboardAuthorityDid,
  registerAuthorityOnLedger,
} from '../src/services/onboarding.ts'
import { registerAuthority } from '../src/services/authorities.ts'
import { createApiToken } from '../src/services/auth.ts'
import type { EbsiLedgerGateway } from '../src/ledger/ebsi-ledger-gateway.ts'
import { api, decodeJwt, freePort, newHolder } from './helpers/harness.ts'
import { bootstrapPilotChain, type PilotChain, startLedgerProcess } from './helpers/ledger.ts'
import { redeemWithIndependentClient } from './helpers/wallet-client.ts'
import { type TestDatabase, tempSqliteDatabase } from '@flora/db/testing'
import { createLogger } from '@flora/service-kit'
import { type RunningIssuer, startIssuer } from '../src/assembly.ts'
import { loadIssuerConfig } from '../src/config.ts'

const TYPES = ['DublinRequestMilestone', 'EurodacHitMilestone', 'DublinReplyMilestone']

let ledger: Awaited<ReturnType<typeof startLedgerProcess>>
let ebsi: EbsiClient
let chain: PilotChain
let database: TestDatabase
let issuer: RunningIssuer
let url: string
let token: string
let tiAttributeId: string
let tiDid: string
let options: Parameters<typeof verifyCredentialJwt>[1]

const request = {
  type: 'DublinRequestMilestone',
  claims: { milestoneDate: '2026-02-03', requestType: 'TBR', requestingState: 'DE', requestedState: 'FR' },
  eurodacReference: 'DE1200000123456',
}

beforeAll(async () => {
  ledger = await startLedgerProcess()
  ebsi = new EbsiClient({ baseUrl: ledger.url })
  chain = await bootstrapPilotChain(ebsi, ledger.operatorFile, TYPES)
  database = tempSqliteDatabase()
  const port = await freePort()
  url = `http://127.0.0.1:${port}`
  const config = loadIssuerConfig({
    FLORA_ISSUER_DATABASE_URL: database.url,
    FLORA_DATA_DIR: database.dataDir,
    FLORA_ISSUER_HOST: '127.0.0.1',
    FLORA_ISSUER_PORT: String(port),
    FLORA_ISSUER_PUBLIC_URL: url,
    FLORA_LEDGER_URL: ledger.url,
    FLORA_ISSUER_ANCHOR_INTERVAL_MS: '3600000',
    FLORA_ISSUER_ANCHOR_MIN_BATCH: '4',
    FLORA_ISSUER_ACCREDITATION_CACHE_SECONDS: '0',
    FLORA_LOG_LEVEL: 'silent',
  })
  forgetAccreditations()
  issuer = await startIssuer(config, {
    logger: createLogger('issuer', process.env.ISSUER_TEST_LOG ?? 'silent'),
  })
  const ctx = issuer.context
  // The BAMF Dublin unit, a tenant of this issuer: keys in the issuer's encrypted store, DID on the
  // ledger, accredited by TAO Germany for Dublin requests and Eurodac hits (not for replies).
  await registerAuthority(ctx, { id: 'bamf-dublin', name: 'BAMF Dublin-Referat', role: 'BAMF_DUBLIN_UNIT' })
  const entity = await onboardAuthorityDid(
    ctx,
    ebsi,
    issuer.keyStore,
    'bamf-dublin',
    chain.authoriseOnboarding,
  )
  tiDid = entity.did
  tiAttributeId = await chain.accreditTi(entity, ['DublinRequestMilestone', 'EurodacHitMilestone'])
  await registerAuthorityOnLedger(ctx, ebsi, entity, 'bamf-dublin', tiAttributeId)
  await onboardAnchoringIdentity(ctx, ebsi, issuer.keyStore, chain.authoriseOnboarding)
  token = (
    await createApiToken(ctx, undefined, { authorityId: 'bamf-dublin', name: 'dublin system', role: 'staff' })
  ).token
  options = {
    ebsiAuthority: new URL(ledger.url).host,
    ebsiEnvConfig: {
      didRegistry: `${ledger.url}/did-registry/v5/identifiers`,
      trustedIssuersRegistry: `${ledger.url}/trusted-issuers-registry/v5/issuers`,
      trustedPoliciesRegistry: `${ledger.url}/trusted-policies-registry/v3/users`,
    },
  }
}, 120_000)

afterAll(async () => {
  await issuer?.close()
  await database?.dispose()
  await ledger?.stop()
})

async function issue(profile: 'ebsi-v3' | 'v1') {
  const holder = newHolder()
  const caseId = (await api({ url }, token, 'POST', '/cases', { holderDid: holder.did })).body.id
  const offer = await api({ url }, token, 'POST', `/cases/${caseId}/milestones`, request)
  expect(offer.status).toBe(201)
  const { response } = await redeemWithIndependentClient(
    offer.body.offers[profile].uri,
    offer.body.txCode,
    holder,
  )
  const body = response.credentialResponse as Record<string, any>
  return {
    holder,
    milestoneId: offer.body.milestoneId as string,
    jwt: (profile === 'v1' ? body.credentials[0].credential : body.credential) as string,
  }
}

describe('against the embedded EBSI ledger node (separate process)', () => {
  it('the status-list proxy passed the ledger’s proxy test and serves our signed list', async () => {
    const proxies = await ebsi.trustedIssuersRegistry.listProxies(tiDid)
    expect(proxies.items).toHaveLength(1)
    const jwt = await ebsi.trustedIssuersRegistry.readThroughProxy(
      tiDid,
      proxies.items[0]!.proxyId,
      'revocation/1',
    )
    expect(decodeJwt(jwt).vc.credentialSubject).toMatchObject({
      type: 'StatusList2021',
      statusPurpose: 'revocation',
    })
  })

  it.each(['ebsi-v3', 'v1'] as const)(
    'a credential redeemed in profile %s verifies with @cef-ebsi/verifiable-credential 5.5.0, no skip options',
    async (profile) => {
      const { jwt, holder } = await issue(profile)
      memoizeClear(memoizedGet)
      const vc = await verifyCredentialJwt(jwt, options)
      expect((vc.credentialSubject as { id: string }).id).toBe(holder.did)
      expect(vc.type).toEqual(['VerifiableCredential', 'VerifiableAttestation', 'DublinRequestMilestone'])
    },
  )

  it('a revoked credential fails verification and cannot be reinstated', async () => {
    const { jwt, milestoneId } = await issue('v1')
    expect((await api({ url }, token, 'POST', `/milestones/${milestoneId}/revoke`)).status).toBe(200)
    memoizeClear(memoizedGet)
    await expect(verifyCredentialJwt(jwt, options)).rejects.toThrow(/revoked/)
    expect((await api({ url }, token, 'POST', `/milestones/${milestoneId}/unsuspend`)).status).toBe(409)
  })

  it('a suspended credential fails verification until the suspension is lifted', async () => {
    const { jwt, milestoneId } = await issue('v1')
    await api({ url }, token, 'POST', `/milestones/${milestoneId}/suspend`)
    memoizeClear(memoizedGet)
    await expect(verifyCredentialJwt(jwt, options)).rejects.toThrow(/suspended/)
    await api({ url }, token, 'POST', `/milestones/${milestoneId}/unsuspend`)
    memoizeClear(memoizedGet)
    await expect(verifyCredentialJwt(jwt, options)).resolves.toBeTruthy()
  })

  it('refuses a type the ledger accreditation does not cover (reply: the role may, the TIR says no)', async () => {
    const holder = newHolder()
    const caseId = (await api({ url }, token, 'POST', '/cases', { holderDid: holder.did })).body.id
    const refused = await api({ url }, token, 'POST', `/cases/${caseId}/milestones`, {
      type: 'DublinReplyMilestone',
      claims: { milestoneDate: '2026-02-12', replyType: 'acceptance' },
    })
    expect(refused.status).toBe(403)
    expect(refused.body.code).toBe('ERR_ACCREDITATION_MISSING')
  })

  it('anchors the batch root with the Timestamp API from the one anchoring identity; proofs lead to the ledger', async () => {
    const { milestoneId } = await issue('v1')
    await anchorPending(issuer.context)
    const row = await issuer.db.client.milestoneRecord.findUniqueOrThrow({ where: { id: milestoneId } })
    const proof = await api(
      { url },
      undefined,
      'GET',
      `/anchoring/proofs/${encodeURIComponent(row.credentialId!)}`,
    )
    expect(proof.status).toBe(200)
    const timestamp = await ebsi.timestamp.getTimestamp(proof.body.ledger.timestampId)
    expect(timestamp.hash.toLowerCase()).toContain(proof.body.root.replace(/^0x/, '').toLowerCase())
    const receipt = await ebsi.ledger.getTransactionReceipt(proof.body.ledger.txHash)
    expect(receipt?.status).toBe('0x1')
    const anchoringDid = JSON.parse(
      (
        await issuer.db.client.serviceSetting.findUniqueOrThrow({
          where: { key: 'issuer.anchoring-identity' },
        })
      ).value,
    ).did
    expect(anchoringDid).not.toBe(tiDid)
  })

  it('once the accreditation is revoked on the ledger, issuance is refused and old credentials fail', async () => {
    const { jwt } = await issue('v1')
    await revokeAccreditation(ebsi, {
      accreditor: chain.tao,
      accreditorAttributeId: chain.tao.attributeId,
      subjectDid: tiDid,
      attributeId: tiAttributeId,
    })
    forgetAccreditations()
    memoizeClear(memoizedGet)
    await expect(verifyCredentialJwt(jwt, options)).rejects.toThrow(/Revoked|revoked/)
    const holder = newHolder()
    const caseId = (await api({ url }, token, 'POST', '/cases', { holderDid: holder.did })).body.id
    const refused = await api({ url }, token, 'POST', `/cases/${caseId}/milestones`, request)
    expect(refused.status).toBe(403)
    expect(refused.body.detail).toMatch(/revoked/)
    expect((issuer.context.ledger as EbsiLedgerGateway).baseUrl).toBe(ledger.url)
  })
})
