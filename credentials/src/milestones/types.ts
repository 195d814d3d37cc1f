/** Types of the milestone catalogue. Data only; the catalogue entries in `catalogue/` use them. */

import type { AuthorityRole } from './roles.ts'

/** A text in the three working languages of the pilot. */
export interface LocalizedText {
  readonly de: string
  readonly fr: string
  readonly en: string
}

/** Stages of the asylum procedure in the order a case normally passes them. */
export const procedureStages = [
  'ARRIVAL',
  'REGISTRATION',
  'APPLICATION',
  'RESPONSIBILITY_DETERMINATION',
  'DETENTION',
  'DECISION',
  'REMEDY',
  'TRANSFER',
  'ALLOCATION',
] as const

/** The procedure stage a milestone belongs to. */
export type ProcedureStage = (typeof procedureStages)[number]

/** A JSON Schema (2020-12) object, kept structurally open. */
export type JsonSchema = { readonly [keyword: string]: unknown }

/**
 * Fact paths of the Dublin assessment input (issue 4, "Facts"), as JSON pointers. Facts that never
 * come from a milestone credential (`officialHolidays`, `verifier`, `asOf`) are not listed.
 */
export const dublinFactPaths = [
  '/requestingState',
  '/requestedState',
  '/requestType',
  '/applicationLodged',
  '/applicationRegistered',
  '/asylumRequestRecordReachedBamf',
  '/formalApplicationAtBamf',
  '/apprehendedIrregularStay',
  '/eurodacHit/category',
  '/eurodacHit/received',
  '/eurodacHit/searchCategory',
  '/eurodacHit/recordedUnder',
  '/eurodacHit/responsibleIndicated',
  '/requestSent',
  '/requestReceived',
  '/requestBasis',
  '/urgent/requested',
  '/urgent/ground',
  '/urgent/requestedReplyBy',
  '/detained',
  '/detainedFrom',
  '/unaccompaniedMinor/bestInterestsContinuation',
  '/unaccompaniedMinor/firstDecisionOnSubstance',
  '/reply/type',
  '/reply/received',
  '/reply/notBy',
  '/reexamination/requestSent',
  '/reexamination/reply/type',
  '/reexamination/reply/received',
  '/reexamination/reply/notBy',
  '/transferDecisionServed',
  '/appeal/actionFiled',
  '/appeal/urgentApplicationFiled',
  '/appeal/suspensiveEffect',
  '/appeal/suspensiveEffectOrdered',
  '/appeal/suspensiveEffectEnded',
  '/appeal/notBy',
  '/authoritySuspension/from',
  '/authoritySuspension/to',
  '/authoritySuspension/reason',
  '/absconded/from',
  '/absconded/established',
  '/imprisoned/from',
  '/imprisoned/to',
  '/extensionNotified/date',
  '/extensionNotified/ground',
  '/extensionNotified/notBy',
  '/transferExecuted',
  '/transferExecuted/notBy',
] as const

/**
 * The fact paths an absence attestation writes: `{ notBy }` of an event fact (see
 * docs/DUBLIN-ABSENCE.md §1). Only types with `attests: 'absence'` may feed them, and only from
 * `/milestoneDate`, so the as-of day of the attestation is the day the absence is established up to.
 */
export const absenceFactPaths = [
  '/reply/notBy',
  '/reexamination/reply/notBy',
  '/appeal/notBy',
  '/extensionNotified/notBy',
  '/transferExecuted/notBy',
] as const satisfies readonly (typeof dublinFactPaths)[number][]

/** A Dublin-assessment fact, as a JSON pointer into the facts object. */
export type DublinFactPath = (typeof dublinFactPaths)[number]

/**
 * How a milestone feeds one Dublin-assessment fact. Declarative, so that a verifier maps any
 * catalogue credential to facts with one generic function:
 * - `{ fact, from }`: copy the claim at JSON pointer `from` (relative to credentialSubject) to `fact`;
 *   nothing is assigned when the claim is absent.
 * - `{ fact, from, default }`: as `{ fact, from }`, but an absent claim assigns `default`. Only for a
 *   claim whose absence itself says something: a request credential states the request as sent, so a
 *   request without the urgency or detention mark was sent as a non-urgent, non-detention request.
 *   The default must be a valid value of the claim (the catalogue check enforces it).
 * - `{ fact, value }`: presenting the milestone establishes `fact` = `value`.
 */
export type FactMapping =
  | { readonly fact: DublinFactPath; readonly from: string; readonly default?: string | number | boolean }
  | { readonly fact: DublinFactPath; readonly value: string | number | boolean }

/** Milestone-specific claims: JSON Schema `properties` plus `required`, merged with the common members. */
export interface MilestoneClaimsDefinition {
  readonly properties: { readonly [name: string]: JsonSchema }
  readonly required: readonly string[]
}

/** One entry of the milestone catalogue. Adding a milestone type is adding one of these. */
export interface MilestoneDefinition {
  /** Credential type, PascalCase, ending in `Milestone`; the third entry of the VC `type` array. */
  readonly type: `${string}Milestone`
  /** Schema version; bump on any change of the claims, since the TSR registers a new schema. */
  readonly version: number
  readonly stage: ProcedureStage
  readonly title: LocalizedText
  /** One sentence (en) on what the credential attests. */
  readonly description: string
  /** What `milestoneDate` means for this type (en). */
  readonly milestoneDateMeaning: string
  /** Legal basis of the step (informative). */
  readonly legalBasis: readonly string[]
  /** Authority roles that may issue the type; the TIR accreditation (`accreditedFor`) enforces it. */
  readonly issuableBy: readonly AuthorityRole[]
  /**
   * `'absence'`: the credential attests that an event did **not** happen up to and including its
   * `milestoneDate` (the as-of day), rather than recording an event. UIs label it so, the issuer
   * refuses an as-of day after the issuance day, and the fact assembly treats it as `{ notBy }`.
   */
  readonly attests?: 'absence'
  /** Health-related step: its specific claims may only be booleans and dates (GDPR Art. 9). */
  readonly healthRelated?: boolean
  readonly claims: MilestoneClaimsDefinition
  /** Dublin-assessment facts the milestone feeds (may be empty). */
  readonly feeds: readonly FactMapping[]
}
