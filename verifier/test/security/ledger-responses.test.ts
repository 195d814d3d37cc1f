import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { VerificationReport } from '../../src/index.ts'
import { startVerifier, type VerifierUnderTest } from '../support/harness.ts'
import { TestWorld } from '../support/world.ts'

// What the verifier reads from the ledger is trust data: it is read from the configured ledger
// origin only — a redirect elsewhere is not followed — and never past a size cap. Either way the
// check cannot be established: the credential is never "valid" on it.
//
// The ledger here is the in-test stand-in (test/support/ledger-fixture.ts) so that it can misbehave
// as the real node never does: answer with a redirect, or with an endless body.

let world: TestWorld
let verifier: VerifierUnderTest
let replay: Server
let replayedList = ''

beforeAll(async () => {
  world = await new TestWorld().start()
  verifier = await startVerifier(world, { FLORA_VERIFIER_STATUS_MAX_AGE_SECONDS: '0' })
  // Another origin that serves a status list captured earlier — signed by the issuer, but stale.
  replay = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/jwt' })
    res.end(replayedList)
  })
  await new Promise<void>((resolve) => replay.listen(0, '127.0.0.1', resolve))
})
afterAll(async () => {
  await verifier?.close()
  await new Promise((resolve) => replay?.close(resolve))
  await world?.stop()
})

async function presentNew(): Promise<{ vp: string; statusIndex: number }> {
  const holder = world.holder()
  const { jwt, statusIndex } = await world.issue({ type: 'DublinReplyMilestone', holder: holder.did })
  const vp = await world.presentation(holder, [jwt], world.anchor([jwt]), verifier.services.identity.did, await verifier.nonce())
  return { vp, statusIndex }
}

async function verify(vp: string): Promise<VerificationReport> {
  const response = await verifier.verify(vp)
  expect(response.status).toBe(201)
  return (await response.json()) as VerificationReport
}

const statusStep = (report: VerificationReport) => report.credentials[0]!.steps.find((s) => s.step === 'status')!
const revocationPath = () => new URL(world.statusUrl(world.ti, 'revocation')).pathname
const proxiedKey = () => `${world.ti.did}/${world.ti.proxyId}/status/revocation`

describe('ledger answers the verifier does not take', () => {
  it('a status list behind a redirect to another origin (a stale list replayed): not followed', async () => {
    const { vp, statusIndex } = await presentNew()
    replayedList = world.ledger.proxied.get(proxiedKey())! // the list before the revocation
    await world.setStatus(world.ti, statusIndex, 'revocation')
    world.ledger.redirects.set(revocationPath(), `http://127.0.0.1:${(replay.address() as AddressInfo).port}/list`)
    try {
      const report = await verify(vp)
      expect(statusStep(report)).toMatchObject({ outcome: 'not-established', reason: 'status-unavailable' })
      expect(report.verdict).toBe('indeterminate')
    } finally {
      world.ledger.redirects.clear()
    }
    // control: without the redirect the revocation is seen
    const { vp: again } = await presentNew()
    const direct = await verify(again)
    expect(direct.verdict).toBe('valid') // a new credential, not revoked
  })

  it('an answer beyond the size cap (an endless status list): not read, not established', async () => {
    const { vp } = await presentNew()
    const genuine = world.ledger.proxied.get(proxiedKey())!
    world.ledger.proxied.set(proxiedKey(), 'a'.repeat(12 * 1024 * 1024))
    try {
      const report = await verify(vp)
      expect(statusStep(report)).toMatchObject({ outcome: 'not-established', reason: 'status-unavailable' })
      expect(String(statusStep(report).details.message)).toMatch(/larger than/)
      expect(report.verdict).toBe('indeterminate')
    } finally {
      world.ledger.proxied.set(proxiedKey(), genuine)
    }
  })
})
