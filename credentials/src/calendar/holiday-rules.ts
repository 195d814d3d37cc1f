// The shape of a holiday rule: a fixed date, a day relative to Easter, or a computed date, limited
// to the years in which the law provided for it.
import { addDays, formatIsoDate, type IsoDate } from './iso-date.ts'
import { easterSunday } from './easter.ts'

export type HolidayRule = {
  readonly name: string
  /** The date in a given year. */
  readonly date: (year: number) => IsoDate
  /** Where the holiday applies (calendar ids); `*` = every calendar of the country. */
  readonly where: readonly string[] | '*'
  /** Legal basis, for the explanation. */
  readonly basis: string
  readonly fromYear?: number
  readonly toYear?: number
}

/** A holiday on the same month and day every year. */
export const fixed =
  (month: number, day: number) =>
  (year: number): IsoDate =>
    formatIsoDate(year, month, day)

/** A holiday `offset` days after Easter Sunday (negative = before). */
export const easterOffset =
  (offset: number) =>
  (year: number): IsoDate =>
    addDays(easterSunday(year), offset)
