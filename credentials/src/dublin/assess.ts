// assessDublinCase: facts in, assessment out. Pure and deterministic: no clock (asOf is a fact), no
// time zone (dates are calendar days), no I/O.
import { isIsoDate } from '../calendar/iso-date.ts'
import { eventValue } from './absence.ts'
import type { DublinAssessment } from './assessment.ts'
import { ammrRules } from './ammr-rules.ts'
import { dublinIIIRules } from './dublin-iii-rules.ts'
import { ExplanationLog } from './explanation.ts'
import { type DublinFacts, parseDublinFacts } from './facts.ts'
import { type DublinAssessmentOptions, type ResolvedDublinOptions, resolveDublinOptions } from './options.ts'
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
  return assessUnstated(f, o)
}

/**
 * Facts that change periods but have no absence form: an absent `detained` or `urgent` is unknown
 * (docs/DUBLIN-ABSENCE.md §1), never "not detained" / "not urgent". Each is assessed both ways (at
 * most four runs of a pure, cheap computation): where the status or the responsible state differs,
 * the outcome is INSUFFICIENT_EVIDENCE with the fact in missingFacts; where it does not, the
 * assessment without detention / urgency is given and the explanation says the fact did not matter.
 */
const UNSTATED: readonly {
  key: 'detained' | 'urgent'
  values: readonly [unknown, unknown]
  basis: string
}[] = [
  {
    key: 'detained',
    values: [false, true],
    basis: 'Dublin III Art. 28(3); AMMR Art. 45 (detention shortens the request, reply and transfer periods)',
  },
  {
    key: 'urgent',
    values: [{ requested: false }, { requested: true }],
    basis: 'Dublin III Art. 21(2), 22(6); AMMR Art. 39(2), 40 (an urgent request shortens the reply period)',
  },
]

/** Outcome members: where the variants disagree on them, they are not given. */
const OUTCOME_KEYS = ['statusAsOf', 'responsibilityShifted', 'requestingStateResponsibleFrom'] as const

function assessUnstated(f: DublinFacts, o: ResolvedDublinOptions): DublinAssessment {
  const unstated = UNSTATED.filter(({ key }) => f[key] === undefined)
  if (unstated.length === 0) return assessParsed(f, o)
  const variants: DublinAssessment[] = []
  const combos = unstated.reduce<Record<string, unknown>[]>(
    (acc, { key, values }) => acc.flatMap((combo) => values.map((value) => ({ ...combo, [key]: value }))),
    [{}],
  )
  for (const combo of combos) variants.push(assessParsed({ ...f, ...combo } as DublinFacts, o))
  const [first, ...rest] = variants as [DublinAssessment, ...DublinAssessment[]]
  // The assessment without detention and urgency, as before; only its explanation and outcome change.
  const result = { ...first, missingFacts: [...first.missingFacts], explanation: [...first.explanation] }
  const same = (key: keyof DublinAssessment) =>
    rest.every((v) => JSON.stringify(v[key]) === JSON.stringify(first[key]))
  const decisive: string[] = []
  for (const [index, { key }] of unstated.entries()) {
    // Does this fact alone change the outcome (the others held as in the first variant)?
    const other = variants[2 ** (unstated.length - 1 - index)]!
    if (other.status !== first.status || other.responsibleState !== first.responsibleState) decisive.push(key)
  }
  const outcomeDiffers = !same('status') || !same('responsibleState')
  for (const { key, basis } of unstated) {
    const matters = decisive.includes(key) || (outcomeDiffers && decisive.length === 0)
    result.explanation.push({
      subject: key,
      value: null,
      basis,
      note: matters
        ? `${key} is not stated, and the status or the responsible state depends on it: it is not assumed`
        : `${key} is not stated; the status and the responsible state are the same either way, the deadlines shown are those without ${key === 'detained' ? 'detention' : 'an urgent request'}`,
    })
    if (matters && !result.missingFacts.includes(key)) result.missingFacts.push(key)
  }
  if (!outcomeDiffers) return ordered(result)
  result.status = 'INSUFFICIENT_EVIDENCE'
  if (!same('responsibleState')) result.responsibleState = null
  for (const key of OUTCOME_KEYS) if (!same(key)) delete (result as Partial<DublinAssessment>)[key]
  if (!same('responsibilityShifted')) result.responsibilityShifted = false
  // Deadlines that depend on the unstated fact are not given either: they would be guesses.
  const kept = ['explanation', 'missingFacts', 'options', 'status', 'responsibleState', 'responsibilityShifted']
  for (const key of Object.keys(result) as (keyof DublinAssessment)[])
    if (!kept.includes(key) && !same(key)) delete (result as Partial<DublinAssessment>)[key]
  result.explanation.push({
    subject: 'status',
    value: 'INSUFFICIENT_EVIDENCE',
    basis: 'docs/DUBLIN-ABSENCE.md §1 (an unstated fact is unknown)',
    note: `the outcome differs with ${decisive.length ? decisive.join(' and ') : unstated.map((u) => u.key).join(' and ')}, which ${decisive.length === 1 ? 'is' : 'are'} not stated`,
  })
  return ordered(result)
}

function assessParsed(f: DublinFacts, o: ResolvedDublinOptions): DublinAssessment {
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
  // open transition questions of AMMR Art. 84(2) (README.md, Interpretation choices).
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
        `a step or deadline (${crossing}) falls on or after the cut-off ${o.cutOff}: Dublin III time limits applied throughout (reading (a)); whether the AMMR governs steps from the cut-off is open (AMMR Art. 84(2))`,
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
