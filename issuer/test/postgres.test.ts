import { tempPostgresDatabase } from '@flora/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { anchorPending } from '../src/anchoring/anchoring.ts'
import { createNonce } from '../src/domain/proof.ts'
import { issuanceGroupStats, offerFacts, signRedeemedMilestone } from '../src/services/issuance.ts'
import { recordGroupStats, recordMilestone } from '../src/services/milestones.ts'
import {
  addAuthority,
  api,
  bootIssuer,
  decodeJwt,
  newHolder,
  redeemV1,
  type TestAuthority,
  type TestIssuer,
} from './helpers/harness.ts'

// The same model text on PostgreSQL: the service, the careful paths and the set-wise group SQL.
let t: TestIssuer
let lds: TestAuthority
const arrival = (day: number) => ({
  type: 'ArrivalCertificateMilestone',
  claims: { milestoneDate: `2026-01-${String(day).padStart(2, '0')}`, certificateIssued: true },
})

beforeAll(async () => {
  t = await bootIssuer({}, { database: await tempPostgresDatabase() })
  lds = await addAuthority(t, {
    id: 'lds',
    role: 'RECEPTION_AUTHORITY',
    accreditedTypes: ['ArrivalCertificateMilestone'],
  })
})
afterAll(async () => {
  await t?.close()
})

describe('the issuer on PostgreSQL', () => {
  it('runs on PostgreSQL', () => {
    expect(t.issuer.db.provider).toBe('postgresql')
  })

  it('records idempotently, issues, suspends and revokes, anchors', async () => {
    const holder = newHolder()
    const caseId = (await api(t, lds.staffToken, 'POST', '/cases', { holderDid: holder.did })).body.id
    const first = await api(t, lds.staffToken, 'POST', `/cases/${caseId}/milestones`, arrival(7), {
      'idempotency-key': 'pg-1',
    })
    const again = await api(t, lds.staffToken, 'POST', `/cases/${caseId}/milestones`, arrival(7), {
      'idempotency-key': 'pg-1',
    })
    expect(again.body.milestoneId).toBe(first.body.milestoneId)
    const issued = await redeemV1(t, first.body, holder)
    expect(issued.status).toBe(200)
    expect(decodeJwt(issued.body.credentials[0].credential).sub).toBe(holder.did)
    expect(
      (await api(t, lds.staffToken, 'POST', `/milestones/${first.body.milestoneId}/suspend`)).status,
    ).toBe(200)
    expect(
      (await api(t, lds.staffToken, 'POST', `/milestones/${first.body.milestoneId}/revoke`)).status,
    ).toBe(200)
    expect(
      (await api(t, lds.staffToken, 'POST', `/milestones/${first.body.milestoneId}/unsuspend`)).status,
    ).toBe(409)
    expect((await anchorPending(t.issuer.context)).leaves).toBe(1)
  })

  it('group-commits recordings and issuance with set-wise SQL', async () => {
    const ctx = t.issuer.context
    const holder = newHolder()
    const caseId = (await api(t, lds.staffToken, 'POST', '/cases', { holderDid: holder.did })).body.id
    const principal = { authorityId: 'lds', actorType: 'api' as const, actorId: 'pg', role: 'staff' as const }
    const recorded = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        recordMilestone(ctx, principal, { caseId, ...arrival(i + 1) }, `pg-group-${i}`),
      ),
    )
    expect(recordGroupStats(ctx)!.largest, String(recordGroupStats(ctx)?.lastFailure)).toBeGreaterThanOrEqual(
      9,
    )
    const offers = await Promise.all(recorded.map((r) => offerFacts(ctx, String(r.body.milestoneId))))
    const signed = await Promise.all(
      offers.map((offer) => {
        const { nonce, expiresAt } = createNonce(ctx.secret, 300)
        return signRedeemedMilestone(ctx, { offer: offer!, nonce, nonceExpiresAt: expiresAt })
      }),
    )
    expect(issuanceGroupStats(ctx)!.largest).toBeGreaterThanOrEqual(9)
    for (const [i, s] of signed.entries())
      if (i > 0)
        expect(decodeJwt(s.jwt).vc.credentialSubject.previousMilestoneHash).toBe(
          signed[i - 1]!.credentialHash,
        )
    const rows = await ctx.db.milestoneRecord.findMany({ where: { caseId } })
    expect(
      rows.every(
        (row) => row.state === 'issued' && row.issuedAt instanceof Date && row.suspensionIndex !== null,
      ),
    ).toBe(true)
  })
})
