import { type TestDatabase, tempPostgresDatabase } from '@flora/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { VerificationReport } from '../src/index.ts'
import { startVerifier, type VerifierUnderTest } from './support/harness.ts'
import { TestWorld } from './support/world.ts'

// The verifier's own database on PostgreSQL: the same model text, the same behaviour.
let world: TestWorld
let database: TestDatabase
let verifier: VerifierUnderTest

beforeAll(async () => {
  world = await new TestWorld().start()
  database = await tempPostgresDatabase()
  verifier = await startVerifier(world, { FLORA_VERIFIER_DATABASE_URL: database.url })
})
afterAll(async () => {
  await verifier?.close()
  await database?.dispose()
  await world?.stop()
})

describe('verifier on PostgreSQL', () => {
  it('stores reports and log lines, consumes nonces once', async () => {
    const holder = world.holder()
    const { jwt } = await world.issue({ type: 'DublinReplyMilestone', holder: holder.did })
    const proofs = world.anchor([jwt])
    const vp = await world.presentation(holder, [jwt], proofs, verifier.services.identity.did, await verifier.nonce())
    const first = (await (await verifier.verify(vp)).json()) as VerificationReport
    expect(first.verdict).toBe('valid')
    const replay = (await (await verifier.verify(vp)).json()) as VerificationReport
    expect(replay.presentationSteps[0]).toMatchObject({ step: 'holder-binding', reason: 'nonce-replayed' })
    const stored = await verifier.services.reports.get(first.id)
    expect(stored?.verdict).toBe('valid')
    expect((await verifier.services.reports.log({ limit: 10 })).length).toBeGreaterThanOrEqual(2)
  })
})
