import { createHash } from 'node:crypto'
import { credentialHashFromDigest, type DublinAssessment, type DublinAssessmentOptions } from '@flora/credentials'
import { TokenMalformed } from '../errors.ts'
import { checkAccreditation } from './accreditation.ts'
import { checkAnchoring, proofFinder } from './anchoring.ts'
import { type ChainMember, checkCaseConsistency } from './case-consistency.ts'
import type { CompleteChainJurisdiction } from '../config.ts'
import { dayIn, issuedOnOf } from './as-of.ts'
import type { DeclaredFact, VerifierRole } from './declared-facts.ts'
import {
  assessFromCredentials,
  type ChainLink,
  type CompleteChainUse,
  type EstablishedFact,
  type UnusedAttestation,
} from './dublin.ts'
import { checkHolderBinding, type HolderBindingExpectation } from './holder-binding.ts'
import { checkIssuerSignature } from './issuer-signature.ts'
import { decodeJws } from './jws.ts'
import { checkJwtHeader, checkJwtHeaderOnce } from './jwt-header.ts'
import { checkSchema } from './schema.ts'
import { checkStatus } from './status.ts'
import { checkSubjectBinding } from './subject-binding.ts'
import { type ParsedCredential, type PipelineContext, type StepName, type StepResult, stepResult } from './types.ts'
import { stateOfJurisdiction } from './jurisdiction.ts'
import { checkValidityWindow } from './validity-window.ts'

export type Verdict = 'valid' | 'invalid' | 'indeterminate'

/** The result of verifying one credential. */
export interface CredentialOutcome {
  index: number
  hash: string
  types: string[]
  milestoneType: string | null
  issuer: string | null
  steps: StepResult[]
  verdict: Verdict
  /** The first step that did not pass, if any. */
  failingStep: StepName | null
}

/** The pipeline's full result for one submission. */
export interface PipelineOutcome {
  kind: 'credential' | 'presentation'
  verdict: Verdict
  failingStep: StepName | null
  credentials: CredentialOutcome[]
  presentationSteps: StepResult[]
  /** Each fact of the case with its source (credential, absence, complete chain, declaration). */
  facts: EstablishedFact[]
  assessment: DublinAssessment | undefined
  /** The Dublin section: the day assessed, who the verifier is in the case, what it declared. */
  dublin: DublinSummary
  checkedAt: string
}

/** What the report says about the Dublin assessment besides the facts and the engine's output. */
export interface DublinSummary {
  asOf: string
  timeZone: string
  verifierState: string | null
  verifierRole: VerifierRole | null
  declaredFacts: DeclaredFact[]
  completeChain: CompleteChainUse
  /** Verified absence attestations whose facts were not used, each with its reason. */
  unusedAttestations: UnusedAttestation[]
}

/** Input of {@link runPipeline}. */
export interface PipelineInput {
  token: string
  /** Expected audience and nonce handling for a presentation. */
  holderBinding: Omit<HolderBindingExpectation, 'now'>
  eurodacReference?: string
  /** For a bare VC: its inclusion proof (a VP carries proofs in `vp.anchoringProofs`). */
  anchoringProofs?: unknown[]
  verifierState?: string
  dublin?: DublinAssessmentOptions
  /** The day of the Dublin assessment; default: today in `ctx.timeZone`. */
  asOf?: string
  declaredFacts?: DeclaredFact[]
  /** Trust policy: jurisdictions whose authorities record every event of a case in its chain. */
  completeChain?: CompleteChainJurisdiction[]
}

const MAX_CREDENTIALS = 64

/** valid when every step passed; invalid when one failed; otherwise indeterminate. */
export function verdictOf(steps: readonly StepResult[]): Verdict {
  if (steps.some((s) => s.outcome === 'failed')) return 'invalid'
  if (steps.some((s) => s.outcome !== 'passed')) return 'indeterminate'
  return 'valid'
}

function firstNotPassed(steps: readonly StepResult[]): StepName | null {
  return (steps.find((s) => s.outcome === 'failed') ?? steps.find((s) => s.outcome !== 'passed'))?.step ?? null
}

const credentialSteps: StepName[] = [
  'jwt-header',
  'issuer-signature',
  'validity-window',
  'schema',
  'accreditation',
  'status',
  'anchoring',
]

/**
 * Runs the per-credential steps in order (anchoring first looked up for the valid-at time).
 * `proofFor` finds the credential's inclusion proof by the JWT's SHA-256 (hex): `proofFinder(proofs)`.
 */
