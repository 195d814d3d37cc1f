import { memoizedGet } from '@cef-ebsi/verifiable-credential'
import { verifyPresentationJwt } from '@cef-ebsi/verifiable-presentation'
import type { HolderIdentity, InclusionProof } from '@flora/ebsi-connector/holder'
import { memoizeClear } from 'memoize'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { VerificationReport } from '../../src/index.ts'
import { startVerifier, type VerifierUnderTest } from '../support/harness.ts'
import { type Entity, TestWorld } from '../support/world.ts'
import { CREDENTIALS_PER_CLASS, type MutationClass, mutationClasses } from './mutation-classes.ts'

let world: TestWorld
let verifier: VerifierUnderTest
let revokedTi: Entity

beforeAll(async () => {
  world = await new TestWorld().start()
  revokedTi = await world.accreditTi(['DublinReplyMilestone'])
  verifier = await startVerifier(world, { FLORA_VERIFIER_STATUS_MAX_AGE_SECONDS: '0' })
})
afterAll(async () => {
  await verifier?.close()
  await world?.stop()
})

interface Sample {
  /** The presentation as the library sees it (the first of two for the replay class). */
  vp: string
  /** What our verifier receives (the same VP, or its replay). */
  presentations: string[]
}

const TYPE = 'DublinReplyMilestone'

function tamperPayload(jwt: string): string {
  const [h, p, s] = jwt.split('.') as [string, string, string]
  const payload = JSON.parse(Buffer.from(p, 'base64url').toString()) as { vc: { credentialSubject: { milestoneDate: string } } }
  payload.vc.credentialSubject.milestoneDate = '2026-02-13'
  return `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`
}

async function vpFor(holder: HolderIdentity, jwts: string[], proofs: InclusionProof[], audience?: string): Promise<string> {
  return world.presentation(holder, jwts, proofs, audience ?? verifier.services.identity.did, await verifier.nonce())
}

/** Builds one sample of a class (one fresh holder and credential each). */
async function sample(mutation: MutationClass): Promise<Sample> {
  const holder = world.holder()
  const one = async (options: Parameters<TestWorld['issue']>[0]) => world.issue(options)
  switch (mutation.id) {
    case 'control': {
      const { jwt } = await one({ type: TYPE, holder: holder.did })
      const vp = await vpFor(holder, [jwt], world.anchor([jwt]))
      return { vp, presentations: [vp] }
    }
    case 'signature': {
      const jwt = tamperPayload((await one({ type: TYPE, holder: holder.did })).jwt)
      const vp = await vpFor(holder, [jwt], world.anchor([jwt]))
      return { vp, presentations: [vp] }
    }
    case 'issuer-not-accredited-for-type': {
      const { jwt } = await one({ type: TYPE, holder: holder.did, issuer: world.tiLimited })
      const vp = await vpFor(holder, [jwt], world.anchor([jwt]))
      return { vp, presentations: [vp] }
    }
    case 'accreditation-revoked': {
      const { jwt } = await one({ type: TYPE, holder: holder.did, issuer: revokedTi })
      const vp = await vpFor(holder, [jwt], world.anchor([jwt]))
      return { vp, presentations: [vp] }
    }
    case 'schema-violation': {
      const { jwt } = await one({ type: TYPE, holder: holder.did, claims: { milestoneDate: '2026-02-12', replyType: 'acceptance', nationality: 'XX' } })
      const vp = await vpFor(holder, [jwt], world.anchor([jwt]))
      return { vp, presentations: [vp] }
    }
    case 'status-revoked':
    case 'status-suspended': {
      const issued = await one({ type: TYPE, holder: holder.did })
      await world.setStatus(world.ti, issued.statusIndex, mutation.id === 'status-revoked' ? 'revocation' : 'suspension')
      const vp = await vpFor(holder, [issued.jwt], world.anchor([issued.jwt]))
      return { vp, presentations: [vp] }
    }
    case 'expired': {
      const { jwt } = await one({
        type: TYPE,
        holder: holder.did,
        issuedAt: new Date(Date.now() - 10 * 86_400_000),
        expirationDate: new Date(Date.now() - 86_400_000),
      })
      const vp = await vpFor(holder, [jwt], world.anchor([jwt], new Date(Date.now() - 10 * 86_400_000)))
      return { vp, presentations: [vp] }
    }
    case 'not-yet-valid': {
      const { jwt } = await one({ type: TYPE, holder: holder.did, validFrom: new Date(Date.now() + 86_400_000) })
      const vp = await vpFor(holder, [jwt], world.anchor([jwt]))
      return { vp, presentations: [vp] }
    }
    case 'wrong-audience': {
      const { jwt } = await one({ type: TYPE, holder: holder.did })
      const vp = await vpFor(holder, [jwt], world.anchor([jwt]), 'did:ebsi:zAnotherVerifier1111111111')
      return { vp, presentations: [vp] }
    }
    case 'replayed-nonce': {
      const { jwt } = await one({ type: TYPE, holder: holder.did })
      const vp = await vpFor(holder, [jwt], world.anchor([jwt]))
      return { vp, presentations: [vp, vp] }
    }
    case 'tampered-anchor-proof': {
      const { jwt } = await one({ type: TYPE, holder: holder.did })
      const [proof] = world.anchor([jwt])
      const sibling = proof!.proof[0]!
      proof!.proof[0] = `${sibling.slice(0, -1)}${sibling.endsWith('0') ? '1' : '0'}`
      const vp = await vpFor(holder, [jwt], [proof!])
      return { vp, presentations: [vp] }
    }
    case 'holder-mismatch': {
      const other = world.holder()
      const { jwt } = await one({ type: TYPE, holder: other.did })
      const vp = await vpFor(holder, [jwt], world.anchor([jwt]))
      return { vp, presentations: [vp] }
    }
    case 'chain-gap': {
      const [a, , c] = await world.issueCase(holder.did, [
        'AsylumRequestReferralMilestone',
        'AsylumRequestRecordReachedBamfMilestone',
        'DublinRequestMilestone',
      ])
      const vp = await vpFor(holder, [a!, c!], world.anchor([a!, c!]))
      return { vp, presentations: [vp] }
    }
  }
  throw new Error(`no generator for ${mutation.id}`)
}

