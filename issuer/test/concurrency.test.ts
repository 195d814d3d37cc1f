import { computeCredentialHash } from '@flora/credentials'
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

let t: TestIssuer
let lds: TestAuthority
const arrival = (day: number) => ({
  type: 'ArrivalCertificateMilestone',
  claims: { milestoneDate: `2026-01-${String(day).padStart(2, '0')}`, certificateIssued: true },
})

beforeAll(async () => {
  t = await bootIssuer({ FLORA_ISSUER_GROUP_COMMIT_LINGER_MS: '5' })
  lds = await addAuthority(t, {
    id: 'lds',
    role: 'RECEPTION_AUTHORITY',
    accreditedTypes: ['ArrivalCertificateMilestone'],
  })
})
afterAll(async () => {
  await t?.close()
})

describe('group commit under concurrency', () => {
  it('records concurrently with distinct idempotency keys, each exactly once', async () => {
    const caseId = (await api(t, lds.staffToken, 'POST', '/cases', { holderDid: newHolder().did })).body.id
    await api(t, lds.staffToken, 'GET', `/cases/${caseId}/milestones`) // warm the grant cache
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        api(t, lds.staffToken, 'POST', `/cases/${caseId}/milestones`, arrival((i % 28) + 1), {
          'idempotency-key': `c-${i}`,
        }),
      ),
    )
    expect(results.every((r) => r.status === 201)).toBe(true)
    const again = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        api(t, lds.staffToken, 'POST', `/cases/${caseId}/milestones`, arrival((i % 28) + 1), {
          'idempotency-key': `c-${i}`,
        }),
      ),
    )
    expect(again.map((r) => r.body.milestoneId)).toEqual(results.map((r) => r.body.milestoneId))
    expect((await api(t, lds.staffToken, 'GET', `/cases/${caseId}/milestones`)).body.items).toHaveLength(30)
    expect(recordGroupStats(t.issuer.context)!.groups).toBeGreaterThan(0) // set-wise inserts really ran
    // (the replays above each fell back to the careful path, which answered from the stored response)
  })

  it('issues concurrently on one case as one unforked chain, and on many cases at once', async () => {
    const holder = newHolder()
    const caseId = (await api(t, lds.staffToken, 'POST', '/cases', { holderDid: holder.did })).body.id
    const offers = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        api(t, lds.staffToken, 'POST', `/cases/${caseId}/milestones`, arrival(i + 1)),
      ),
    )
    const others = await Promise.all(
      Array.from({ length: 16 }, async (_, i) => {
        const h = newHolder()
        const id = (await api(t, lds.staffToken, 'POST', '/cases', { holderDid: h.did })).body.id
        return {
          holder: h,
          offer: (await api(t, lds.staffToken, 'POST', `/cases/${id}/milestones`, arrival(i + 1))).body,
        }
      }),
    )
    const issued = await Promise.all([
      ...offers.map((offer) => redeemV1(t, offer.body, holder)),
      ...others.map(({ holder: h, offer }) => redeemV1(t, offer, h)),
    ])
    expect(issued.map((r) => r.status)).toEqual(issued.map(() => 200))
    const chain = issued.slice(0, 16).map((r) => r.body.credentials[0].credential as string)
    const hashes = await Promise.all(chain.map(computeCredentialHash))
    const previous = chain.map(
      (jwt) => decodeJwt(jwt).vc.credentialSubject.previousMilestoneHash as string | null,
    )
    // exactly one first credential, every other one points at a distinct member of the chain
    expect(previous.filter((p) => p === null)).toHaveLength(1)
    expect(new Set(previous.filter(Boolean)).size).toBe(15)
    for (const p of previous.filter(Boolean)) expect(hashes).toContain(p)
    // distinct status indexes across all credentials
    const indexes = issued.flatMap((r) =>
      decodeJwt(r.body.credentials[0].credential).vc.credentialStatus.map(
        (s: { statusListCredential: string; statusListIndex: string }) =>
          `${s.statusListCredential}#${s.statusListIndex}`,
      ),
    )
    expect(new Set(indexes).size).toBe(indexes.length)
    expect(issuanceGroupStats(t.issuer.context)!.groups).toBeGreaterThan(0)
    const anchored = await anchorPending(t.issuer.context)
    expect(anchored.leaves).toBe(32)
  })
})

