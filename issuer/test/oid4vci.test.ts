import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  addAuthority,
  api,
  bootIssuer,
  decodeJwt,
  newHolder,
  type TestAuthority,
  type TestHolder,
  type TestIssuer,
} from './helpers/harness.ts'
import { redeemWithIndependentClient } from './helpers/wallet-client.ts'

let t: TestIssuer
let dublin: TestAuthority

const request = (date: string) => ({
  type: 'DublinRequestMilestone',
  claims: {
    milestoneDate: date,
    requestType: 'TBR',
    requestingState: 'DE',
    requestedState: 'FR',
    requestReceived: date,
    requestBasis: 'Art. 18(1)(b)',
  },
  eurodacReference: 'DE1200000123456',
})

async function offerFor(holder: TestHolder, date = '2026-02-03') {
  const opened = await api(t, dublin.staffToken, 'POST', '/cases', { holderDid: holder.did })
  const caseId = opened.status === 201 ? opened.body.id : undefined
  const offer = await api(t, dublin.staffToken, 'POST', `/cases/${caseId}/milestones`, request(date))
  expect(offer.status).toBe(201)
  return offer.body as {
    milestoneId: string
    txCode: string
    offers: Record<'ebsi-v3' | 'v1', { uri: string }>
  }
}

beforeAll(async () => {
  t = await bootIssuer()
  dublin = await addAuthority(t, {
    id: 'bamf-dublin',
    name: 'BAMF Dublin-Referat',
    role: 'BAMF_DUBLIN_UNIT',
    accreditedTypes: ['DublinRequestMilestone'],
  })
})
afterAll(async () => {
  await t?.close()
})

describe.each([
  ['ebsi-v3', 'Draft11'],
  ['v1', 'V1'],
] as const)(
  'OpenID4VCI profile %s with an independent client (@openid4vc/openid4vci)',
  (profile, version) => {
    it('redeems an offer and receives a credential bound to its did:key', async () => {
      const holder = newHolder()
      const offer = await offerFor(holder)
      const { response, version: detected } = await redeemWithIndependentClient(
        offer.offers[profile].uri,
        offer.txCode,
        holder,
      )
      expect(detected).toBe(version)
      const body = response.credentialResponse as Record<string, any>
      const jwt: string = profile === 'v1' ? body.credentials[0].credential : body.credential
      const payload = decodeJwt(jwt)
      expect(payload.sub).toBe(holder.did)
      expect(payload.vc.credentialSubject.id).toBe(holder.did)
      expect(payload.vc.type).toEqual([
        'VerifiableCredential',
        'VerifiableAttestation',
        'DublinRequestMilestone',
      ])
      expect(payload.iss).toBe(dublin.did)
      expect(payload.vc.termsOfUse).toEqual({ id: dublin.attributeUrl, type: 'IssuanceCertificate' })
      expect(payload.vc.credentialSchema).toHaveLength(2)
      expect(payload.vc.credentialStatus.map((s: { statusPurpose: string }) => s.statusPurpose)).toEqual([
        'revocation',
        'suspension',
      ])
      expect(payload.vc.credentialSubject.previousMilestoneHash).toBeNull()
      expect(payload.vc.credentialSubject.eurodacCommitment.alg).toBe('sha-256')
      expect(JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString())).toMatchObject({
        alg: 'ES256',
        typ: 'JWT',
        kid: expect.stringMatching(/^did:ebsi:z.+#.+/),
      })
      expect(body.anchoring_uri).toContain('/anchoring/proofs/')
    })

    it('refuses a wrong transaction code', async () => {
      const holder = newHolder()
      const offer = await offerFor(holder)
      const wrong = offer.txCode === '000000' ? '111111' : '000000'
      await expect(redeemWithIndependentClient(offer.offers[profile].uri, wrong, holder)).rejects.toThrow(
        /invalid_grant|tx_code is wrong|user_pin is wrong/,
      )
    })

    it('refuses a proof signed by a key other than the case holder’s', async () => {
      const holder = newHolder()
      const offer = await offerFor(holder)
      const other = newHolder()
      await expect(
        redeemWithIndependentClient(offer.offers[profile].uri, offer.txCode, holder, { signWith: other }),
      ).rejects.toThrow(/invalid_proof|signature/)
      // and a proof that names another DID is refused too
      const otherOffer = await offerFor(newHolder())
      await expect(
        redeemWithIndependentClient(otherOffer.offers[profile].uri, otherOffer.txCode, other),
      ).rejects.toThrow(/holder DID of the case/)
    })

    it('refuses a replayed nonce', async () => {
      const holder = newHolder()
      const first = await offerFor(holder)
      const { nonce } = await redeemWithIndependentClient(first.offers[profile].uri, first.txCode, holder)
      const second = await api(
        t,
        dublin.staffToken,
        'POST',
        `/cases/${(await api(t, dublin.staffToken, 'GET', `/milestones/${first.milestoneId}`)).body.caseId}/milestones`,
        request('2026-02-04'),
      )
      await expect(
        redeemWithIndependentClient(second.body.offers[profile].uri, second.body.txCode, holder, { nonce }),
      ).rejects.toThrow(/invalid_nonce|already used/)
    })
  },
)

describe('the previous-milestone chain and the OpenID4VCI metadata', () => {
  it('links each credential of a case to the previous one', async () => {
    const holder = newHolder()
    const first = await offerFor(holder)
    const a = await redeemWithIndependentClient(first.offers.v1.uri, first.txCode, holder)
    const caseId = (await api(t, dublin.staffToken, 'GET', `/milestones/${first.milestoneId}`)).body.caseId
    const second = (
      await api(t, dublin.staffToken, 'POST', `/cases/${caseId}/milestones`, request('2026-02-05'))
    ).body
    const b = await redeemWithIndependentClient(second.offers['ebsi-v3'].uri, second.txCode, holder)
    const jwtA = (a.response.credentialResponse as any).credentials[0].credential as string
    const jwtB = (b.response.credentialResponse as any).credential as string
    const { computeCredentialHash } = await import('@flora/credentials')
    expect(decodeJwt(jwtB).vc.credentialSubject.previousMilestoneHash).toBe(await computeCredentialHash(jwtA))
  })

  it('publishes draft-11 and 1.0 metadata per authority', async () => {
    const ebsi = await api(
      t,
      undefined,
      'GET',
      '/authorities/bamf-dublin/.well-known/openid-credential-issuer',
    )
    expect(
      ebsi.body.credentials_supported.find((c: { format: string }) => c.format === 'jwt_vc'),
    ).toMatchObject({ types: ['VerifiableCredential', 'VerifiableAttestation', expect.any(String)] })
    expect(ebsi.body.deferred_credential_endpoint).toBe(
      `${t.url}/authorities/bamf-dublin/credential_deferred`,
    )
    const v1 = await api(
      t,
      undefined,
      'GET',
      '/.well-known/openid-credential-issuer/authorities/bamf-dublin/v1',
    )
    expect(v1.body.nonce_endpoint).toBe(`${t.url}/authorities/bamf-dublin/v1/nonce`)
    expect(Object.keys(v1.body.credential_configurations_supported)).toContain('DublinRequestMilestone')
    expect(
      (await api(t, undefined, 'GET', '/authorities/nobody/.well-known/openid-credential-issuer')).status,
    ).toBe(404)
  })
})
