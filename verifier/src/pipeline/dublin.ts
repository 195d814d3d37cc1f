import {
  assembleDublinFacts,
  assessDublinCase,
  completeChainAbsences,
  type DublinAssessment,
  type DublinAssessmentOptions,
  isAbsenceMilestone,
  isMilestoneType,
} from '@flora/credentials'
import type { CompleteChainJurisdiction } from '../config.ts'
import { type DeclaredFact, declarationsOutsideRole, type VerifierRole } from './declared-facts.ts'
import { type StepResult, stepResult } from './types.ts'

/** A verified, current milestone credential the facts come from. */
export interface FactSource {
  index: number
  type: string
  claims: unknown
  /** Its issuance day (UTC, as the issuer reads it). */
  issuedOn: string
  /**
   * ISO 3166 alpha-2 state of the issuer's accredited jurisdiction; undefined when unknown. Read for
   * absence attestations, which only the requesting state's authorities may issue.
   */
  issuerState?: string | undefined
}

/** Why an absence attestation's facts were not used. */
export type UnusedAttestationReason =
  /** its issuer is accredited for another state than the case's requesting state */
  | 'issuer-not-of-requesting-state'
  /** its issuer's accreditation names no jurisdiction of a state bound by the Dublin rules */
  | 'issuer-state-unknown'
  /** no credential names the case's requesting state unambiguously */
  | 'requesting-state-unknown'

/** A verified absence attestation whose facts the assessment does not use, and why. */
export interface UnusedAttestation {
  credential: number
  type: string
  issuerState: string | null
  requestingState: string | null
  reason: UnusedAttestationReason
}

/** One credential of the presented chain, for the complete-chain policy. */
export interface ChainLink {
  type: string
  issuedOn: string
  /** ISO 3166 alpha-2 state of the issuer's accredited jurisdiction; undefined when unknown. */
  issuerState: string | undefined
}

/** Where a fact comes from (contract §3). */
export type FactOrigin = 'credential' | 'absence-attestation' | 'complete-chain' | 'declared-by-verifier'

/** One fact with its source: the credential(s), an absence up to a day, the chain, or the officer. */
export interface EstablishedFact {
  fact: string
  value: unknown
  source: FactOrigin
  /** Indexes of the credentials it rests on (for a complete chain: none; the chain as a whole). */
  credentials: number[]
  /** For an absence: the last day up to which it is established. */
  absentThrough?: string
  /** For a complete chain: the rule it rests on. */
  basis?: string
}

/** The complete-chain policy as applied to this case. */
export interface CompleteChainUse {
  /** The configured jurisdictions (FLORA_VERIFIER_COMPLETE_CHAIN); empty: off. */
  policy: CompleteChainJurisdiction[]
  /** Whether the presented chain qualified (unbroken from the case's first credential to its head). */
  chainUnbroken: boolean
  /** The absences the chain established (each also in `facts` with source "complete-chain"). */
  absences: { fact: string; notBy: string; basis: string }[]
}

/** Everything the Dublin step needs besides the credentials. */
export interface DublinInput {
  asOf: string
  verifierState?: string
  declaredFacts?: readonly DeclaredFact[]
  completeChain?: readonly CompleteChainJurisdiction[]
  /** The presented chain in chain order, and whether it is unbroken from the first credential. */
  chain?: { links: ChainLink[]; unbroken: boolean }
  dublin?: DublinAssessmentOptions
}

/** The Dublin part of the outcome: the step, the facts with their sources, the assessment. */
export interface DublinOutcome {
  result: StepResult
  facts: EstablishedFact[]
  assessment: DublinAssessment | undefined
  verifierRole: VerifierRole | null
  completeChain: CompleteChainUse
  /** Absence attestations set aside (contract §3(a): only the requesting state's authorities attest). */
  unusedAttestations: UnusedAttestation[]
}

/** The API's dotted names (`reexamination.reply`) as the catalogue's JSON pointers. */
export const pointerOf = (fact: string) => `/${fact.replaceAll('.', '/')}`