export async function verifyOneCredential(
  token: unknown,
  index: number,
  proofFor: (credentialSha256Hex: string) => unknown,
  ctx: PipelineContext,
  decoded?: ReturnType<typeof decodeJws>,
): Promise<{ outcome: CredentialOutcome; parsed: ParsedCredential | undefined }> {
  const text = typeof token === 'string' ? token : ''
  const digest = createHash('sha256').update(text).digest()
  const hash = credentialHashFromDigest(digest)
  const digestHex = digest.toString('hex')
  const header = decoded ? checkJwtHeader(text, decoded) : checkJwtHeaderOnce(text, digestHex)
  const parsed = header.parsed
  if (!parsed) {
    const steps = [
      header.result,
      ...credentialSteps.slice(1).map((step) => stepResult(step, 'not-established', 'not-evaluated', {})),
    ]
    return {
      outcome: { index, hash, types: [], milestoneType: null, issuer: null, steps, verdict: 'invalid', failingStep: 'jwt-header' },
      parsed,
    }
  }
  const anchoring = await checkAnchoring(parsed, proofFor(digestHex), ctx, digestHex)
  const [signature, schema, accreditation, status] = await Promise.all([
    checkIssuerSignature(parsed, ctx, anchoring.anchoredAt, digest),
    checkSchema(parsed, ctx),
    checkAccreditation(parsed, ctx),
    checkStatus(parsed, ctx),
  ])
  const steps = [header.result, signature, checkValidityWindow(parsed, ctx), schema, accreditation, status, anchoring.result]
  const milestoneType = parsed.types.find((t) => t.endsWith('Milestone')) ?? null
  return {
    outcome: {
      index,
      hash,
      types: parsed.types,
      milestoneType,
      issuer: parsed.issuer,
      steps,
      verdict: verdictOf(steps),
      failingStep: firstNotPassed(steps),
    },
    parsed,
  }
}

/**
 * Verifies a VC JWT or a VP JWT through every step and assesses the Dublin case.
 * @throws {TokenMalformed} when the token is not a JWT carrying a `vc` or a `vp`
 */
export async function runPipeline(input: PipelineInput, ctx: PipelineContext): Promise<PipelineOutcome> {
  const jws = decodeJws(input.token)
  const vp = jws.payload.vp
  const isPresentation = vp !== undefined
  if (!isPresentation && jws.payload.vc === undefined) throw new TokenMalformed('the JWT carries neither "vc" nor "vp"')
  const vc = jws.payload.vc
  if (!isPresentation && (vc === null || typeof vc !== 'object' || Array.isArray(vc)))
    throw new TokenMalformed('"vc" must be an object')
  let tokens: unknown[]
  let proofs: unknown[] = []
  if (isPresentation) {
    if (vp === null || typeof vp !== 'object' || Array.isArray(vp)) throw new TokenMalformed('"vp" must be an object')
    const v = vp as Record<string, unknown>
    if (!Array.isArray(v.verifiableCredential)) throw new TokenMalformed('"vp.verifiableCredential" must be an array')
    if (v.verifiableCredential.length > MAX_CREDENTIALS)
      throw new TokenMalformed(`a presentation may carry at most ${MAX_CREDENTIALS} credentials`)
    tokens = v.verifiableCredential
    proofs = Array.isArray(v.anchoringProofs) ? v.anchoringProofs : []
  } else {
    tokens = [input.token]
    proofs = input.anchoringProofs ?? []
  }

  const proofFor = proofFinder(proofs)
  const verified = await Promise.all(tokens.map((token, i) => verifyOneCredential(token, i, proofFor, ctx, isPresentation ? undefined : jws)))
  const credentials = verified.map((v) => v.outcome)
  const presentationSteps: StepResult[] = []
  const subjects = verified.map((v) => v.parsed?.subject)
  let holder: string | undefined
  if (isPresentation) {
    holder = typeof (vp as { holder?: unknown }).holder === 'string' ? (vp as { holder: string }).holder : undefined
    presentationSteps.push(await checkHolderBinding(input.token, subjects, { ...input.holderBinding, now: ctx.now }, jws))
  } else {
    presentationSteps.push(stepResult('holder-binding', 'not-established', 'no-presentation', {}))
  }
  const members: ChainMember[] = verified.flatMap(({ parsed }, index) => {
    if (!parsed) return []
    const subject = parsed.vc.credentialSubject as Record<string, unknown>
    const previous = subject.previousMilestoneHash
    return [
      {
        index,
        hash: credentials[index]!.hash,
        subject: parsed.subject,
        previousHash: previous === null ? null : typeof previous === 'string' ? previous : undefined,
        supersedes: typeof subject.supersedes === 'string' ? subject.supersedes : undefined,
      },
    ]
  })
  const consistency = isPresentation
    ? checkCaseConsistency(members, holder)
    : stepResult('case-consistency', 'not-established', 'no-presentation', {})
  presentationSteps.push(consistency)
  const supersededIndexes = new Set(
    ((consistency.details.superseded as { credential: number }[] | undefined) ?? []).map((s) => s.credential),
  )
  presentationSteps.push(
    await checkSubjectBinding(
      verified.map(({ parsed }, index) => ({
        index,
        commitment: (parsed?.vc.credentialSubject as Record<string, unknown> | undefined)?.eurodacCommitment,
      })),
      input.eurodacReference,
    ),
  )
  const sources = verified
    .filter(({ outcome }) => outcome.verdict === 'valid' && !supersededIndexes.has(outcome.index) && outcome.milestoneType)
    .flatMap(({ outcome, parsed }) => {
      const day = issuedOnOf(parsed!.payload, parsed!.vc)
      const accreditation = outcome.steps.find((s) => s.step === 'accreditation')
      return day
        ? [
            {
              index: outcome.index,
              type: outcome.milestoneType!,
              claims: parsed!.vc.credentialSubject,
              issuedOn: day,
              issuerState: stateOfJurisdiction(accreditation?.details.jurisdiction),
            },
          ]
        : []
    })
  const asOf = input.asOf ?? dayIn(ctx.timeZone, ctx.now)
  const dublin = assessFromCredentials(sources, {
    asOf,
    ...(input.verifierState ? { verifierState: input.verifierState } : {}),
    ...(input.dublin ? { dublin: input.dublin } : {}),
    declaredFacts: input.declaredFacts ?? [],
    completeChain: input.completeChain ?? [],
    ...(isPresentation ? { chain: presentedChain(members, verified, consistency) } : {}),
  })
  presentationSteps.push(dublin.result)

  // The verdict: every credential step, and for a presentation holder binding and case consistency;
  // subject binding only when the officer entered a reference. The Dublin assessment informs.
  const counted = [
    ...credentials.flatMap((c) => c.steps),
    ...presentationSteps.filter(
      (s) =>
        (isPresentation && (s.step === 'holder-binding' || s.step === 'case-consistency')) ||
        (s.step === 'subject-binding' && input.eurodacReference !== undefined && input.eurodacReference !== ''),
    ),
  ]
  const ordered = [...credentials.flatMap((c) => c.steps), ...presentationSteps].filter((s) => counted.includes(s))
  return {
    kind: isPresentation ? 'presentation' : 'credential',
    verdict: credentials.length === 0 ? 'invalid' : verdictOf(counted),
    failingStep: credentials.length === 0 ? 'case-consistency' : firstNotPassed(ordered),
    credentials,
    presentationSteps,
    facts: dublin.facts,
    assessment: dublin.assessment,
    dublin: {
      asOf,
      timeZone: ctx.timeZone,
      verifierState: input.verifierState ?? null,
      verifierRole: dublin.verifierRole,
      declaredFacts: input.declaredFacts ?? [],
      completeChain: dublin.completeChain,
      unusedAttestations: dublin.unusedAttestations,
    },
    checkedAt: ctx.now.toISOString(),
  }
}

