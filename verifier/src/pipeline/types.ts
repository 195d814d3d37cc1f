import type { TrustReaders } from '../trust/readers.ts'

/** The steps of the verification pipeline, in DESIGN §7's order. */
export const stepNames = [
  'jwt-header',
  'issuer-signature',
  'validity-window',
  'schema',
  'accreditation',
  'status',
  'anchoring',
  'holder-binding',
  'case-consistency',
  'subject-binding',
  'dublin',
] as const

export type StepName = (typeof stepNames)[number]

/** passed; failed; pending (anchoring batch not yet on the ledger); not-established (could not be checked). */
export type StepOutcome = 'passed' | 'failed' | 'pending' | 'not-established'

/** The named result of one step. `reason` is a stable code the report translates. */
export interface StepResult {
  step: StepName
  outcome: StepOutcome
  reason: string
  details: Record<string, unknown>
}

export const stepResult = (
  step: StepName,
  outcome: StepOutcome,
  reason: string,
  details: Record<string, unknown> = {},
): StepResult => ({ step, outcome, reason, details })

/** Which trust anchor is accepted, optionally only for some types and jurisdictions. */
export interface TrustAnchorPolicy {
  did: string
  /** Credential types this anchor is trusted for (all when absent). */
  types?: string[]
  /** Jurisdictions (e.g. https://publications.europa.eu/resource/authority/atu/DEU) accepted under it. */
  jurisdictions?: string[]
}

/** Everything a step may depend on besides its input: readers, clock and policy. */
export interface PipelineContext {
  readers: TrustReaders
  now: Date
  /** Origin of the ledger: TSR, TIR and TIR-proxy URLs must lie on it. */
  ledgerOrigin: string
  trustAnchors: TrustAnchorPolicy[]
  /** How long a credential may stay unanchored and still be "pending" rather than "failed". */
  anchoringPendingSeconds: number
  /** The DIDs or addresses that may have anchored a root; empty: no root is accepted. */
  trustedAnchorers: readonly string[]
  /** The configured status max-age (shown with the status age). */
  statusMaxAgeSeconds: number
  /** The verifier's IANA time zone: its "today", the default asOf of a verification. */
  timeZone: string
}

/** A credential after the jwt-header step: the parts later steps read. */
export interface ParsedCredential {
  token: string
  header: Record<string, unknown>
  payload: Record<string, unknown>
  vc: Record<string, unknown>
  issuer: string
  kid: string
  subject: string | undefined
  types: string[]
  signingInput: string
  signature: Buffer
}
