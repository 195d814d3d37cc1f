// The built-in, versioned official-holiday calendars: Germany (nationwide and each Land) and
// France, for the years 2024–2030. They back AMMR Art. 75(d) (and the optional Dublin III
// roll-forward) when the facts do not supply `officialHolidays`. Outside those years the calendars
// refuse to answer rather than guess.
import { GERMAN_HOLIDAY_RULES, GERMAN_LAENDER } from './holidays-de.ts'
import { FRENCH_HOLIDAY_RULES } from './holidays-fr.ts'
import type { HolidayRule } from './holiday-rules.ts'
import { type IsoDate, yearOf } from './iso-date.ts'

/** Version of the built-in calendars; an assessment names it so a verifier can recompute. */
export const HOLIDAY_CALENDARS_VERSION = 'flora-holidays-2024-2030/1'
export const HOLIDAY_CALENDARS_FIRST_YEAR = 2024
export const HOLIDAY_CALENDARS_LAST_YEAR = 2030

/**
 * Built-in calendars. `DE` holds only the holidays observed in every Land (used when the Land is
 * unknown); `DE-xx` a Land (ISO 3166-2); `FR` the national French holidays.
 */
export const HOLIDAY_CALENDAR_IDS = ['DE', ...GERMAN_LAENDER, 'FR'] as const
export type HolidayCalendarId = (typeof HOLIDAY_CALENDAR_IDS)[number]

/** One official holiday. */
export type OfficialHoliday = { readonly date: IsoDate; readonly name: string; readonly basis: string }

/** Whether `id` names a built-in calendar. */
export function isHolidayCalendarId(id: string): id is HolidayCalendarId {
  return (HOLIDAY_CALENDAR_IDS as readonly string[]).includes(id)
}

/** Whether the built-in calendars cover `year`. */
export function holidayCalendarCovers(year: number): boolean {
  return year >= HOLIDAY_CALENDARS_FIRST_YEAR && year <= HOLIDAY_CALENDARS_LAST_YEAR
}

function appliesIn(rule: HolidayRule, id: HolidayCalendarId, year: number): boolean {
  if (rule.fromYear !== undefined && year < rule.fromYear) return false
  if (rule.toYear !== undefined && year > rule.toYear) return false
  if (rule.where === '*') return true
  // The nationwide calendar `DE` deliberately takes no Land-specific holiday.
  return rule.where.includes(id)
}

/**
 * Official holidays of a built-in calendar in one year, sorted by date.
 * @throws {RangeError} when `year` is outside 2024–2030.
 * @example officialHolidays('DE-SN', 2026).map((h) => h.date)
 */
export function officialHolidays(id: HolidayCalendarId, year: number): OfficialHoliday[] {
  if (!holidayCalendarCovers(year))
    throw new RangeError(
      `holiday calendar ${HOLIDAY_CALENDARS_VERSION} covers ${HOLIDAY_CALENDARS_FIRST_YEAR}–${HOLIDAY_CALENDARS_LAST_YEAR}, not ${year}`,
    )
  const rules = id === 'FR' ? FRENCH_HOLIDAY_RULES : GERMAN_HOLIDAY_RULES
  return rules
    .filter((rule) => appliesIn(rule, id, year))
    .map((rule) => ({ date: rule.date(year), name: rule.name, basis: rule.basis }))
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
}

/** The holiday on `date` in a built-in calendar, or undefined; throws outside 2024–2030. */
export function findOfficialHoliday(id: HolidayCalendarId, date: IsoDate): OfficialHoliday | undefined {
  return officialHolidays(id, yearOf(date)).find((h) => h.date === date)
}
