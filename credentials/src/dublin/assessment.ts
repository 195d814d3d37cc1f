// The output of the assessment. Every date is the LAST day on which the act is still in time.
import type { IsoDate } from '../calendar/iso-date.ts'
import type { ExtensionGround } from './facts.ts'
import type { ResolvedDublinOptions } from './options.ts'
import type { RuleSetId } from './rule-sets.ts'

export const DUBLIN_STATUSES = [
  'AWAITING_REQUEST',
  'AWAITING_REPLY',
  'REEXAMINATION_POSSIBLE',
  'REQUEST_TIME_BARRED',
  'TRANSFER_PENDING',
  'TRANSFER_EXECUTED',
  'TRANSFER_EXECUTED_LATE',
  'TRANSFER_DEADLINE_EXPIRED',
  'REEXAMINATION_CLOSED_NO_REPLY',
  'REJECTED_FINAL',
  'INSUFFICIENT_EVIDENCE',
] as const
export type DublinStatus = (typeof DUBLIN_STATUSES)[number]

/** One derived value with its legal basis and, for dates, the calculation (start, rule, result). */
export type ExplanationEntry = {
  /** The output field (or topic) explained. */
  subject: string
  date?: IsoDate
  value?: string | boolean | null
  basis: string
  calculation?: { start: IsoDate; startEvent: string; rule: string; result: IsoDate }
  /** Whose non-working days were considered for this date, and the calendar version. */
  calendar?: string
  note?: string
  /** Version of the rule set or calendar the entry rests on. */
  version?: string
  /** Set where the law is unsettled for this case and a person must check the outcome. */
  manualReview?: true
}

/** The assessment of one Dublin case; fields that do not apply are omitted. */
export type DublinAssessment = {
  ruleSet: RuleSetId | null
  lodgingDateForDublin?: IsoDate
  registrationDate?: IsoDate
  requestDeadline?: IsoDate
  requestDeadlineFromLodging?: IsoDate
  requestDeadlineFromHit?: IsoDate
  requestDeadlineFromDetention?: IsoDate
  requestTimely?: boolean
  replyDeadline?: IsoDate
  acceptanceType?: 'explicit' | 'implicit' | null
  /**
   * AMMR take back notification left unanswered: `acceptanceType: 'implicit'` is then a deemed
   * confirmation of receipt (AMMR Art. 41(4)), not an acceptance; labels must not say "accepted".
   */
  deemedConfirmationOfReceipt?: true
  deemedAcceptedFrom?: IsoDate
  transferDecisionDeadline?: IsoDate
  transferPeriodStart?: IsoDate
  transferDeadline?: IsoDate
  transferDeadlineFromAcceptance?: IsoDate
  transferDeadlineBeforeExtension?: IsoDate
  /** The transfer deadline is known only at the earliest (extension or suspensive effect unknown). */
  transferDeadlineIsLowerBound?: true
  /** The transfer deadline is counted from an explicit acceptance whose request date is unknown. */
  transferDeadlineIsUpperBound?: true
  extensionApplied?: ExtensionGround | null
  reexaminationRequestDeadline?: IsoDate
  reexaminationTimely?: boolean
  reexaminationReplyDeadline?: IsoDate
  detentionTransferDeadline?: IsoDate
  detentionMustEnd?: boolean
  mustOfferNewApplication?: boolean
  verifierTakeBackRequestDeadline?: IsoDate
  status?: DublinStatus
  /** The day the status rests on, when an absence is established only up to a day before asOf. */
  statusAsOf?: IsoDate
  missingFacts: string[]
  responsibleState: string | null
  responsibilityShifted: boolean
  requestingStateResponsibleFrom?: IsoDate
  options: ResolvedDublinOptions
  explanation: ExplanationEntry[]
}
