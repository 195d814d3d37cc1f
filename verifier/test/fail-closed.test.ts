import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { VerificationReport } from '../src/index.ts'
import { startVerifier, type VerifierUnderTest } from './support/harness.ts'
import { didDocument, newSigner, TestWorld } from './support/world.ts'

// Fail closed: where a check cannot be made, or the trust data is not the issuer's, the verdict is
// never "valid".
let world: TestWorld

beforeAll(async () => {
  world = await new TestWorld().start()
})
afterAll(async () => {
  await world?.stop()
})

const stepOf = (report: VerificationReport, name: string) =>
  report.credentials[0]!.steps.find((s) => s.step === name) ?? report.presentationSteps.find((s) => s.step === name)!

async function presentValid(verifier: VerifierUnderTest, issuer = world.ti) {
  const holder = world.holder()
  const issued = await world.issue({ type: 'DublinReplyMilestone', holder: holder.did, issuer })
  const vp = await world.presentation(holder, [issued.jwt], world.anchor([issued.jwt]), verifier.services.identity.did, await verifier.nonce())
  return { vp, issued }
}

async function verify(verifier: VerifierUnderTest, vp: string): Promise<VerificationReport> {
  const response = await verifier.verify(vp)
  expect(response.status).toBe(201)
  return (await response.json()) as VerificationReport
}

