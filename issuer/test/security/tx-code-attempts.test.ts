import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, newHolder } from '../helpers/harness.ts'
import {
  type LedgerIssuer,
  type LedgerNetwork,
  providers,
  spawnIssuerInstance,
  startLedgerIssuer,
  startLedgerNetwork,
} from '../helpers/ledger-issuer.ts'

// The transaction code is six digits: its only protection is the limit of five wrong guesses per
// offer. A burst of parallel guesses, spread over two instances of the issuer (separate processes on
// one database), must get no more guesses evaluated than that.

const TYPES = ['DublinRequestMilestone']
const GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code'
const BURST = 50
const MAX_ATTEMPTS = 5

let network: LedgerNetwork
beforeAll(async () => {
  network = await startLedgerNetwork(TYPES)
}, 120_000)
afterAll(async () => {
  await network?.stop()
})

describe.each(providers)('transaction-code attempts (%s)', (provider) => {
  let t: LedgerIssuer
  let second: Awaited<ReturnType<typeof spawnIssuerInstance>>

  beforeAll(async () => {
    t = await startLedgerIssuer(network, {
      provider,
      authorityId: `bamf-dublin-txcode-${provider}`,
      role: 'BAMF_DUBLIN_UNIT',
      types: TYPES,
    })
    second = await spawnIssuerInstance(t.env)
  }, 120_000)
  afterAll(async () => {
    await second?.stop()
    await t?.close()
  })

  async function offer() {
    const holder = newHolder()
    const caseId = (await api(t, t.token, 'POST', '/cases', { holderDid: holder.did })).body.id
    const recorded = await api(t, t.token, 'POST', `/cases/${caseId}/milestones`, {
      type: 'DublinRequestMilestone',
      claims: {
        milestoneDate: '2026-02-03',
        requestType: 'TBR',
        requestingState: 'DE',
        requestedState: 'FR',
      },
    })
    expect(recorded.status).toBe(201)
    return {
      milestoneId: recorded.body.milestoneId as string,
      txCode: recorded.body.txCode as string,
      code: recorded.body.offers.v1.credentialOffer.grants[GRANT]['pre-authorized_code'] as string,
    }
  }
  const exchange = async (base: string, code: string, txCode: string) => {
    const response = await fetch(`${base}/authorities/${t.authorityId}/v1/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: GRANT, 'pre-authorized_code': code, tx_code: txCode }),
    })
    return { status: response.status, body: (await response.json()) as Record<string, string> }
  }
  const wrongCodes = (right: string, n: number) =>
    Array.from({ length: n }, (_, i) => {
      const guess = String((Number(right) + 1 + i * 7919) % 1_000_000).padStart(6, '0')
      return guess === right ? String((Number(right) + 500_000) % 1_000_000).padStart(6, '0') : guess
    })

  it(`a burst of ${BURST} parallel wrong codes over two instances gets at most ${MAX_ATTEMPTS} guesses evaluated`, async () => {
    const { milestoneId, txCode, code } = await offer()
    const answers = await Promise.all(
      wrongCodes(txCode, BURST).map((guess, i) => exchange(i % 2 ? second.url : t.url, code, guess)),
    )
    const wrong = answers.filter((a) => /tx_code is wrong/.test(a.body.error_description ?? ''))
    const tooMany = answers.filter((a) =>
      /too many wrong transaction codes/.test(a.body.error_description ?? ''),
    )
    expect(answers.every((a) => a.status === 400 && a.body.error === 'invalid_grant')).toBe(true)
    expect(wrong).toHaveLength(MAX_ATTEMPTS)
    expect(tooMany).toHaveLength(BURST - MAX_ATTEMPTS)
    const row = await t.issuer.db.client.milestoneRecord.findUniqueOrThrow({ where: { id: milestoneId } })
    expect(row.txCodeAttempts).toBe(MAX_ATTEMPTS)
    // the offer is spent for guessing: the right code is refused too, on either instance
    for (const base of [t.url, second.url]) {
      const right = await exchange(base, code, txCode)
      expect(right.status).toBe(400)
      expect(right.body.error_description).toMatch(/too many wrong transaction codes/)
    }
  })

  it('a right code after a few wrong ones is accepted, and wrong codes count on every instance', async () => {
    const { txCode, code, milestoneId } = await offer()
    const [a, b] = wrongCodes(txCode, 2)
    expect((await exchange(t.url, code, a!)).body.error_description).toMatch(/tx_code is wrong/)
    expect((await exchange(second.url, code, b!)).body.error_description).toMatch(/tx_code is wrong/)
    const right = await exchange(second.url, code, txCode)
    expect(right.status).toBe(200)
    expect(right.body.access_token).toEqual(expect.any(String))
    const row = await t.issuer.db.client.milestoneRecord.findUniqueOrThrow({ where: { id: milestoneId } })
    expect(row.txCodeAttempts).toBe(2)
  })
})