describe('set-wise group writes', () => {
  it('records and signs many jobs in one group (multi-row SQL), chained per case', async () => {
    const ctx = t.issuer.context
    const holder = newHolder()
    const caseId = (await api(t, lds.staffToken, 'POST', '/cases', { holderDid: holder.did })).body.id
    const principal = {
      authorityId: 'lds',
      actorType: 'api' as const,
      actorId: 'test',
      role: 'staff' as const,
    }
    await recordMilestone(ctx, principal, { caseId, ...arrival(1) }) // warm caches
    const before = { ...recordGroupStats(ctx)! }
    // submitted in one tick: the first flushes alone, the other 19 form one group
    const recorded = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        recordMilestone(ctx, principal, { caseId, ...arrival(i + 1) }, `group-${i}`),
      ),
    )
    expect(recordGroupStats(ctx)!.largest).toBeGreaterThanOrEqual(19)
    expect(recordGroupStats(ctx)!.fallbacks).toBe(before.fallbacks)
    const replays = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        recordMilestone(ctx, principal, { caseId, ...arrival(i + 1) }, `group-${i}`),
      ),
    )
    expect(replays.map((r) => r.body.milestoneId)).toEqual(recorded.map((r) => r.body.milestoneId))
    const offers = await Promise.all(recorded.map((r) => offerFacts(ctx, String(r.body.milestoneId))))
    const signed = await Promise.all(
      offers.map((offer) => signRedeemedMilestone(ctx, { offer: offer!, ...freshNonce(ctx) })),
    )
    expect(issuanceGroupStats(ctx)!.largest).toBeGreaterThanOrEqual(19)
    const previous = signed.map((s) => decodeJwt(s.jwt).vc.credentialSubject.previousMilestoneHash)
    expect(new Set(previous).size).toBe(20)
    for (const [i, s] of signed.entries()) if (i > 0) expect(previous[i]).toBe(signed[i - 1]!.credentialHash)
    const rows = await ctx.db.milestoneRecord.findMany({
      where: { id: { in: signed.map((s) => s.milestoneId) } },
    })
    expect(
      rows.every((row) => row.state === 'issued' && row.credentialJwt && row.revocationIndex !== null),
    ).toBe(true)
    const head = await ctx.db.issuerCase.findUniqueOrThrow({ where: { id: caseId } })
    expect(head.headHash).toBe(signed.at(-1)!.credentialHash)
    expect(
      await ctx.db.anchorLeaf.count({ where: { milestoneId: { in: signed.map((s) => s.milestoneId) } } }),
    ).toBe(20)
    // a replayed nonce inside a group makes the group fall back; only the replayer is refused
    const more = await Promise.all(
      Array.from({ length: 3 }, (_, i) => recordMilestone(ctx, principal, { caseId, ...arrival(i + 2) })),
    )
    const moreOffers = await Promise.all(more.map((r) => offerFacts(ctx, String(r.body.milestoneId))))
    const nonce = freshNonce(ctx)
    const outcome = await Promise.allSettled([
      signRedeemedMilestone(ctx, { offer: moreOffers[0]!, ...freshNonce(ctx) }),
      signRedeemedMilestone(ctx, { offer: moreOffers[1]!, ...nonce }),
      signRedeemedMilestone(ctx, { offer: moreOffers[2]!, ...nonce }),
    ])
    expect(outcome.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected'])
    expect(String((outcome[2] as PromiseRejectedResult).reason.description)).toMatch(/already used/)
  })
})

function freshNonce(ctx: typeof t.issuer.context) {
  const { nonce, expiresAt } = createNonce(ctx.secret, 300)
  return { nonce, nonceExpiresAt: expiresAt }
}
