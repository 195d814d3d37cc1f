import type { MessageKey } from './i18n/messages.ts'
import type { AbsenceEvent, CredentialState, DublinState } from './timeline.ts'

export const stageKey: Record<string, MessageKey> = {
  none: 'stageNone',
  UNKNOWN: 'stageUnknown',
  ARRIVAL: 'stageArrival',
  REGISTRATION: 'stageRegistration',
  APPLICATION: 'stageApplication',
  RESPONSIBILITY_DETERMINATION: 'stageResponsibility',
  DETENTION: 'stageDetention',
  DECISION: 'stageDecision',
  REMEDY: 'stageRemedy',
  TRANSFER: 'stageTransfer',
  ALLOCATION: 'stageAllocation',
}
export const stageOrder = [
  'ARRIVAL',
  'REGISTRATION',
  'APPLICATION',
  'RESPONSIBILITY_DETERMINATION',
  'DETENTION',
  'DECISION',
  'REMEDY',
  'TRANSFER',
  'ALLOCATION',
  'none',
]

export const dublinKey: Record<DublinState, MessageKey> = {
  none: 'dublinStateNone',
  'eurodac-hit': 'dublinStateHit',
  'request-sent': 'dublinStateRequest',
  accepted: 'dublinStateAccepted',
  rejected: 'dublinStateRejected',
  'transfer-decided': 'dublinStateDecided',
  transferred: 'dublinStateTransferred',
}

/** Labels of the engine's statuses (DUBLIN_STATUSES of @flora/credentials). */
export const dublinStatusKey: Record<string, MessageKey> = {
  AWAITING_REQUEST: 'dublinStatusAwaitingRequest',
  AWAITING_REPLY: 'dublinStatusAwaitingReply',
  REEXAMINATION_POSSIBLE: 'dublinStatusReexaminationPossible',
  REQUEST_TIME_BARRED: 'dublinStatusRequestTimeBarred',
  TRANSFER_PENDING: 'dublinStatusTransferPending',
  TRANSFER_EXECUTED: 'dublinStatusTransferExecuted',
  TRANSFER_EXECUTED_LATE: 'dublinStatusTransferExecutedLate',
  TRANSFER_DEADLINE_EXPIRED: 'dublinStatusTransferDeadlineExpired',
  REEXAMINATION_CLOSED_NO_REPLY: 'dublinStatusReexaminationClosedNoReply',
  REJECTED_FINAL: 'dublinStatusRejectedFinal',
  INSUFFICIENT_EVIDENCE: 'dublinStatusInsufficientEvidence',
}

/** "No <event> up to and including {day}" per event an absence is about. */
export const absenceKey: Record<AbsenceEvent, MessageKey> = {
  reply: 'absenceReply',
  reexaminationReply: 'absenceReexaminationReply',
  extension: 'absenceExtension',
  suspensiveEffect: 'absenceSuspensiveEffect',
  transfer: 'absenceTransfer',
  other: 'absenceOther',
}

/** Labels of the dates of an assessment (its YYYY-MM-DD fields). */
export const assessmentDateKey: Record<string, MessageKey> = {
  lodgingDateForDublin: 'dateLodgingDateForDublin',
  registrationDate: 'dateRegistrationDate',
  requestDeadline: 'dateRequestDeadline',
  requestDeadlineFromLodging: 'dateRequestDeadlineFromLodging',
  requestDeadlineFromHit: 'dateRequestDeadlineFromHit',
  requestDeadlineFromDetention: 'dateRequestDeadlineFromDetention',
  replyDeadline: 'dateReplyDeadline',
  deemedAcceptedFrom: 'dateDeemedAcceptedFrom',
  transferDecisionDeadline: 'dateTransferDecisionDeadline',
  transferPeriodStart: 'dateTransferPeriodStart',
  transferDeadline: 'dateTransferDeadline',
  transferDeadlineFromAcceptance: 'dateTransferDeadlineFromAcceptance',
  transferDeadlineBeforeExtension: 'dateTransferDeadlineBeforeExtension',
  reexaminationRequestDeadline: 'dateReexaminationRequestDeadline',
  reexaminationReplyDeadline: 'dateReexaminationReplyDeadline',
  detentionTransferDeadline: 'dateDetentionTransferDeadline',
  verifierTakeBackRequestDeadline: 'dateVerifierTakeBackRequestDeadline',
  statusAsOf: 'dateStatusAsOf',
  requestingStateResponsibleFrom: 'dateRequestingStateResponsibleFrom',
}

export const stateKey: Record<CredentialState, MessageKey> = {
  valid: 'stateValid',
  suspended: 'stateSuspended',
  revoked: 'stateRevoked',
  offered: 'stateOffered',
  unknown: 'stateUnknown',
}

export const outcomeKey: Record<string, MessageKey> = {
  passed: 'outcomePassed',
  failed: 'outcomeFailed',
  pending: 'outcomePending',
  'not-established': 'outcomeNotEstablished',
}

export const stepKey: Record<string, MessageKey> = {
  'jwt-header': 'stepJwtHeader',
  'issuer-signature': 'stepIssuerSignature',
  'validity-window': 'stepValidityWindow',
  schema: 'stepSchema',
  accreditation: 'stepAccreditation',
  status: 'stepStatus',
  anchoring: 'stepAnchoring',
  'holder-binding': 'stepHolderBinding',
  'case-consistency': 'stepCaseConsistency',
  'subject-binding': 'stepSubjectBinding',
  dublin: 'stepDublin',
}

export const verdictKey: Record<string, MessageKey> = {
  valid: 'verdictValid',
  invalid: 'verdictInvalid',
  indeterminate: 'verdictIndeterminate',
}

export const requestStatusKey: Record<string, MessageKey> = {
  created: 'reqStatusCreated',
  fetched: 'reqStatusFetched',
  answered: 'reqStatusAnswered',
  failed: 'reqStatusFailed',
  expired: 'reqStatusExpired',
}

/** Date and time in the reader's language, in UTC+local as the browser would not know the server's zone. */
export function formatDateTime(iso: string | null | undefined, lang: string): string {
  if (!iso) return '–'
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Berlin' }).format(date)
}

export function formatDate(iso: string | null | undefined, lang: string): string {
  if (!iso) return '–'
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso}T12:00:00Z` : iso)
  if (Number.isNaN(date.getTime())) return iso
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: 'Europe/Berlin' }).format(date)
}

/** A short, stable display form of a case id. */
export const shortId = (id: string) => id.slice(0, 8)
