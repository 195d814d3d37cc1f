import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rememberedPer } from '../src/pipeline/memo.ts'
import { runPipeline } from '../src/pipeline/run.ts'
import { pipelineContext } from './support/pipeline-context.ts'
import { CASE_15, TestWorld } from './support/world.ts'

// The pipeline remembers what depends on the presented bytes alone (a credential's parsed form and
// header check, its schema validation against one compiled schema, an inclusion proof's root, a
// holder's did:key): re-checking a case must still notice everything that can change.
let world: TestWorld

beforeAll(async () => {
  world = await new TestWorld().start()
})
afterAll(async () => {
  await world?.stop()
})

// a fresh trust cache each time, keeping nothing: every verification reads the ledger as it is now
const context = () => pipelineContext(world, {}, 0)

async function present(
  holder: ReturnType<TestWorld['holder']>,
  jwts: string[],
  proofs: Parameters<TestWorld['presentation']>[2],
) {
  const token = await world.presentation(holder, jwts, proofs, 'did:ebsi:zVerifier', 'n')
  return runPipeline(
    { token, holderBinding: { audience: 'did:ebsi:zVerifier', checkNonce: async () => 'ok' } },
    context(),
  )
}

const outcomes = (result: Awaited<ReturnType<typeof runPipeline>>) =>
  result.credentials.map((c) => c.steps.map((s) => `${s.step}:${s.outcome}:${s.reason}`))

describe('pipeline memos', () => {
  it('gives a re-presented case the same outcome, step by step', async () => {
    const holder = world.holder()
    const jwts = await world.issueCase(holder.did, CASE_15.slice(0, 4))
    const proofs = world.anchor(jwts)
    const first = await present(holder, jwts, proofs)
    expect(first.verdict).toBe('valid')
    const again = await present(holder, jwts, proofs)
    expect(again.verdict).toBe('valid')
    expect(outcomes(again)).toEqual(outcomes(first))
  })

  it('fails a re-presented credential whose inclusion path was tampered with', async () => {
    const holder = world.holder()
    const jwts = await world.issueCase(holder.did, ['DublinReplyMilestone'])
    const [proof] = world.anchor(jwts)
    expect((await present(holder, jwts, [proof!])).verdict).toBe('valid')
    const path = [...proof!.proof]
    path[0] = `0x${'ab'.repeat(32)}`
    const anchoring = async (changed: unknown) =>
      (await present(holder, jwts, [changed as NonNullable<typeof proof>])).credentials[0]!.steps.at(-1)
    const invalid = { step: 'anchoring', outcome: 'failed', reason: 'proof-invalid' }
    expect(await anchoring({ ...proof!, proof: path })).toMatchObject(invalid)
    // the same leaf with any other member changed is not the remembered proof either
    expect(await anchoring({ ...proof!, proof: [...proof!.proof, proof!.proof[0]] })).toMatchObject(invalid)
    expect(await anchoring({ ...proof!, root: `0x${'cd'.repeat(32)}` })).toMatchObject(invalid)
    expect(await anchoring({ ...proof!, leafIndex: proof!.leafIndex + 1 })).toMatchObject(invalid)
    expect(await anchoring({ ...proof!, proof: [42, ...proof!.proof.slice(1)] })).toMatchObject({
      outcome: 'failed',
      reason: 'proof-malformed',
    })
    expect((await present(holder, jwts, [proof!])).verdict).toBe('valid')
  })

  it('notices a revocation after the credential was verified valid', async () => {
    const holder = world.holder()
    const issued = await world.issue({ type: 'DublinReplyMilestone', holder: holder.did })
    const proofs = world.anchor([issued.jwt])
    expect((await present(holder, [issued.jwt], proofs)).verdict).toBe('valid')
    await world.setStatus(issued.issuer, issued.statusIndex, 'revocation')
    const revoked = await present(holder, [issued.jwt], proofs)
    expect(revoked.credentials[0]!.steps.find((s) => s.step === 'status')).toMatchObject({
      outcome: 'failed',
      reason: 'revoked',
    })
  })

  it('validates anew against a schema that changed on the ledger', async () => {
    const holder = world.holder()
    const issued = await world.issue({ type: 'DublinReplyMilestone', holder: holder.did })
    const proofs = world.anchor([issued.jwt])
    expect((await present(holder, [issued.jwt], proofs)).verdict).toBe('valid')
    const schemaId = world.schemaUrls.get('DublinReplyMilestone')!.split('/').at(-1)!
    const original = world.ledger.schemas.get(schemaId) as Record<string, unknown>
    try {
      world.ledger.schemas.set(schemaId, {
        ...original,
        required: [...((original.required as string[]) ?? []), 'aMemberNoCredentialHas'],
      })
      const changed = await present(holder, [issued.jwt], proofs)
      expect(changed.credentials[0]!.steps.find((s) => s.step === 'schema')).toMatchObject({
        outcome: 'failed',
        reason: 'schema-violation',
      })
    } finally {
      world.ledger.schemas.set(schemaId, original)
    }
  })

  it('works a per-object memo out once per object, null and undefined results included', () => {
    const calls: object[] = []
    const memo = rememberedPer((key: { result: unknown }) => {
      calls.push(key)
      return key.result
    })
    const a = { result: null }
    const b = { result: undefined }
    const c = { result: 3 }
    for (let i = 0; i < 3; i++) expect([memo(a), memo(b), memo(c)]).toEqual([null, undefined, 3])
    expect(calls).toEqual([a, b, c])
  })
})
