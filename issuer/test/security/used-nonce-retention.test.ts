import { createHolderIdentity } from '@flora/ebsi-connector/holder'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pruneUsedNonces } from '../../src/services/used-nonces.ts'
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

// Every accepted proof leaves its c_nonce in UsedNonce, so that it cannot be used twice. A c_nonce
// carries its own expiry (MAC'd) and is refused once expired, so the row is needed only until then;
// kept forever the table would only grow. The issuer's retention job prunes the rows of expired
// nonces (with a margin) — and never a nonce that could still be presented (that an expired c_nonce
// is refused by itself is test/domain.test.ts's).

const TYPES = ['DublinRequestMilestone']
const NONCE_TTL_SECONDS = 60
const dublinRequest = (day: number) => ({
  type: 'DublinRequestMilestone',
  claims: {
    milestoneDate: `2026-03-${String(day).padStart(2, '0')}`,
    requestType: 'TBR',
    requestingState: 'DE',
    requestedState: 'FR',
  },
})

let network: LedgerNetwork
beforeAll(async () => {
  network = await startLedgerNetwork(TYPES)
}, 120_000)
afterAll(async () => {
  await network?.stop()
})

describe.each(providers)('used c_nonces are pruned once expired (%s)', (provider) => {
  let t: LedgerIssuer
  let wallet: TestWallet

  beforeAll(async () => {
    t = await startLedgerIssuer(network, {
      provider,
      authorityId: `bamf-dublin-nonces-${provider}`,
      role: 'BAMF_DUBLIN_UNIT',
      types: TYPES,
      env: { FLORA_ISSUER_NONCE_TTL_SECONDS: String(NONCE_TTL_SECONDS) },
    })
    wallet = await startWallet()
  }, 120_000)
  afterAll(async () => {
    await wallet?.close()
    await t?.close()
  })

  async function redeemOne(day: number) {
    const holder = await createHolderIdentity(wallet.agent.options.keys, `${provider}-${day}`)
    const opened = await api(t, t.token, 'POST', '/cases', { holderDid: holder.did })
    expect(opened.status).toBe(201)
    const offer = await api(t, t.token, 'POST', `/cases/${opened.body.id}/milestones`, dublinRequest(day))
    expect(offer.status).toBe(201)
    const body = offer.body as { offers: { v1: { uri: string } }; txCode: string }
    await wallet.agent.redeemOffer(holder, body.offers.v1.uri, body.txCode)
  }

  it('keeps a used nonce while it could still be presented, and prunes it after its expiry', async () => {
    const usedNonces = async () => (await t.issuer.db.client.usedNonce.findMany({ select: { nonce: true } })).map((row) => row.nonce)
    await redeemOne(2)
    const used = await usedNonces()
    expect(used).toHaveLength(1)

    // still fresh: the retention job keeps it (a replay must still meet the row)
    await t.issuer.retention.runNow()
    expect(await usedNonces()).toEqual(used)

    // just past its expiry the row stays a little longer (a proof checked just in time may still be
    // on its way to the signing transaction)
    t.clock.advance((NONCE_TTL_SECONDS + 1) * 1000)
    await t.issuer.retention.runNow()
    expect(await usedNonces()).toEqual(used)

    // an hour later: pruned. A nonce used at that moment (its row as the signing transaction writes
    // it; the wallet's proof cannot be made on the issuer's moved clock) is kept.
    t.clock.advance(60 * 60 * 1000)
    await t.issuer.db.client.usedNonce.create({
      data: { nonce: 'used-just-now', expiresAt: new Date(t.clock.now().getTime() + NONCE_TTL_SECONDS * 1000) },
    })
    await t.issuer.retention.runNow()
    expect(await usedNonces()).toEqual(['used-just-now'])
  })

  it('is idempotent and safe when several instances prune at once: each row goes exactly once', async () => {
    const db = t.issuer.db.client
    await db.usedNonce.deleteMany({})
    const longAgo = new Date(t.clock.now().getTime() - 24 * 60 * 60 * 1000)
    await db.usedNonce.createMany({
      data: Array.from({ length: 200 }, (_, i) => ({ nonce: `expired-${i}`, expiresAt: longAgo })),
    })
    // every instance on the database runs the same job; here four at once, on separate connections
    const counts = await Promise.all([1, 2, 3, 4].map(() => pruneUsedNonces(t.issuer.context)))
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(200)
    expect(await db.usedNonce.count()).toBe(0)
    expect(await pruneUsedNonces(t.issuer.context)).toBe(0)
  })
})
