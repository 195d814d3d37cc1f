import { computeCredentialHash } from '@flora/credentials'
import { createHolderIdentity, type HolderIdentity, IssuerRefused } from '@flora/ebsi-connector/holder'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, decodeJwt } from '../helpers/harness.ts'
import {
  type LedgerIssuer,
  type LedgerNetwork,
  providers,
  startLedgerIssuer,
  startLedgerNetwork,
  startWallet,
  type TestWallet,
} from '../helpers/ledger-issuer.ts'

// A credential response lost on its way to the wallet (a dropped connection, a crashed app) must not
// break the case: the wallet redeems the same offer again with the same holder key and receives the
// very credential that was signed — so the next milestone's previous-hash points at a credential the
// wallet holds. Another key gets nothing.

const TYPES = ['DublinRequestMilestone']
const REDELIVERY_SECONDS = 86_400
const dublinRequest = (day: number) => ({
  type: 'DublinRequestMilestone',
  claims: {
    milestoneDate: `2026-02-${String(day).padStart(2, '0')}`,
    requestType: 'TBR',
    requestingState: 'DE',
    requestedState: 'FR',
  },
})

/**
 * fetch as the wallet sees it: once armed, the next credential request reaches the issuer and is
 * answered, but the answer never arrives (what the issuer sent is kept for the test to compare).
 */
function lossyNetwork() {
  const state = { armed: false, lost: [] as string[] }
  const lossyFetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init)
    const url = String(input instanceof Request ? input.url : input)
    if (state.armed && init?.method === 'POST' && /\/credential$/.test(new URL(url).pathname)) {
      state.armed = false
      state.lost.push(await response.text())
      throw new TypeError('fetch failed: the connection was reset')
    }
    return response
  }
  return { state, fetch: lossyFetch }
}

let network: LedgerNetwork
beforeAll(async () => {
  network = await startLedgerNetwork(TYPES)
}, 120_000)
afterAll(async () => {
  await network?.stop()
})

