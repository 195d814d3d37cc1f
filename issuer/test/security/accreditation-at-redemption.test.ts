import { revokeAccreditation } from '@flora/ebsi-connector'
import { createHolderIdentity, IssuerRefused } from '@flora/ebsi-connector/holder'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api } from '../helpers/harness.ts'
import {
  type LedgerIssuer,
  type LedgerNetwork,
  providers,
  startLedgerIssuer,
  startLedgerNetwork,
  startWallet,
  type TestWallet,
} from '../helpers/ledger-issuer.ts'

// An offer is redeemable for days. If the authority's accreditation for the type is revoked on the
// ledger meanwhile, the issuer must not sign the credential when the wallet comes: it checks the
// accreditation again at redemption, and refuses when it cannot check it. The issuer runs with the
// default accreditation cache (60 s); the test moves the issuer's clock past it instead of turning
// the cache off.

const TYPES = ['DublinRequestMilestone']
const CACHE_SECONDS = 60
const request = {
  type: 'DublinRequestMilestone',
  claims: { milestoneDate: '2026-02-03', requestType: 'TBR', requestingState: 'DE', requestedState: 'FR' },
}

let network: LedgerNetwork
let wallet: TestWallet
const issuers: LedgerIssuer[] = []
beforeAll(async () => {
  network = await startLedgerNetwork(TYPES)
  wallet = await startWallet()
}, 120_000)
afterAll(async () => {
  for (const t of issuers) await t.close()
  await wallet?.close()
  await network?.stop()
})

async function startIssuerFor(provider: (typeof providers)[number], name: string) {
  const t = await startLedgerIssuer(network, {
    provider,
    authorityId: `bamf-dublin-${name}-${provider}`,
    role: 'BAMF_DUBLIN_UNIT',
    types: TYPES,
    env: { FLORA_ISSUER_ACCREDITATION_CACHE_SECONDS: String(CACHE_SECONDS) },
  })
  issuers.push(t)
  return t
}

async function offerFor(t: LedgerIssuer, alias: string) {
  const holder = await createHolderIdentity(wallet.agent.options.keys, alias)
  const caseId = (await api(t, t.token, 'POST', '/cases', { holderDid: holder.did })).body.id
  const recorded = await api(t, t.token, 'POST', `/cases/${caseId}/milestones`, request)
  expect(recorded.status).toBe(201)
  return { holder, milestoneId: recorded.body.milestoneId as string, body: recorded.body }
}

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error as IssuerRefused,
  )

describe.each(providers)('accreditation at redemption (%s)', (provider) => {
  it('an offer made before the accreditation was revoked on the ledger is refused at redemption', async () => {
    const t = await startIssuerFor(provider, 'revoked')
    const offers = await Promise.all(['v1', 'ebsi-v3'].map((p) => offerFor(t, `${provider}-revoked-${p}`)))
    await revokeAccreditation(network.ebsi, {
      accreditor: network.chain.tao,
      accreditorAttributeId: network.chain.tao.attributeId,
      subjectDid: t.entity.did,
      attributeId: t.attributeId,
    })
    t.clock.advance((CACHE_SECONDS + 1) * 1000)
    for (const [i, profile] of (['v1', 'ebsi-v3'] as const).entries()) {
      const { holder, milestoneId, body } = offers[i]!
      const refused = await refusal(wallet.agent.redeemOffer(holder, body.offers[profile].uri, body.txCode))
      expect(refused).toBeInstanceOf(IssuerRefused)
      expect(refused!.error).toBe('credential_request_denied')
      expect(refused!.message).toMatch(/revoked/)
      const row = await t.issuer.db.client.milestoneRecord.findUniqueOrThrow({ where: { id: milestoneId } })
      expect(row).toMatchObject({ state: 'offered', credentialJwt: null })
      expect(await t.issuer.db.client.statusEntry.count({ where: { milestoneId } })).toBe(0)
    }
  })
})

describe('accreditation unknown at redemption', () => {
  it('when the ledger cannot be reached and the cached answer is too old, redemption is refused', async () => {
    const t = await startIssuerFor('sqlite', 'unreachable')
    const { holder, milestoneId, body } = await offerFor(t, 'unreachable')
    await network.stop()
    t.clock.advance((CACHE_SECONDS + 1) * 1000)
    const refused = await refusal(wallet.agent.redeemOffer(holder, body.offers.v1.uri, body.txCode))
    expect(refused).toBeInstanceOf(IssuerRefused)
    expect(refused!.status).toBe(503)
    expect(refused!.error).toBe('temporarily_unavailable')
    const row = await t.issuer.db.client.milestoneRecord.findUniqueOrThrow({ where: { id: milestoneId } })
    expect(row.state).toBe('offered')
  })
})
