// Computes one deadline: period arithmetic, then (where the rule set or option says so) the move to
// the next working day of the acting state; records the calculation in the explanation either way.
import { addDays, type IsoDate } from '../calendar/iso-date.ts'
import { describePeriod, periodEnd } from '../calendar/periods.ts'
import { nonWorkingReason, rollForwardToWorkingDay } from '../calendar/working-days.ts'
import type { ExplanationLog } from './explanation.ts'
import { holidaySourceFor } from './holiday-source.ts'
import type { CaseContext, PeriodSpec, ProceduralRules } from './procedural-rules.ts'

/** Which state must act before the deadline (see holiday-source.ts for the reading). */
export type ActingState = 'requesting' | 'requested' | 'verifier'

export type DeadlineClock = (
  subject: string,
  spec: PeriodSpec,
  actor: ActingState,
  extraNote?: string,
) => IsoDate

function stateOf(c: CaseContext, actor: ActingState): string {
  if (actor === 'requesting') return c.facts.requestingState
  if (actor === 'requested') return c.facts.requestedState
  return c.facts.verifier?.state ?? c.facts.requestingState
}

/** The counting rule in words, e.g. "+3 months (Dublin III Art. 42(a)-(b): …)". */
export function describeRule(spec: PeriodSpec, counting: string): string {
  const how =
    spec.period.unit === 'months'
      ? 'same date in the last month, or its last day if that date does not exist'
      : spec.period.unit === 'weeks'
        ? 'same weekday in the last week'
        : 'counted in calendar days'
  return `+${describePeriod(spec.period)} from ${spec.fromLabel} (${counting}: event day not counted; ${how})`
}

export function createDeadlineClock(
  c: CaseContext,
  rules: ProceduralRules,
  log: ExplanationLog,
): DeadlineClock {
  const rolls = rules.rollsForward(c.options)
  return (subject, spec, actor, extraNote) => {
    const raw = periodEnd(spec.from, spec.period)
    const state = stateOf(c, actor)
    const source = holidaySourceFor(state, c.facts.officialHolidays, c.options.holidayRegions)
    const notes: string[] = []
    if (spec.note) notes.push(spec.note)
    if (extraNote) notes.push(extraNote)
    let result = raw
    const reason = nonWorkingReason(raw, source.lookup)
    if (rolls) {
      const rolled = rollForwardToWorkingDay(raw, source.lookup)
      result = rolled.date
      if (rolled.skipped.length)
        notes.push(
          `period ends on ${raw}; ${rolled.skipped.map((s) => `${s.date} is a ${s.reason}`).join(', ')}: moved to the next working day ${result} (${rules.rollForwardBasis}, acting state ${state})`,
        )
    } else if (reason) {
      const alternative = rollForwardToWorkingDay(raw, source.lookup).date
      notes.push(
        `ends on a ${reason}; Dublin III Art. 42 provides no roll-forward, so ${raw} stands (warning: with the contested roll-forward option it would be ${alternative})`,
      )
    }
    if ((rolls || reason) && (source.uncovered(raw) || source.uncovered(result)))
      notes.push(
        `the built-in holiday calendar does not cover ${raw.slice(0, 4)}: only Saturdays and Sundays were considered`,
      )
    log.add({
      subject,
      date: result,
      basis: spec.basis,
      calculation: {
        start: spec.from,
        startEvent: spec.fromLabel,
        rule: describeRule(spec, rules.counting),
        result,
      },
      calendar: rolls || reason ? `acting state ${state} (${actor}): ${source.label}` : undefined,
      note: notes.length ? notes.join('; ') : undefined,
    })
    return result
  }
}

/** The first day after a deadline (when an expiry takes effect). */
export const dayAfter = (deadline: IsoDate): IsoDate => addDays(deadline, 1)
