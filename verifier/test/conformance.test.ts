import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { VerificationReport } from '../src/index.ts'
import { startVerifier, type VerifierUnderTest } from './support/harness.ts'
import { TestWorld } from './support/world.ts'

// EBSI conformance v3, verifier module: valid, expired, revoked and not-yet-valid credentials in a VP
// give distinct outcomes (verifier_vp_valid_vc, _expired_vc, _revoked_vc, _not_yet_valid_vc).
// Here against the in-test ledger stand-in (support/ledger-fixture.ts) with credentials the test signs;
// the same four cases end to end — real ledger node, credentials from the real issuer service redeemed
// by the holder module, OpenID4VP — are in conformance-real-issuer.test.ts.
let world: TestWorld
let verifier: VerifierUnderTest

beforeAll(async () => {
  world = await new TestWorld().start()
  // max-age 0: every verification reads the current status list (a revocation shows at once)
  verifier = await startVerifier(world, { FLORA_VERIFIER_STATUS_MAX_AGE_SECONDS: '0' })
})
afterAll(async () => {
  await verifier?.close()
  await world?.stop()
})

async function presentOne(options: { expirationDate?: Date; validFrom?: Date; revoke?: boolean }) {
  const holder = world.holder()
  const issued = await world.issue({ type: 'DublinReplyMilestone', holder: holder.did, ...options })
  if (options.revoke) await world.setStatus(world.ti, issued.statusIndex, 'revocation')
  const proofs = world.anchor([issued.jwt])
  const vp = await world.presentation(holder, [issued.jwt], proofs, verifier.services.identity.did, await verifier.nonce())
  const response = await verifier.verify(vp)
  expect(response.status).toBe(201)
  return (await response.json()) as VerificationReport
}

const step = (report: VerificationReport, name: string) => report.credentials[0]!.steps.find((s) => s.step === name)!

describe('EBSI conformance v3 verifier cases', () => {
  it('verifier_vp_valid_vc: valid', async () => {
    const report = await presentOne({})
    expect(report.verdict).toBe('valid')
    expect(report.credentials[0]!.steps.every((s) => s.outcome === 'passed')).toBe(true)
    expect(report.statusAgeSeconds).not.toBeNull()
  })

  it('verifier_vp_expired_vc: expired', async () => {
    const report = await presentOne({ expirationDate: new Date(Date.now() - 3_600_000), validFrom: new Date(Date.now() - 86_400_000) })
    expect(report.verdict).toBe('invalid')
    expect(report.failingStep).toBe('validity-window')
    expect(step(report, 'validity-window')).toMatchObject({ outcome: 'failed', reason: 'expired' })
  })

  it('verifier_vp_revoked_vc: revoked', async () => {
    const report = await presentOne({ revoke: true })
    expect(report.verdict).toBe('invalid')
    expect(report.failingStep).toBe('status')
    expect(step(report, 'status')).toMatchObject({ outcome: 'failed', reason: 'revoked' })
  })

  it('verifier_vp_not_yet_valid_vc: not yet valid', async () => {
    const report = await presentOne({ validFrom: new Date(Date.now() + 86_400_000) })
    expect(report.verdict).toBe('invalid')
    expect(report.failingStep).toBe('validity-window')
    expect(step(report, 'validity-window')).toMatchObject({ outcome: 'failed', reason: 'not-yet-valid' })
  })
})
