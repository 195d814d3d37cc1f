import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runPipeline } from '../src/pipeline/run.ts'
import type { PipelineContext } from '../src/pipeline/types.ts'
import { pipelineContext } from './support/pipeline-context.ts'
import { DEU, hashOf, TestWorld } from './support/world.ts'

// Pipeline steps with injected readers (no HTTP service in between).
let world: TestWorld

beforeAll(async () => {
  world = await new TestWorld().start()
})
afterAll(async () => {
  await world?.stop()
})

const context = (overrides: Partial<PipelineContext> = {}) => pipelineContext(world, overrides)

const binding = { audience: 'did:ebsi:zVerifier', checkNonce: async () => 'ok' as const }

async function verifyVp(jwts: string[], proofs: Parameters<TestWorld['presentation']>[2], ctx = context()) {
  const holderDid = (JSON.parse(Buffer.from(jwts[0]!.split('.')[1]!, 'base64url').toString()) as { sub: string }).sub
  const holder = holders.get(holderDid)!
  return runPipeline({ token: await world.presentation(holder, jwts, proofs, 'did:ebsi:zVerifier', 'n'), holderBinding: binding }, ctx)
}
const holders = new Map<string, ReturnType<TestWorld['holder']>>()
const newHolder = () => {
  const holder = world.holder()
  holders.set(holder.did, holder)
  return holder
}

describe('pipeline', () => {
  it('anchoring: "pending" while the batch is young and unanchored, "failed" once the window has passed', async () => {
    const holder = newHolder()
    const young = await world.issue({ type: 'DublinReplyMilestone', holder: holder.did })
    const pending = await verifyVp([young.jwt], [])
    expect(pending.credentials[0]!.steps.at(-1)).toMatchObject({ step: 'anchoring', outcome: 'pending', reason: 'proof-missing' })
    expect(pending.verdict).toBe('indeterminate')
    const old = await world.issue({ type: 'DublinReplyMilestone', holder: holder.did, issuedAt: new Date(Date.now() - 7200_000) })
    const failed = await verifyVp([old.jwt], [])
    expect(failed.credentials[0]!.steps.at(-1)).toMatchObject({ step: 'anchoring', outcome: 'failed' })
    // A proof whose root the ledger does not (yet) hold: pending for a young credential.
    const [proof] = world.anchor([young.jwt])
    world.ledger.timestamps.clear()
    const notYet = await verifyVp([young.jwt], [proof!])
    expect(notYet.credentials[0]!.steps.at(-1)).toMatchObject({ outcome: 'pending', reason: 'root-not-anchored' })
  })

  it('trust policy: an anchor trusted only for other jurisdictions or types does not accredit', async () => {
    const holder = newHolder()
    const { jwt } = await world.issue({ type: 'DublinReplyMilestone', holder: holder.did })
    const proofs = world.anchor([jwt])
    const ok = await verifyVp([jwt], proofs, context({ trustAnchors: [{ did: world.root.did, jurisdictions: [DEU] }] }))
    expect(ok.verdict).toBe('valid')
    const fra = 'https://publications.europa.eu/resource/authority/atu/FRA'
    const wrongPlace = await verifyVp([jwt], proofs, context({ trustAnchors: [{ did: world.root.did, jurisdictions: [fra] }] }))
    expect(wrongPlace.credentials[0]!.steps.find((s) => s.step === 'accreditation')).toMatchObject({
      outcome: 'failed',
      reason: 'jurisdiction-not-accepted',
    })
    const wrongType = await verifyVp([jwt], proofs, context({ trustAnchors: [{ did: world.root.did, types: ['ArrivalCertificateMilestone'] }] }))
    expect(wrongType.failingStep).toBe('accreditation')
    // a DID that is not the TAO's (changing its last character: to 'x', unless it already is one)
    const notTheTao = world.tao.did.replace(/.$/, (last) => (last === 'x' ? 'y' : 'x'))
    const otherAnchor = await verifyVp([jwt], proofs, context({ trustAnchors: [{ did: notTheTao }] }))
    expect(otherAnchor.credentials[0]!.steps.find((s) => s.step === 'accreditation')).toMatchObject({ outcome: 'failed' })
  })

  it('case consistency: a correction supersedes; the superseded credential feeds no fact', async () => {
    const holder = newHolder()
    const [request, wrongReply] = await world.issueCase(holder.did, ['DublinRequestMilestone', 'DublinReplyMilestone'])
    const correction = await world.issue({
      type: 'DublinReplyMilestone',
      holder: holder.did,
      previous: hashOf(request!),
      supersedes: hashOf(wrongReply!),
      claims: { milestoneDate: '2026-02-12', replyType: 'rejection' },
    })
    const jwts = [request!, wrongReply!, correction.jwt]
    const outcome = await verifyVp(jwts, world.anchor(jwts))
    const consistency = outcome.presentationSteps.find((s) => s.step === 'case-consistency')!
    expect(consistency).toMatchObject({ outcome: 'passed', reason: 'ok-with-superseded' })
    expect(consistency.details.superseded).toEqual([{ credential: 1, supersededBy: 2 }])
    expect(outcome.facts.find((f) => f.fact === '/reply')).toEqual({
      fact: '/reply',
      value: { type: 'rejection', received: '2026-02-12' },
      source: 'credential',
      credentials: [2],
    })
  })

  it('Dublin: facts never guessed — a case without a request yields no request date', async () => {
    const holder = newHolder()
    const jwts = await world.issueCase(holder.did, ['AsylumRequestReferralMilestone', 'AsylumRequestRecordReachedBamfMilestone'])
    const outcome = await verifyVp(jwts, world.anchor(jwts))
    expect(outcome.verdict).toBe('valid')
    expect(outcome.facts.map((f) => f.fact)).not.toContain('/requestSent')
    const dublin = outcome.presentationSteps.find((s) => s.step === 'dublin')!
    expect(['passed', 'not-established']).toContain(dublin.outcome)
  })

  it('a bare VC (direct API) verifies without holder binding, which the report marks as not a presentation', async () => {
    const { jwt } = await world.issue({ type: 'DublinReplyMilestone', holder: newHolder().did })
    const proofs = world.anchor([jwt])
    const outcome = await runPipeline({ token: jwt, holderBinding: binding, anchoringProofs: proofs }, context())
    expect(outcome.kind).toBe('credential')
    expect(outcome.verdict).toBe('valid')
    expect(outcome.presentationSteps[0]).toMatchObject({ step: 'holder-binding', outcome: 'not-established', reason: 'no-presentation' })
  })
})
