// Which rule set governs the case: the criteria rule set by the date the application was registered
// (Dublin III: lodged, Art. 20(2)), and the procedural rule set, which can differ for applications
// registered before the cut-off whose request is made after it (AMMR Art. 84(2); README.md,
// Interpretation choices).
import { eventValue } from './absence.ts'
import { earliest, type IsoDate } from '../calendar/iso-date.ts'
import { DublinFactsInconsistent } from './errors.ts'
import type { ExplanationLog } from './explanation.ts'
import type { DublinFacts } from './facts.ts'
import type { ResolvedDublinOptions } from './options.ts'
import { RULE_SETS, type RuleSetId } from './rule-sets.ts'

export type RuleSetSelection = {
  /** Criteria rule set (who is responsible), or null when undetermined. */
  criteria: RuleSetId | null
  /** Procedural rule set (time limits), or null when undetermined. */
  procedure: RuleSetId | null
  lodgingDateForDublin?: IsoDate
  registrationDate?: IsoDate
  manualReview: boolean
  missingFacts: string[]
}

/**
 * The Dublin III lodging date: the earliest of `applicationLodged` and the day the record of the
 * request reached BAMF (Art. 20(2); CJEU C-670/16 Mengesteab). The formal application at BAMF is a
 * fallback only: the record may have reached BAMF earlier.
 */
function lodgingDate(f: DublinFacts, log: ExplanationLog): IsoDate | undefined {
  const candidates = [f.applicationLodged, f.asylumRequestRecordReachedBamf].filter((d): d is IsoDate => !!d)
  if (candidates.length) {
    const date = earliest(candidates[0]!, ...candidates.slice(1))
    const from =
      date === f.asylumRequestRecordReachedBamf && date !== f.applicationLodged
        ? 'asylumRequestRecordReachedBamf'
        : 'applicationLodged'
    const differs = f.formalApplicationAtBamf && f.formalApplicationAtBamf !== date
    log.add({
      subject: 'lodgingDateForDublin',
      date,
      basis: 'Dublin III Art. 20(2); CJEU C-670/16 Mengesteab',
      note: `from ${from}${candidates.length > 1 ? ' (earliest of applicationLodged and asylumRequestRecordReachedBamf)' : ''}${differs ? `; the formal application at BAMF (${f.formalApplicationAtBamf}) is not the lodging date` : ''}`,
    })
    return date
  }
  if (f.formalApplicationAtBamf) {
    log.add({
      subject: 'lodgingDateForDublin',
      date: f.formalApplicationAtBamf,
      basis: 'Dublin III Art. 20(2); CJEU C-670/16 Mengesteab',
      note: 'from formalApplicationAtBamf for want of a better date: the record of the request may have reached BAMF earlier, in which case every deadline counted from lodging is earlier too',
    })
    return f.formalApplicationAtBamf
  }
  return undefined
}

/** Procedural events that presuppose the case exists (used when no application date is known). */
function earliestProceduralEvent(f: DublinFacts): { field: string; date: IsoDate } | undefined {
  const events: [string, IsoDate | undefined | null][] = [
    ['apprehendedIrregularStay', f.apprehendedIrregularStay],
    ['eurodacHit.received', eventValue(f.eurodacHit)?.received],
    ['requestSent', eventValue(f.requestSent)],
    ['requestReceived', f.requestReceived],
    ['reply.received', eventValue(f.reply)?.received],
    ['transferDecisionServed', eventValue(f.transferDecisionServed)],
    ['transferExecuted', eventValue(f.transferExecuted)],
  ]
  let best: { field: string; date: IsoDate } | undefined
  for (const [field, date] of events) if (date && (!best || date < best.date)) best = { field, date }
  return best
}

