import { describe, expect, it } from 'vitest'
import { caseDublin, foreignIssuedAt, type TimelineEntry, utcDayOf } from '../../src/lib/timeline.ts'

// A credential from an issuer this deployment does not host is held in the case wallet as it came:
// its dates are whatever its issuer wrote. The case page must report such a credential, never fail
// on it (attacker review L1), and must not let it claim an issuance later than it can have had.
//
// The case: Germany's take back request to France, received 2026-02-03; one month for a reply
// (Art. 25(1) Reg. 604/2013), last day 2026-03-03.

const foreign = (key: string, type: string, claims: Record<string, unknown>, issuedAt: string): TimelineEntry => ({
  key,
  milestoneId: null,
  credentialId: key,
  type,
  stage: 'RESPONSIBILITY_DETERMINATION',
  milestoneDate: typeof claims.milestoneDate === 'string' ? claims.milestoneDate : null,
  issuerName: 'did:ebsi:foreign',
  authorityId: null,
  issuedAt,
  state: 'unknown',
  inWallet: true,
  anchor: { state: 'none', blockNumber: null, anchoredAt: null },
  claims,
  absence: null,
})
const states = { requestType: 'TBR', requestingState: 'DE', requestedState: 'FR', requestReceived: '2026-02-03' }
const request = () => foreign('request', 'DublinRequestMilestone', { milestoneDate: '2026-02-03', ...states }, '2026-02-03T10:00:00.000Z')
const noReply = (milestoneDate: string, issuedAt: string) => foreign('no-reply', 'DublinReplyAbsenceMilestone', { milestoneDate, ...states }, issuedAt)

describe('a hostile foreign credential on the case page', () => {
  it('an issuance beyond year 9999 is reported on the page, not thrown', () => {
    for (const issuedAt of ['+010000-01-01T00:00:00.000Z', '-000001-01-01T00:00:00.000Z', 'yesterday', '']) {
      const dublin = caseDublin([request(), noReply('2026-03-03', issuedAt)], '2026-03-04')
      expect(dublin.assessment, issuedAt).toBeNull()
      expect(dublin.error, issuedAt).toContain('no-reply')
    }
  })

  it('an assembly that refuses its input is reported, not thrown', () => {
    const dublin = caseDublin([request(), noReply('2026-02-20', '2026-02-21T09:00:00.000Z')], '2026-3-4')
    expect(dublin.assessment).toBeNull()
    expect(dublin.error).toContain('2026-3-4')
  })

  it('reads issuance days as UTC days, guarded', () => {
    expect(utcDayOf('2026-03-03T23:30:00-02:00')).toBe('2026-03-04')
    expect(utcDayOf('+010000-01-01T00:00:00.000Z')).toBeUndefined()
    expect(utcDayOf(12)).toBeUndefined()
    expect(utcDayOf(null)).toBeUndefined()
  })
})

describe('when a foreign credential counts as issued', () => {
  const receivedAt = new Date('2026-03-04T08:00:00.000Z')

  it('is the earliest of iat, nbf, issuanceDate and receipt', () => {
    expect(foreignIssuedAt({ iat: Date.parse('2026-03-02T10:00:00Z') / 1000, nbf: Date.parse('2026-03-03T10:00:00Z') / 1000, issuanceDate: '2026-03-03T11:00:00Z' }, receivedAt)).toBe('2026-03-02T10:00:00.000Z')
    expect(foreignIssuedAt({ iat: Date.parse('2026-03-03T10:00:00Z') / 1000, nbf: Date.parse('2026-03-01T10:00:00Z') / 1000 }, receivedAt)).toBe('2026-03-01T10:00:00.000Z')
    expect(foreignIssuedAt({ iat: Date.parse('2026-03-03T10:00:00Z') / 1000, issuanceDate: '2026-02-28T00:00:00Z' }, receivedAt)).toBe('2026-02-28T00:00:00.000Z')
    // a credential claiming an issuance after it reached the wallet counts from its receipt
    expect(foreignIssuedAt({ issuanceDate: '2026-12-31T00:00:00Z' }, receivedAt)).toBe(receivedAt.toISOString())
    expect(foreignIssuedAt({ iat: Date.parse('2026-12-31T00:00:00Z') / 1000 }, receivedAt)).toBe(receivedAt.toISOString())
  })

  it('ignores dates that are no numbers, no dates, or beyond what a day can be written with', () => {
    for (const claims of [
      { nbf: -1e20 },
      { nbf: 1e20 },
      { iat: 1e15 },
      { iat: Number.NaN, nbf: Number.POSITIVE_INFINITY },
      { iat: '1700000000', nbf: { at: 1 } },
      { issuanceDate: '+010000-01-01T00:00:00Z' },
      { issuanceDate: '-271821-04-20T00:00:00Z' },
      { issuanceDate: 'not a date' },
      { issuanceDate: 1_700_000_000 },
    ])
      expect(foreignIssuedAt(claims, receivedAt), JSON.stringify(claims)).toBe(receivedAt.toISOString())
  })

  it('an attestation claiming issuance after receipt cannot attest silence past its receipt', () => {
    // attested "no reply up to 2026-12-31", received 2026-03-04, claims issued 2026-12-31: taken at
    // its word it would be a deemed acceptance; from its receipt it is an absence after issuance
    const issuedAt = foreignIssuedAt({ issuanceDate: '2026-12-31T00:00:00Z' }, receivedAt)
    const dublin = caseDublin([request(), noReply('2026-12-31', issuedAt)], '2027-01-05')
    expect(dublin.error).toBeNull()
    expect(dublin.assessment?.acceptanceType ?? null).toBeNull()
    expect(dublin.assessment?.deemedAcceptedFrom ?? null).toBeNull()
    expect(dublin.absences).toEqual([])
    expect(dublin.conflicts).toEqual([{ fact: '/reply', reason: 'absence-after-issuance', keys: ['no-reply'] }])
  })
})