describe('fail-closed verification', () => {
  it('ledger down: signature, schema, accreditation, status and anchoring cannot be established', async () => {
    const verifier = await startVerifier(world)
    try {
      const { vp } = await presentValid(verifier)
      world.ledger.down = true
      const report = await verify(verifier, vp)
      expect(report.verdict).toBe('indeterminate')
      for (const step of ['issuer-signature', 'schema', 'accreditation', 'status', 'anchoring'])
        expect(stepOf(report, step).outcome, step).toBe('not-established')
    } finally {
      world.ledger.down = false
      await verifier.close()
    }
  })

  it('status list unreachable: the status is not established, the credential not valid', async () => {
    const verifier = await startVerifier(world, { FLORA_VERIFIER_STATUS_MAX_AGE_SECONDS: '0' })
    try {
      const { vp } = await presentValid(verifier)
      world.ledger.statusDown = true
      const report = await verify(verifier, vp)
      expect(report.verdict).toBe('indeterminate')
      expect(stepOf(report, 'status')).toMatchObject({ outcome: 'not-established', reason: 'status-unavailable' })
    } finally {
      world.ledger.statusDown = false
      await verifier.close()
    }
  })

  it('status list signed by someone else: failed', async () => {
    const verifier = await startVerifier(world, { FLORA_VERIFIER_STATUS_MAX_AGE_SECONDS: '0' })
    const ti = await world.accreditTi(['DublinReplyMilestone'])
    try {
      const { vp } = await presentValid(verifier, ti)
      await world.publishStatus(ti, world.tiLimited)
      const report = await verify(verifier, vp)
      expect(report.verdict).toBe('invalid')
      expect(stepOf(report, 'status')).toMatchObject({ outcome: 'failed', reason: 'status-list-invalid' })
    } finally {
      await verifier.close()
    }
  })

  it('cache past max-age: refetched, and with the proxy down not established (online)', async () => {
    const verifier = await startVerifier(world, { FLORA_VERIFIER_STATUS_MAX_AGE_SECONDS: '1' })
    try {
      const first = await presentValid(verifier)
      expect((await verify(verifier, first.vp)).verdict).toBe('valid')
      const second = await presentValid(verifier)
      world.ledger.statusDown = true
      const fresh = await verify(verifier, second.vp)
      expect(fresh.verdict).toBe('valid')
      expect(fresh.statusAgeSeconds).toBeLessThanOrEqual(1)
      await new Promise((resolve) => setTimeout(resolve, 2100))
      const third = await presentValid(verifier)
      const stale = await verify(verifier, third.vp)
      expect(stale.verdict).toBe('indeterminate')
      expect(stepOf(stale, 'status').outcome).toBe('not-established')
    } finally {
      world.ledger.statusDown = false
      await verifier.close()
    }
  })

  it('air-gapped verifier on a signed snapshot: valid within max-age, "cannot be established" beyond', async () => {
    const online = await startVerifier(world, { FLORA_VERIFIER_STATUS_MAX_AGE_SECONDS: '3' })
    const holder = world.holder()
    const issued = await world.issue({ type: 'DublinReplyMilestone', holder: holder.did })
    const proofs = world.anchor([issued.jwt])
    const presentTo = async (verifier: VerifierUnderTest) =>
      verify(verifier, await world.presentation(holder, [issued.jwt], proofs, verifier.services.identity.did, await verifier.nonce()))
    expect((await presentTo(online)).verdict).toBe('valid')
    const snapshot = await online.services.trust.exportSnapshot()
    const offline = await startVerifier(world, {
      FLORA_VERIFIER_OFFLINE: 'true',
      FLORA_VERIFIER_STATUS_MAX_AGE_SECONDS: '3',
      FLORA_VERIFIER_SNAPSHOT_TRUSTED_KEYS: snapshot.thumbprint,
    })
    const stranger = await startVerifier(world, { FLORA_VERIFIER_OFFLINE: 'true' })
    try {
      const post = (verifier: VerifierUnderTest) =>
        fetch(`${verifier.url}/trust/snapshot`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${verifier.token}` },
          body: JSON.stringify({ snapshot: snapshot.snapshot }),
        })
      expect((await post(stranger)).status).toBe(422) // not a trusted exporter
      expect((await post(offline)).status).toBe(200)
      const requestsBefore = world.ledger.requests
      const within = await presentTo(offline)
      expect(within.verdict).toBe('valid')
      expect(world.ledger.requests).toBe(requestsBefore) // nothing fetched: air-gapped
      await new Promise((resolve) => setTimeout(resolve, 3200))
      const beyond = await presentTo(offline)
      expect(beyond.verdict).toBe('indeterminate')
      expect(stepOf(beyond, 'status')).toMatchObject({ outcome: 'not-established' })
    } finally {
      await stranger.close()
      await offline.close()
      await online.close()
    }
  })

  it('issuer key rotated after issuance: old credentials verify as of their anchoring time; the old key signs nothing new', async () => {
    const verifier = await startVerifier(world)
    try {
      const ti = await world.accreditTi(['DublinReplyMilestone'])
      const oldKey = ti.assertion
      const holder = world.holder()
      const before = await world.issue({ type: 'DublinReplyMilestone', holder: holder.did, issuer: ti })
      const anchoredBefore = world.anchor([before.jwt], new Date(Date.now() - 30_000))
      // Rotation: from now on the DID document lists only the new key.
      const rotatedAt = Date.now() - 10_000
      const newKey = newSigner('Secp256r1')
      world.ledger.setDid(ti.did, didDocument(ti.did, ti.controller, [newKey]), rotatedAt)
      ti.assertion = newKey
      await world.publishStatus(ti)
      const ok = await verify(verifier, await world.presentation(holder, [before.jwt], anchoredBefore, verifier.services.identity.did, await verifier.nonce()))
      expect(stepOf(ok, 'issuer-signature')).toMatchObject({ outcome: 'passed', details: { resolvedAt: 'anchoring-time' } })
      expect(ok.verdict).toBe('valid')

      // The old key signs after the rotation (e.g. it leaked), back-dating the credential.
      const forged = await world.issue({
        type: 'DublinReplyMilestone',
        holder: holder.did,
        issuer: ti,
        signerOverride: oldKey,
        issuedAt: new Date(Date.now() - 40_000),
      })
      for (const proofs of [world.anchor([forged.jwt]), []]) {
        const report = await verify(verifier, await world.presentation(holder, [forged.jwt], proofs, verifier.services.identity.did, await verifier.nonce()))
        expect(report.verdict).not.toBe('valid')
        expect(stepOf(report, 'issuer-signature')).toMatchObject({ outcome: 'failed', reason: 'key-not-in-assertion-method' })
      }
    } finally {
      await verifier.close()
    }
  })
})
