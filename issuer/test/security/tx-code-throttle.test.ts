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
 * Item 8, transaction codes: the token endpoint counts a client's failed exchanges (wrong code,
 * unknown or spent pre-authorised code) in the database and refuses the client for the rest of the
 * window once it has used up its limit, whatever offer it tries next. (The count per offer is the
 * offer's own, elsewhere.)
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

  it('refuses a client that keeps failing (429, Retry-After), while the holder redeems from elsewhere', async () => {
    const opened = await api(t, lds.staffToken, 'POST', '/cases', { holderDid: newHolder().did })
    const recorded = await api(t, lds.staffToken, 'POST', `/cases/${opened.body.id}/milestones`, arrival)
    expect(recorded.status).toBe(201)
    const offer = recorded.body.offers.v1.credentialOffer
    const guesser = '203.0.113.5'
    const statuses: number[] = []
    // pre-authorised codes the guesser made up, then the real offer with wrong codes
    for (let i = 0; i < 8; i++) {
      const madeUp = structuredClone(offer)
      madeUp.grants['urn:ietf:params:oauth:grant-type:pre-authorized_code']['pre-authorized_code'] =
        randomBytes(32).toString('base64url')
      statuses.push((await exchange(madeUp, '000000', guesser)).status)
    }
    for (let i = 0; i < 2; i++) statuses.push((await exchange(offer, '999999', guesser)).status)
    expect(statuses).toEqual(Array(10).fill(400))
    const refused = await exchange(offer, recorded.body.txCode, guesser)
    expect(refused.status).toBe(429)
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    // the holder's wallet, at another address, is not affected
    expect((await exchange(offer, recorded.body.txCode, '203.0.113.6')).status).toBe(200)
  })
})