/**
 * The presented chain in chain order (from the case's first credential to its head), and whether it
 * is unbroken: case consistency passed with one first credential, every credential is chained, and
 * every credential verified — a credential that failed cannot vouch for what the chain holds.
 */
function presentedChain(
  members: readonly ChainMember[],
  verified: readonly { outcome: CredentialOutcome; parsed: ParsedCredential | undefined }[],
  consistency: StepResult,
): { links: ChainLink[]; unbroken: boolean } {
  const firsts = (consistency.details.firstMilestones as number[] | undefined) ?? []
  const unbroken =
    consistency.outcome === 'passed' &&
    firsts.length === 1 &&
    consistency.details.unchained === 0 &&
    members.length === verified.length &&
    verified.every((v) => v.outcome.verdict === 'valid' && v.outcome.milestoneType)
  if (!unbroken) return { links: [], unbroken: false }
  const next = new Map<string, ChainMember[]>()
  for (const m of members) if (m.previousHash) next.set(m.previousHash, [...(next.get(m.previousHash) ?? []), m])
  // breadth first from the first credential: a superseding credential names the same predecessor as
  // the one it replaces, so both are links; the head comes last
  const order: ChainMember[] = []
  const queue = members.filter((m) => m.index === firsts[0])
  while (queue.length && order.length < members.length) {
    const current = queue.shift()!
    order.push(current)
    queue.push(...(next.get(current.hash) ?? []))
  }
  const links = order.flatMap((m) => {
    const { outcome, parsed } = verified[m.index]!
    const issuedOn = parsed ? issuedOnOf(parsed.payload, parsed.vc) : undefined
    if (!issuedOn || !outcome.milestoneType) return []
    const accreditation = outcome.steps.find((s) => s.step === 'accreditation')
    return [{ type: outcome.milestoneType, issuedOn, issuerState: stateOfJurisdiction(accreditation?.details.jurisdiction) }]
  })
  return { links, unbroken: links.length === verified.length }
}
