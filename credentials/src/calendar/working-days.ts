// Moving a deadline that ends on a non-working day to the next working day (AMMR Art. 75(d); Reg.
// 1182/71 Art. 3(4) for the optional Dublin III roll-forward). The holiday source is injected: the
// caller decides whose holidays count, which is a legal question, not a calendar one.
import { addDays, isoWeekday, type IsoDate, weekdayName } from './iso-date.ts'

/** Answers whether a date is an official holiday, and which. */
export type HolidayLookup = (date: IsoDate) => { name: string } | undefined

/** Why a day is not a working day, or undefined if it is one. */
export function nonWorkingReason(date: IsoDate, holidays: HolidayLookup): string | undefined {
  const weekday = isoWeekday(date)
  if (weekday === 6 || weekday === 7) return weekdayName(date)
  const holiday = holidays(date)
  return holiday ? `official holiday (${holiday.name})` : undefined
}

/** The first working day on or after `date`, with each skipped day and the reason it was skipped. */
export function rollForwardToWorkingDay(
  date: IsoDate,
  holidays: HolidayLookup,
): { date: IsoDate; skipped: { date: IsoDate; reason: string }[] } {
  const skipped: { date: IsoDate; reason: string }[] = []
  let current = date
  for (
    let reason = nonWorkingReason(current, holidays);
    reason;
    reason = nonWorkingReason(current, holidays)
  ) {
    skipped.push({ date: current, reason })
    current = addDays(current, 1)
  }
  return { date: current, skipped }
}
