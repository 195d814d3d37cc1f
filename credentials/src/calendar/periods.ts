// Ends of periods counted under Dublin III Art. 42(a)-(b) and AMMR Art. 75(a)-(c), which share the
// same arithmetic (and Reg. 1182/71 Art. 3(1), 3(2)(c)): the event day is not counted, a period of
// weeks ends on the same weekday, a period of months on the same date or, if that date does not
// exist, on the last day of the month. The result is the last day on which the act is in time.
import { addDays, addMonths, type IsoDate } from './iso-date.ts'

/** A period as the regulations state it. */
export type Period = { readonly unit: 'days' | 'weeks' | 'months'; readonly amount: number }

/** Shorthands for the periods the regulations use. */
export const days = (amount: number): Period => ({ unit: 'days', amount })
export const weeks = (amount: number): Period => ({ unit: 'weeks', amount })
export const months = (amount: number): Period => ({ unit: 'months', amount })

/**
 * Last day of a period that runs from `event` (the event day itself not counted).
 * @example periodEnd('2024-01-31', months(1)) // '2024-02-29'
 */
export function periodEnd(event: IsoDate, period: Period): IsoDate {
  if (!Number.isInteger(period.amount) || period.amount < 0)
    throw new TypeError('period amount must be a non-negative integer')
  switch (period.unit) {
    case 'days':
      return addDays(event, period.amount)
    case 'weeks':
      return addDays(event, 7 * period.amount)
    case 'months':
      return addMonths(event, period.amount)
  }
}

/** "3 months", "2 weeks", "1 month". */
export function describePeriod(period: Period): string {
  const unit = period.amount === 1 ? period.unit.slice(0, -1) : period.unit
  return `${period.amount} ${unit}`
}
