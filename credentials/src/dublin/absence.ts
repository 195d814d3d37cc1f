// How every phase reads an event fact (docs/DUBLIN-ABSENCE.md §1): a field that is absent is unknown,
// `null` says the event did not happen by asOf, `{ notBy }` says it did not happen up to and including
// that day, and any other value is the event itself. Pure functions, so that the request, reply,
// re-examination and transfer phases all read an absence the same way.
import type { IsoDate } from '../calendar/iso-date.ts'

/** Known not to have happened up to and including `notBy` (unknown after it). */
export type NotBy = { readonly notBy: IsoDate }

/** An event fact: the event, `null` (not happened by asOf) or `{ notBy }`; `undefined` = unknown. */
export type EventFact<T> = T | null | NotBy

/** Whether a fact is the `{ notBy }` form. */
export function isNotBy(fact: unknown): fact is NotBy {
  return (
    typeof fact === 'object' &&
    fact !== null &&
    Object.keys(fact).length === 1 &&
    typeof (fact as { notBy?: unknown }).notBy === 'string'
  )
}

/** The event's own value type, without the absence forms. */
export type EventValue<T> = Exclude<T, null | undefined | NotBy>

/** Whether the fact records the event itself (it happened). */
export function happened<T>(fact: T | undefined): fact is EventValue<T> & T {
  return fact !== undefined && fact !== null && !isNotBy(fact)
}

/** Whether nothing at all is known about the event (the field is absent). */
export function isUnknown(fact: unknown): fact is undefined {
  return fact === undefined
}

/**
 * The last day up to which the absence of the event is established: `asOf` for `null`, `notBy` for
 * `{ notBy }`, undefined when the event happened or nothing is known.
 */
export function absentThrough(fact: unknown, asOf: IsoDate): IsoDate | undefined {
  if (fact === null) return asOf
  if (isNotBy(fact)) return fact.notBy
  return undefined
}

/** The event's value if it happened, else undefined. */
export function eventValue<T>(fact: T | undefined): EventValue<T> | undefined {
  return happened(fact) ? (fact as EventValue<T>) : undefined
}

/**
 * What an absence settles for an act due by `deadline` (§2): `missed` when the absence is
 * established through the deadline or later, `openAsOf` (the phase was still open on that day) when
 * only up to an earlier day, `unknown` when nothing is known. A fact that happened gives `happened`.
 *
 * The day of the assessment is not over when it is made: an absence "through asOf" (`null`, or
 * `{ notBy: asOf }`) settles a deadline only if the deadline lies before asOf. On the deadline day
 * itself the act can still happen, so the period is still open as of asOf.
 */
export type AbsenceReading =
  | { kind: 'happened' }
  | { kind: 'unknown' }
  | { kind: 'missed'; through: IsoDate }
  | { kind: 'openAsOf'; through: IsoDate }

export function readAbsence(fact: unknown, deadline: IsoDate, asOf: IsoDate): AbsenceReading {
  if (happened(fact)) return { kind: 'happened' }
  const through = absentThrough(fact, asOf)
  if (through === undefined) return { kind: 'unknown' }
  return through >= deadline && asOf > deadline ? { kind: 'missed', through } : { kind: 'openAsOf', through }
}
