import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  addAuthority,
  api,
  bootIssuer,
  newHolder,
  type TestAuthority,
  type TestIssuer,
} from '../helpers/harness.ts'
import { providers } from './support.ts'

/**
 * Item 8, transaction codes: the token endpoint counts a client's probing in the database and
 * answers 429 once the client has used up its limit.
 *
 * Review of the staff sign-in, item 3: every failure counted (wrong transaction codes and unknown
 * codes alike) and a client over its limit was refused before any code was looked at. A case wallet
 * redeems through the shared wallet server, one client for the issuer, so one signed-in clerk who
 * pasted 30 offers with made-up codes stopped every redemption through that wallet for 15 minutes.
 * Now only unknown pre-authorised codes count per client (a wrong transaction code of a real offer
 * is bounded by the offer's own count of five), and a real offer is always looked at: a client over
 * its limit is refused only its next unknown codes.
 */
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
  eurodacReference: 'DE1200000123456',
}

describe.each(providers)('transaction-code guessing at the token endpoint ($name)', ({ database }) => {
  let t: TestIssuer
  let lds: TestAuthority

  beforeAll(async () => {
    t = await bootIssuer(
      { FLORA_ISSUER_TRUSTED_PROXIES: '127.0.0.1', FLORA_ISSUER_TX_CODE_THROTTLE: 'client=10' },
      { database: await database() },
    )
    lds = await addAuthority(t, {
      id: 'lds',
      role: 'RECEPTION_AUTHORITY',
      accreditedTypes: ['ArrivalCertificateMilestone'],
    })
  })
  afterAll(async () => {
    await t?.close()
  })

  const exchange = (offer: any, txCode: string, client: string) =>
    fetch(`${offer.credential_issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': client },
      body: new URLSearchParams({
        grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code',
        'pre-authorized_code':
          offer.grants['urn:ietf:params:oauth:grant-type:pre-authorized_code']['pre-authorized_code'],
        tx_code: txCode,
      }),
    })

  const recordOffer = async () => {
    const opened = await api(t, lds.staffToken, 'POST', '/cases', { holderDid: newHolder().did })
    const recorded = await api(t, lds.staffToken, 'POST', `/cases/${opened.body.id}/milestones`, arrival)
    expect(recorded.status).toBe(201)
    return { offer: recorded.body.offers.v1.credentialOffer, txCode: recorded.body.txCode as string }
  }
  const madeUp = (offer: any) => {
    const copy = structuredClone(offer)
    copy.grants['urn:ietf:params:oauth:grant-type:pre-authorized_code']['pre-authorized_code'] =
      randomBytes(32).toString('base64url')
    return copy
  }

  it('refuses a client that keeps presenting unknown codes (429, Retry-After), but never a real offer', async () => {
    const { offer, txCode } = await recordOffer()
    const prober = '203.0.113.5'
    const statuses: number[] = []
    for (let i = 0; i < 12; i++) statuses.push((await exchange(madeUp(offer), '000000', prober)).status)
    expect(statuses).toEqual([...Array(10).fill(400), 429, 429])
    const refused = await exchange(madeUp(offer), '000000', prober)
    expect(refused.status).toBe(429)
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    // the same client (a wallet server every case wallet shares) still redeems a real offer
    expect((await exchange(offer, txCode, prober)).status).toBe(200)
  })

  it('counts wrong transaction codes per offer only, so a client that mistypes some still redeems', async () => {
    const wallet = '203.0.113.6'
    const offers = [await recordOffer(), await recordOffer(), await recordOffer()]
    // 4 mistyped codes on each of three offers: 12 failures from one client, none unknown
    for (const { offer } of offers)
      for (let i = 0; i < 4; i++) expect((await exchange(offer, '999999', wallet)).status).toBe(400)
    for (const { offer, txCode } of offers) expect((await exchange(offer, txCode, wallet)).status).toBe(200)
    // the offer's own bound stays: the sixth try of a fresh offer is refused whatever the code
    const { offer, txCode } = await recordOffer()
    for (let i = 0; i < 5; i++) expect((await exchange(offer, '999999', wallet)).status).toBe(400)
    const sixth = await exchange(offer, txCode, wallet)
    expect(sixth.status).toBe(400)
    expect(((await sixth.json()) as { error_description: string }).error_description).toMatch(/too many/)
  })
})
