/**
 * The milestone catalogue data: one file per milestone, collected in this one list, in procedure order.
 * Adding a milestone type = one new file here + one line below (and a fixture in the tests).
 */

import { absconding } from './absconding.ts'
import { allocation } from './allocation.ts'
import { appeal } from './appeal.ts'
import { applicationRegistered } from './application-registered.ts'
import { arrivalCertificate } from './arrival-certificate.ts'
import { asylumDecision } from './asylum-decision.ts'
import { asylumRequestRecordReachedBamf } from './asylum-request-record-reached-bamf.ts'
import { asylumRequestReferral } from './asylum-request-referral.ts'
import { detentionEnd } from './detention-end.ts'
import { detentionStart } from './detention-start.ts'
import { dublinReexaminationReply } from './dublin-reexamination-reply.ts'
import { dublinReexaminationReplyAbsence } from './dublin-reexamination-reply-absence.ts'
import { dublinReexaminationRequest } from './dublin-reexamination-request.ts'
import { dublinReply } from './dublin-reply.ts'
import { dublinReplyAbsence } from './dublin-reply-absence.ts'
import { dublinRequest } from './dublin-request.ts'
import { eurodacHit } from './eurodac-hit.ts'
import { formalApplication } from './formal-application.ts'
import { imprisonment } from './imprisonment.ts'
import { medicalExamination } from './medical-examination.ts'
import { personalInterview } from './personal-interview.ts'
import { suspensiveEffectAbsence } from './suspensive-effect-absence.ts'
import { suspensiveEffectEnded } from './suspensive-effect-ended.ts'
import { transferAbsence } from './transfer-absence.ts'
import { transferDecision } from './transfer-decision.ts'
import { transferExecuted } from './transfer-executed.ts'
import { transferExtensionAbsence } from './transfer-extension-absence.ts'
import { transferExtensionNotified } from './transfer-extension-notified.ts'
import { unaccompaniedMinor } from './unaccompanied-minor.ts'
import { visHit } from './vis-hit.ts'

export const milestoneDefinitions = [
  asylumRequestReferral,
  arrivalCertificate,
  medicalExamination,
  asylumRequestRecordReachedBamf,
  applicationRegistered,
  formalApplication,
  personalInterview,
  eurodacHit,
  visHit,
  unaccompaniedMinor,
  detentionStart,
  detentionEnd,
  dublinRequest,
  dublinReply,
  dublinReplyAbsence,
  dublinReexaminationRequest,
  dublinReexaminationReply,
  dublinReexaminationReplyAbsence,
  transferDecision,
  asylumDecision,
  appeal,
  suspensiveEffectEnded,
  suspensiveEffectAbsence,
  absconding,
  imprisonment,
  transferExtensionNotified,
  transferExtensionAbsence,
  transferExecuted,
  transferAbsence,
  allocation,
] as const