/**
 * Step 11, Dublin: the facts of the case from verified, not superseded milestone credentials, absence
 * attestations, a complete chain where the trust policy allows it and the officer's declarations
 * about the verifier's own state's acts — each with its source (a fact nothing establishes stays
 * unknown; nothing is guessed) — then `assessDublinCase` as of `asOf`.
 */
export function assessFromCredentials(sources: readonly FactSource[], options: DublinInput): DublinOutcome {
  try {
    return assembleAndAssess(sources, options)
  } catch (error) {
    // the API and the pipeline validate what they pass; should the assembly still refuse an input,
    // the case is not assessed rather than the request failing
    if (!(error instanceof TypeError)) throw error
    return {
      result: stepResult('dublin', 'not-established', 'facts-incomplete', { message: error.message }),
      facts: [],
      assessment: undefined,
      verifierRole: null,
      completeChain: { policy: [...(options.completeChain ?? [])], chainUnbroken: Boolean(options.chain?.unbroken), absences: [] },
      unusedAttestations: [],
    }
  }
}

/**
 * The absence attestations whose issuer is not an authority of the case's requesting state. Every
 * absence type is attested by the requesting state's side (contract §3(a)): its Dublin unit for the
 * reply, re-examination reply and extension (it runs the DubliNet access point and so knows what
 * reached it), the authority party to the proceedings for suspensive effect, the authority that
 * transfers for the transfer. Another state's unit cannot know that no reply reached Germany's access
 * point; an Italian unit's "no reply" in a German request to France proves nothing. The requesting
 * state is read from the credentials that are not absence attestations (an attestation cannot make
 * its own issuer the requesting state); only when none names it, from all of them.
 */
export function unusableAttestations(sources: readonly FactSource[], asOf: string): UnusedAttestation[] {
  const isAttestation = (s: FactSource) => isMilestoneType(s.type) && isAbsenceMilestone(s.type)
  const attestations = sources.filter(isAttestation)
  if (!attestations.length) return []
  const requestingStateOf = (from: readonly FactSource[]) => {
    const value = (assembleDublinFacts({ asOf, sources: [...from] }).facts as { requestingState?: unknown }).requestingState
    return typeof value === 'string' ? value : undefined
  }
  const requestingState = requestingStateOf(sources.filter((s) => !isAttestation(s))) ?? requestingStateOf(sources)
  return attestations.flatMap((s): UnusedAttestation[] => {
    const reason: UnusedAttestationReason | undefined =
      s.issuerState === undefined
        ? 'issuer-state-unknown'
        : requestingState === undefined
          ? 'requesting-state-unknown'
          : s.issuerState !== requestingState
            ? 'issuer-not-of-requesting-state'
            : undefined
    return reason
      ? [{ credential: s.index, type: s.type, issuerState: s.issuerState ?? null, requestingState: requestingState ?? null, reason }]
      : []
  })
}