describe.each(providers)('re-delivery of a lost credential response (%s)', (provider) => {
  let t: LedgerIssuer
  let wallet: TestWallet
  const net = lossyNetwork()

  beforeAll(async () => {
    t = await startLedgerIssuer(network, {
      provider,
      authorityId: `bamf-dublin-redelivery-${provider}`,
      role: 'BAMF_DUBLIN_UNIT',
      types: TYPES,
      env: { FLORA_ISSUER_REDELIVERY_SECONDS: String(REDELIVERY_SECONDS) },
    })
    wallet = await startWallet(net.fetch)
  }, 120_000)
  afterAll(async () => {
    await wallet?.close()
    await t?.close()
  })

  async function openCase(holder: HolderIdentity) {
    const opened = await api(t, t.token, 'POST', '/cases', { holderDid: holder.did })
    expect(opened.status).toBe(201)
    return opened.body.id as string
  }
  async function record(caseId: string, day: number) {
    const offer = await api(t, t.token, 'POST', `/cases/${caseId}/milestones`, dublinRequest(day))
    expect(offer.status).toBe(201)
    return offer.body as {
      milestoneId: string
      txCode: string
      offers: Record<'ebsi-v3' | 'v1', { uri: string }>
    }
  }
  const rowsOf = async (milestoneId: string) => {
    const db = t.issuer.db.client
    return {
      statusEntries: await db.statusEntry.count({ where: { milestoneId } }),
      anchorLeaves: await db.anchorLeaf.count({ where: { milestoneId } }),
      issueEvents: await db.auditEvent.count({
        where: { subjectId: milestoneId, action: 'credential.issue' },
      }),
    }
  }

  it.each(['v1', 'ebsi-v3'] as const)(
    'profile %s: a retry with the same key returns the identical credential, signed once, and the next milestone chains to it',
    async (profile) => {
      const holder = await createHolderIdentity(wallet.agent.options.keys, `${provider}-${profile}`)
      const caseId = await openCase(holder)
      const first = await record(caseId, 3)

      net.state.armed = true
      await expect(wallet.agent.redeemOffer(holder, first.offers[profile].uri, first.txCode)).rejects.toThrow(
        /connection was reset/,
      )
      expect(await wallet.repository.list(holder.did)).toHaveLength(0)
      const lost = JSON.parse(net.state.lost.at(-1)!) as {
        credential?: string
        credentials?: { credential: string }[]
      }
      const lostJwt = lost.credential ?? lost.credentials![0]!.credential
      expect(decodeJwt(lostJwt).sub).toBe(holder.did)

      // the wallet simply redeems the same offer again: token, fresh c_nonce, proof with the same key
      const [again] = await wallet.agent.redeemOffer(holder, first.offers[profile].uri, first.txCode)
      expect(again!.jwt).toBe(lostJwt)
      expect(await rowsOf(first.milestoneId)).toEqual({ statusEntries: 2, anchorLeaves: 1, issueEvents: 1 })

      const second = await record(caseId, 9)
      await wallet.agent.redeemOffer(holder, second.offers[profile].uri, second.txCode)
      const held = await wallet.repository.list(holder.did)
      expect(held).toHaveLength(2)
      // no chain gap: every previous-milestone hash names a credential the wallet holds
      const hashes = new Set(await Promise.all(held.map((c) => computeCredentialHash(c.jwt))))
      const previous = held.map((c) => decodeJwt(c.jwt).vc.credentialSubject.previousMilestoneHash)
      expect(previous.filter((hash) => hash !== null && !hashes.has(hash))).toEqual([])
      expect(previous).toContain(await computeCredentialHash(lostJwt))
    },
  )

  it('a retry with another key is refused at the proof, and the holder still gets the credential', async () => {
    const holder = await createHolderIdentity(wallet.agent.options.keys, `${provider}-owner`)
    const thief = await createHolderIdentity(wallet.agent.options.keys, `${provider}-other`)
    const caseId = await openCase(holder)
    const offer = await record(caseId, 4)
    net.state.armed = true
    await expect(wallet.agent.redeemOffer(holder, offer.offers.v1.uri, offer.txCode)).rejects.toThrow()

    const refused = await wallet.agent.redeemOffer(thief, offer.offers.v1.uri, offer.txCode).then(
      () => undefined,
      (error: unknown) => error,
    )
    expect(refused).toBeInstanceOf(IssuerRefused)
    expect((refused as IssuerRefused).error).toBe('invalid_proof')
    expect(await wallet.repository.list(thief.did)).toHaveLength(0)
    expect(await rowsOf(offer.milestoneId)).toEqual({ statusEntries: 2, anchorLeaves: 1, issueEvents: 1 })

    const [mine] = await wallet.agent.redeemOffer(holder, offer.offers.v1.uri, offer.txCode)
    expect(mine!.jwt).toBe(
      (JSON.parse(net.state.lost.at(-1)!) as { credentials: { credential: string }[] }).credentials[0]!
        .credential,
    )
  })

  it('after the re-delivery window the copy is erased and a retry is refused', async () => {
    const holder = await createHolderIdentity(wallet.agent.options.keys, `${provider}-late`)
    const caseId = await openCase(holder)
    const offer = await record(caseId, 5)
    net.state.armed = true
    await expect(wallet.agent.redeemOffer(holder, offer.offers.v1.uri, offer.txCode)).rejects.toThrow()
    const db = t.issuer.db.client
    expect(
      (await db.milestoneRecord.findUniqueOrThrow({ where: { id: offer.milestoneId } })).credentialJwt,
    ).toMatch(/^ey/)

    t.clock.advance((REDELIVERY_SECONDS + 1) * 1000)
    // refused at once, before any erasure ran: the window holds by itself
    const late = await wallet.agent.redeemOffer(holder, offer.offers.v1.uri, offer.txCode).then(
      () => undefined,
      (error: unknown) => error,
    )
    expect(late).toBeInstanceOf(IssuerRefused)
    expect((late as IssuerRefused).error).toBe('invalid_grant')

    await t.issuer.retention.runNow()
    const row = await db.milestoneRecord.findUniqueOrThrow({ where: { id: offer.milestoneId } })
    expect(row.credentialJwt).toBeNull()
    expect(row).toMatchObject({ state: 'issued', credentialHash: expect.stringMatching(/^sha-256:/) })
  })
})
