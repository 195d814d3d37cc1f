// Calendar dates as plain ISO strings (YYYY-MM-DD) and integer day numbers.
// Deliberately no `Date`: a legal deadline is a calendar day, not an instant, and any conversion
// through `Date` invites the host time zone in. All arithmetic here is proleptic Gregorian integer
// maths (H. Hinnant's days-from-civil), so results are identical on every machine.

/** A calendar date written `YYYY-MM-DD`. */
export type IsoDate = string

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/** Whether `year` is a Gregorian leap year. */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
}

/** Number of days in `month` (1–12) of `year`. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28
  return [4, 6, 9, 11].includes(month) ? 30 : 31
}

/** Whether `value` is an existing calendar date written `YYYY-MM-DD` (rejects 2025-02-29). */
export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== 'string') return false
  const m = ISO_DATE.exec(value)
  if (!m) return false
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  return y >= 1 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo)
}

/** Splits a date into numbers; throws `TypeError` on a malformed date (a programmer error here). */
export function splitIsoDate(date: IsoDate): { year: number; month: number; day: number } {
  if (!isIsoDate(date)) throw new TypeError(`"${date}" is not a calendar date YYYY-MM-DD`)
  return { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)), day: Number(date.slice(8, 10)) }
}

/** Writes numbers as `YYYY-MM-DD`. */
export function formatIsoDate(year: number, month: number, day: number): IsoDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

/** Days since 1970-01-01 (which is day 0). */
export function toDayNumber(date: IsoDate): number {
  const { year, month, day } = splitIsoDate(date)
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yoe = y - era * 400
  const mp = (month + 9) % 12
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
}

/** Inverse of {@link toDayNumber}. */
export function fromDayNumber(dayNumber: number): IsoDate {
  const z = dayNumber + 719468
  const era = Math.floor(z / 146097)
  const doe = z - era * 146097
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  )
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1
  const month = mp < 10 ? mp + 3 : mp - 9
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0)
  return formatIsoDate(year, month, day)
}

/** `date` plus `days` calendar days (negative to go back). */
export function addDays(date: IsoDate, days: number): IsoDate {
  return fromDayNumber(toDayNumber(date) + days)
}

/**
 * `date` plus `months` months, clamped to the last day of the target month when the day number does
 * not exist there (31 Jan + 1 month = 28/29 Feb; 28 Feb + 1 month = 28 Mar, never 31 Mar).
 */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const { year, month, day } = splitIsoDate(date)
  const index = year * 12 + (month - 1) + months
  const y = Math.floor(index / 12)
  const m = index - y * 12 + 1
  return formatIsoDate(y, m, Math.min(day, daysInMonth(y, m)))
}

/** ISO weekday of `date` (1 = Monday … 7 = Sunday). 1970-01-01 was a Thursday. */
export function isoWeekday(date: IsoDate): IsoWeekday {
  const n = toDayNumber(date)
  return (((((n + 3) % 7) + 7) % 7) + 1) as IsoWeekday
}

const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const

/** English name of the weekday of `date`. */
export function weekdayName(date: IsoDate): string {
  return WEEKDAY_NAMES[isoWeekday(date) - 1]!
}

/** Negative, zero or positive as `a` is before, equal to or after `b` (ISO strings sort as dates). */
export function compareIsoDates(a: IsoDate, b: IsoDate): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** The earliest of the given dates. */
export function earliest(first: IsoDate, ...rest: IsoDate[]): IsoDate {
  let min = first
  for (const d of rest) if (d < min) min = d
  return min
}

/** The latest of the given dates. */
export function latest(first: IsoDate, ...rest: IsoDate[]): IsoDate {
  let max = first
  for (const d of rest) if (d > max) max = d
  return max
}

/** Year of `date`. */
export function yearOf(date: IsoDate): number {
  return splitIsoDate(date).year
}