function assembleAndAssess(presented: readonly FactSource[], options: DublinInput): DublinOutcome {
  const declared = options.declaredFacts ?? []
  const policy = [...(options.completeChain ?? [])]
  const unusedAttestations = unusableAttestations(presented, options.asOf)
  const unused = new Set(unusedAttestations.map((u) => u.credential))
  // the assembly sees only what the facts may rest on; the step's details say what was set aside
  const sources = presented
    .filter((s) => !unused.has(s.index))
    .map(({ index, type, claims, issuedOn }) => ({ index, type, claims, issuedOn }))
  const notice = unusedAttestations.length ? { unusedAttestations } : {}
  const base = assembleDublinFacts({ asOf: options.asOf, sources: [...sources] })
  const states = base.facts as { requestingState?: unknown; requestedState?: unknown }
  const requestingState = typeof states.requestingState === 'string' ? states.requestingState : undefined
  const requestedState = typeof states.requestedState === 'string' ? states.requestedState : undefined
  const verifierRole: VerifierRole | null =
    options.verifierState === undefined
      ? null
      : options.verifierState === requestingState
        ? 'requesting'
        : options.verifierState === requestedState
          ? 'requested'
          : null
  const chainUnbroken = Boolean(options.chain?.unbroken)
  const absences =
    policy.length && chainUnbroken && options.chain
      ? completeChainAbsences({
          chain: options.chain.links.map((l) => ({ type: l.type, issuedOn: l.issuedOn, issuerState: l.issuerState ?? '' })),
          chainUnbroken,
          ...(requestingState ? { requestingState } : {}),
          policy,
        })
      : []
  const completeChain: CompleteChainUse = { policy, chainUnbroken, absences: absences.map((a) => ({ ...a })) }

  // Which party the verifier is shows only in the credentials: a declaration for a role it does not
  // hold cannot be used, and the assessment without it would be silently different from what the
  // officer asked for.
  const refused = declarationsOutsideRole(declared, verifierRole ?? undefined)
  if (refused.length)
    return {
      result: stepResult('dublin', 'not-established', 'declaration-outside-role', {
        verifierState: options.verifierState ?? null,
        verifierRole,
        requestingState: requestingState ?? null,
        requestedState: requestedState ?? null,
        refused: refused.map((d) => d.fact),
        ...notice,
      }),
      facts: provenanceOf(base.provenance),
      assessment: undefined,
      verifierRole,
      completeChain,
      unusedAttestations,
    }

  const assembled =
    declared.length || absences.length
      ? assembleDublinFacts({
          asOf: options.asOf,
          sources: [...sources],
          ...(absences.length ? { chainAbsences: absences } : {}),
          ...(declared.length ? { declared: declared.map((d) => ({ fact: pointerOf(d.fact), value: d.value })) } : {}),
        })
      : base
  const facts = provenanceOf(assembled.provenance)
  if (assembled.conflicts.length)
    return {
      result: stepResult('dublin', 'not-established', 'facts-conflict', { conflicts: assembled.conflicts, ...notice }),
      facts,
      assessment: undefined,
      verifierRole,
      completeChain,
      unusedAttestations,
    }
  const input: Record<string, unknown> = { ...(assembled.facts as Record<string, unknown>), asOf: options.asOf }
  if (options.verifierState && requestingState !== undefined && verifierRole === null)
    input.verifier = { state: options.verifierState }
  // The assessment is a pure function of its input (facts, asOf, declarations included in them, and
  // the options): the same case presented again on the same day reuses it.
  const memoKey = `${JSON.stringify(input)}|${JSON.stringify(options.dublin ?? {})}`
  let memo = assessments.get(memoKey)
  if (!memo) {
    memo = assess(input, options.dublin)
    if (assessments.size > 2000) assessments.clear()
    assessments.set(memoKey, memo)
  }
  const result = unusedAttestations.length ? { ...memo.result, details: { ...memo.result.details, ...notice } } : memo.result
  return { ...memo, result, facts, verifierRole, completeChain, unusedAttestations }
}

const assessments = new Map<string, ReturnType<typeof assess>>()

function provenanceOf(provenance: ReturnType<typeof assembleDublinFacts>['provenance']): EstablishedFact[] {
  return provenance.map((p) => {
    const entry = p as typeof p & { basis?: string; absentThrough?: string }
    return {
      fact: entry.fact,
      value: entry.value,
      source: entry.source,
      credentials: [...entry.credentials],
      ...(entry.absentThrough ? { absentThrough: entry.absentThrough } : {}),
      ...(entry.basis ? { basis: entry.basis } : {}),
    }
  })
}

function assess(input: Record<string, unknown>, dublin: DublinAssessmentOptions | undefined) {
  try {
    const assessment = assessDublinCase(input, dublin)
    return {
      result: stepResult('dublin', 'passed', assessment.status === 'INSUFFICIENT_EVIDENCE' ? 'insufficient-evidence' : 'ok', {
        ruleSet: assessment.ruleSet,
        status: assessment.status ?? null,
        ...((assessment as { statusAsOf?: string }).statusAsOf
          ? { statusAsOf: (assessment as { statusAsOf?: string }).statusAsOf }
          : {}),
        missingFacts: assessment.missingFacts,
      }),
      assessment,
    }
  } catch (error) {
    return {
      result: stepResult('dublin', 'not-established', 'facts-incomplete', { message: (error as Error).message }),
      assessment: undefined,
    }
  }
}
