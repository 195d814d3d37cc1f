// The seam between the shared procedure (request → reply → re-examination → transfer) and what each
// rule set says about it. Dublin III and the AMMR implement this interface in their own modules.
import type { IsoDate } from '../calendar/iso-date.ts'
import type { Period } from '../calendar/periods.ts'
import type { DublinFacts, EurodacHit, ExtensionGround } from './facts.ts'
import type { ResolvedDublinOptions } from './options.ts'
import type { RuleSetId } from './rule-sets.ts'

/** A period with its start and legal basis, ready to be computed and explained. */
export type PeriodSpec = {
  readonly from: IsoDate
  /** Which fact or derived date the period runs from (`applicationLodged`, `replyDeadline`, …). */
  readonly fromLabel: string
  readonly period: Period
  readonly basis: string
  readonly note?: string
}

/** A limit without its start, which the shared procedure supplies. */
export type PeriodRule = { readonly period: Period; readonly basis: string; readonly note?: string }

/** The case as the procedure sees it, after rule-set selection. */
export type CaseContext = {
  readonly facts: DublinFacts
  readonly options: ResolvedDublinOptions
  readonly ruleSet: RuleSetId
  /** Under the AMMR every take back is a notification, so TBR and TBR_ART24 become TBN. */
  readonly requestType: DublinFacts['requestType']
  /** Lodging (Dublin III, Art. 20(2)) or registration (AMMR, Art. 39(1)). */
  readonly applicationDate?: IsoDate
  readonly applicationDateLabel: string
  /** Receipt of the request: `requestReceived`, else the DubliNet acknowledgement = `requestSent`. */
  readonly requestReceived?: IsoDate
  /** The Eurodac hit if it happened (`null`, `{ notBy }` and unknown all leave it undefined here). */
  readonly eurodacHit?: EurodacHit
  /** The day the request was sent, if it was (known). */
  readonly requestSent?: IsoDate
}

/** Output keys of the components of the request deadline. */
export type RequestComponentKey =
  | 'requestDeadlineFromLodging'
  | 'requestDeadlineFromHit'
  | 'requestDeadlineFromAwareness'

/** What missing the request deadline does to responsibility. */
export type LateRequestEffect =
  | { kind: 'requestingStateResponsible'; basis: string }
  | { kind: 'offerNewApplication'; basis: string }
  | { kind: 'none'; basis: string }

/** What a rule set says about each step. */
export interface ProceduralRules {
  readonly id: RuleSetId
  /** The counting article, cited in every calculation. */
  readonly counting: string
  /** Whether a deadline ending on a non-working day moves to the next working day. */
  rollsForward(options: ResolvedDublinOptions): boolean
  /** Basis of the roll-forward when it applies. */
  readonly rollForwardBasis: string
  /** Periods for the request; the request deadline is the earliest of them. */
  requestComponents(c: CaseContext): { key: RequestComponentKey; spec: PeriodSpec }[]
  /** Basis of taking the earliest component, when there are several. */
  readonly earliestComponentBasis: string
  /** The detention request limit, if the person is detained; missing it ends detention only. */
  detentionRequest(c: CaseContext): PeriodSpec | undefined
  lateRequestEffect(c: CaseContext): LateRequestEffect
  replyPeriod(c: CaseContext): PeriodRule
  /** Basis of the acceptance (or confirmation) fiction on silence. */
  silenceBasis(c: CaseContext): string
  reexaminationRequest(c: CaseContext): PeriodRule
  reexaminationReply(c: CaseContext): PeriodRule
  transferDecision(): PeriodRule | undefined
  transfer(): PeriodRule
  /** Extension for a ground, or undefined when the rule set knows no such ground. */
  extension(ground: ExtensionGround): PeriodRule | undefined
  readonly extensionNoticeBasis: string
  detentionTransfer(): PeriodRule
  readonly transferExpiryBasis: string
  readonly suspensiveEffectBasis: string
  /** Basis and reading for the take back deadline of a third-state verifier. */
  verifierTakeBack(hit: IsoDate | undefined, application: IsoDate | undefined): PeriodSpec | undefined
}

/** Whether a Eurodac hit is one that shortens take charge periods (irregular crossing, cat. 2). */
export function isTakeChargeHit(c: CaseContext): boolean {
  return c.eurodacHit?.category === 2
}

/** Whether detention rules apply to the request/reply (detained, and not only after receipt). */
export function detainedAtRequest(c: CaseContext): boolean {
  const { detained, detainedFrom } = c.facts
  if (detained !== true) return false
  return !detainedFrom || !c.requestReceived || detainedFrom <= c.requestReceived
}