export function selectRuleSets(
  f: DublinFacts,
  o: ResolvedDublinOptions,
  log: ExplanationLog,
): RuleSetSelection {
  const cut = o.cutOff
  const lodging = lodgingDate(f, log)
  const sel: RuleSetSelection = { criteria: null, procedure: null, manualReview: false, missingFacts: [] }
  let reason: string
  let basis = `AMMR Art. 83, 84(1)-(2), 85 (cut-off ${cut}, configurable) [verify the corrected Art. 84 wording]`

  if (f.applicationRegistered) {
    sel.criteria = f.applicationRegistered >= cut ? 'AMMR' : 'DUBLIN_III'
    reason = `applicationRegistered ${f.applicationRegistered} is ${f.applicationRegistered >= cut ? 'on or after' : 'before'} the cut-off ${cut}`
    if (f.applicationRegistered === cut) {
      sel.manualReview = true
      reason +=
        '; registered ON the cut-off day: the original text ("after"/"before") assigned no rule set to that day, so AMMR is applied provisionally'
    }
  } else if (lodging && lodging < cut) {
    sel.criteria = 'DUBLIN_III'
    reason = `lodging ${lodging} is before the cut-off ${cut}, so registration was too`
  } else {
    const event = earliestProceduralEvent(f)
    const takeBackWithoutApplication = !lodging && (f.requestType === 'TBR_ART24' || f.requestType === 'TBN')
    if (event && event.date < cut) {
      sel.criteria = 'DUBLIN_III'
      reason = `no registration date; the procedural event ${event.field} (${event.date}) lies before the cut-off ${cut}`
    } else if (event && takeBackWithoutApplication) {
      sel.criteria = 'AMMR'
      reason = `no application in the requesting state; the first procedural event ${event.field} (${event.date}) is on or after the cut-off ${cut}, when Dublin III no longer applies (AMMR Art. 83)`
    } else {
      reason = lodging
        ? `lodging ${lodging} is on or after the cut-off ${cut}, but registration may have preceded it (the APR distinguishes registration from lodging) and no procedural event lies before the cut-off`
        : `neither applicationRegistered nor applicationLodged is given and no procedural event lies before the cut-off ${cut}`
      sel.missingFacts.push('applicationRegistered')
    }
  }

  sel.procedure = sel.criteria
  if (sel.criteria === 'DUBLIN_III') {
    sel.lodgingDateForDublin = lodging
    const sent = eventValue(f.requestSent)
    const sentAfterCut = !!sent && sent >= cut
    if (f.requestType === 'TBN') {
      if (sent && sent < cut)
        throw new DublinFactsInconsistent(
          'requestType',
          `"TBN" (take back notification) exists only from the AMMR cut-off ${cut}, but the request was sent ${sent}`,
        )
      sel.procedure = 'AMMR'
      sel.manualReview = true
      reason +=
        '; the take back was made as an AMMR notification for a case under Dublin III criteria (Reg. 2025/2055 Art. 13): AMMR procedure, reading (b) of AMMR Art. 84(2)'
    } else if (o.transitionProcedure === 'AMMR' && sentAfterCut) {
      sel.procedure = 'AMMR'
      sel.manualReview = true
      reason += `; the request was sent ${sent}, on or after the cut-off: AMMR procedure and time limits with Dublin III criteria (option transitionProcedure = AMMR, reading (b) of AMMR Art. 84(2))`
    }
    if (sel.procedure === 'AMMR') {
      sel.registrationDate = f.applicationRegistered ?? lodging
      if (!f.applicationRegistered && lodging)
        reason +=
          '; the AMMR periods run from registration, for which only the Dublin III lodging date is known: it is used instead'
    }
  } else if (sel.criteria === 'AMMR') {
    sel.registrationDate = f.applicationRegistered
    basis = `AMMR Art. 84(1), 85 (cut-off ${cut}, configurable) [verify the corrected Art. 84 wording]`
  }

  log.add({
    subject: 'ruleSet',
    value: sel.procedure,
    basis,
    note: `${reason}. Criteria rule set: ${sel.criteria ?? 'undetermined'}; procedural rule set: ${sel.procedure ?? 'undetermined'}`,
    version: sel.procedure ? RULE_SETS[sel.procedure].version : undefined,
    manualReview: sel.manualReview ? true : undefined,
  })
  return sel
}