async function library(vp: string): Promise<'accept' | 'reject'> {
  memoizeClear(memoizedGet)
  try {
    await verifyPresentationJwt(vp, verifier.services.identity.did, world.ebsiOptions())
    return 'accept'
  } catch {
    return 'reject'
  }
}

async function ours(vp: string): Promise<VerificationReport> {
  const response = await verifier.verify(vp)
  expect(response.status).toBe(201)
  return (await response.json()) as VerificationReport
}

describe('differential test against @cef-ebsi/verifiable-presentation 6.4.0 / verifiable-credential 5.5.0 (no skip options)', () => {
  it('the committed table has every class of the issue with ≥ 20 credentials each', () => {
    expect(mutationClasses.map((c) => c.id)).toEqual(
      expect.arrayContaining([
        'signature', 'issuer-not-accredited-for-type', 'accreditation-revoked', 'schema-violation', 'status-revoked',
        'status-suspended', 'expired', 'not-yet-valid', 'wrong-audience', 'replayed-nonce', 'tampered-anchor-proof',
        'holder-mismatch', 'chain-gap',
      ]),
    )
    expect(CREDENTIALS_PER_CLASS).toBeGreaterThanOrEqual(20)
  })

  for (const mutation of mutationClasses) {
    it(`${mutation.id}: library ${mutation.library}, our report names ${mutation.failingStep ?? 'no failing step'}`, async () => {
      if (mutation.id === 'accreditation-revoked') world.setIssuerType(revokedTi, 'Revoked')
      const samples: Sample[] = []
      for (let i = 0; i < CREDENTIALS_PER_CLASS; i++) samples.push(await sample(mutation))
      const problems: string[] = []
      for (const [i, s] of samples.entries()) {
        const libraryOutcome = await library(s.vp)
        let report: VerificationReport | undefined
        for (const presentation of s.presentations) report = await ours(presentation)
        const expectedLibrary = mutation.library === 'not-checked' ? 'accept' : mutation.library
        if (libraryOutcome !== expectedLibrary) problems.push(`#${i}: library ${libraryOutcome}, table says ${mutation.library}`)
        if (mutation.library !== 'not-checked') {
          const agree = (libraryOutcome === 'accept') === (report!.verdict === 'valid')
          if (!agree) problems.push(`#${i}: library ${libraryOutcome}, ours ${report!.verdict} (${report!.failingStep})`)
        }
        if (report!.failingStep !== mutation.failingStep)
          problems.push(`#${i}: our failing step ${report!.failingStep}, expected ${mutation.failingStep}`)
        if (mutation.failingStep && report!.verdict === 'valid') problems.push(`#${i}: ours valid`)
      }
      expect(problems).toEqual([])
    }, 120_000)
  }
})
