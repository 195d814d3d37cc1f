// assessDublinCase: facts in, assessment out. Pure and deterministic: no clock (asOf is a fact), no
// time zone (dates are calendar days), no I/O.
import { isIsoDate } from '../calendar/iso-date.ts'
import { eventValue } from './absence.ts'
import type { DublinAssessment } from './assessment.ts'
import { ammrRules } from './ammr-rules.ts'
import { dublinIIIRules } from './dublin-iii-rules.ts'
import { ExplanationLog } from './explanation.ts'
import { parseDublinFacts } from './facts.ts'
import { type DublinAssessmentOptions, resolveDublinOptions } from './options.ts'
import type { CaseContext } from './procedural-rules.ts'
import { runProcedure } from './procedure.ts'
import { selectRuleSets } from './rule-set-selection.ts'
import { deriveStatus } from './status.ts'
import { verifierTakeBackDeadline } from './verifier-deadline.ts'

/** Output keys in a fixed order, so that JSON output is stable and easy to read. */
const KEY_ORDER: (keyof DublinAssessment)[] = [
  'ruleSet',
  'lodgingDateForDublin',
  'registrationDate',
  'requestDeadline',
  'requestDeadlineFromLodging',
  'requestDeadlineFromHit',
  'requestDeadlineFromDetention',
  'requestTimely',
  'replyDeadline',
  'acceptanceType',
  'deemedConfirmationOfReceipt',
  'deemedAcceptedFrom',
  'reexaminationRequestDeadline',
  'reexaminationTimely',
  'reexaminationReplyDeadline',
  'transferDecisionDeadline',
  'transferPeriodStart',
  'transferDeadline',
  'transferDeadlineFromAcceptance',
  'transferDeadlineBeforeExtension',
  'transferDeadlineIsLowerBound',
  'transferDeadlineIsUpperBound',
  'extensionApplied',
  'detentionTransferDeadline',
  'detentionMustEnd',
  'mustOfferNewApplication',
  'verifierTakeBackRequestDeadline',
  'status',
  'statusAsOf',
  'missingFacts',
  'responsibleState',
  'responsibilityShifted',
  'requestingStateResponsibleFrom',
  'options',
  'explanation',
]

function ordered(a: DublinAssessment): DublinAssessment {
  const out: Record<string, unknown> = {}
  for (const key of KEY_ORDER) if (a[key] !== undefined) out[key] = a[key]
  return out as DublinAssessment
}

/**
 * Assesses a Dublin case: which rule set applies, every deadline with its legal basis, which have
 * passed, the status and the responsible member state on `facts.asOf`.
 *
 * @param facts Dated facts (see {@link DublinFacts}); validated strictly, unknown fields are refused.
 * @param options Contested points of law; defaults: no Dublin III roll-forward, implicit-acceptance
 *   anchor `replyDeadline`, cut-off 2026-06-12, transition reading (a).
 * @returns The assessment; dates are the last day on which the act is still in time.
 * @throws {DublinFactsInvalid} when the facts do not match the schema (naming each field).
 * @throws {DublinFactsInconsistent} when the facts contradict each other or lie after `asOf`.
 * @throws {DublinOptionsInvalid} when the options are invalid.
 * @example
 * assessDublinCase({ requestingState: 'DE', requestedState: 'IT', requestType: 'TCR',
 *   applicationLodged: '2024-01-31', asOf: '2024-03-01' }).requestDeadline // '2024-04-30'
 */
export function assessDublinCase(facts: unknown, options?: DublinAssessmentOptions): DublinAssessment {
  const f = parseDublinFacts(facts)
  const o = resolveDublinOptions(options)
  const log = new ExplanationLog()
  const selection = selectRuleSets(f, o, log)
  const missingFacts = [...selection.missingFacts]
  const addMissing = (xs: string[]) => {
    for (const x of xs) if (!missingFacts.includes(x)) missingFacts.push(x)
  }
  const base = {
    lodgingDateForDublin: selection.lodgingDateForDublin,
    registrationDate: selection.registrationDate,
  }

  if (!selection.procedure) {
    log.add({
      subject: 'status',
      value: 'INSUFFICIENT_EVIDENCE',
      basis: 'rule-set selection',
      note: 'the rule set is undetermined, so no deadline can be computed',
    })
    return ordered({
      ruleSet: null,
      ...base,
      status: 'INSUFFICIENT_EVIDENCE',
      missingFacts,
      responsibleState: null,
      responsibilityShifted: false,
      options: o,
      explanation: log.entries(),
    })
  }

  const rules = selection.procedure === 'AMMR' ? ammrRules : dublinIIIRules
  const requestType =
    rules.id === 'AMMR' && (f.requestType === 'TBR' || f.requestType === 'TBR_ART24') ? 'TBN' : f.requestType
  if (requestType !== f.requestType)
    log.add({
      subject: 'requestType',
      value: 'TBN',
      basis: 'AMMR Art. 36(1)(b), 41',
      note: `"${f.requestType}" is treated as a take back notification: the AMMR has no take back request`,
    })
  const ammr = rules.id === 'AMMR'
  const context: CaseContext = {
    facts: f,
    options: o,
    ruleSet: rules.id,
    requestType,
    applicationDate: ammr ? selection.registrationDate : selection.lodgingDateForDublin,
    applicationDateLabel: ammr
      ? f.applicationRegistered
        ? 'applicationRegistered'
        : 'lodgingDateForDublin'
      : 'lodgingDateForDublin',
    // A disputed receipt day is unknown: counting from requestSent would bring the deadline forward.
    requestReceived: f.requestReceivedDisputed ? undefined : (f.requestReceived ?? eventValue(f.requestSent)),
    requestSent: eventValue(f.requestSent),
    eurodacHit: eventValue(f.eurodacHit),
  }
  const result = runProcedure(context, rules, log)
  addMissing(result.missingFacts)
  const status = deriveStatus(f, rules, result, log)
  const verifierDeadline = verifierTakeBackDeadline(context, o, status.responsibleState, log)

  // Under reading (a), a Dublin III case with steps or deadlines after the cut-off is one of the
  // open transition questions of AMMR.md §1.4.
  if (rules.id === 'DUBLIN_III') {
    const dates = [
      ...Object.values(result.fields),
      eventValue(f.requestSent),
      eventValue(f.reply)?.received,
      eventValue(f.transferExecuted),
    ].filter(isIsoDate)
    const crossing = dates.filter((d) => d >= o.cutOff).sort()[0]
    if (crossing)
      log.flagManualReview(
        'ruleSet',
        `a step or deadline (${crossing}) falls on or after the cut-off ${o.cutOff}: Dublin III time limits applied throughout (reading (a)); whether the AMMR governs steps from the cut-off is open (AMMR.md §1.3-1.4)`,
      )
  }

  return ordered({
    ruleSet: rules.id,
    ...base,
    ...result.fields,
    ...status,
    verifierTakeBackRequestDeadline: verifierDeadline,
    missingFacts,
    options: o,
    explanation: log.entries(),
  })
}
