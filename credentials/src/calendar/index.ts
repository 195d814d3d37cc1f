// Public surface of the calendar: ISO-date arithmetic, period ends, holiday calendars.
export {
  addDays,
  addMonths,
  compareIsoDates,
  daysInMonth,
  earliest,
  fromDayNumber,
  type IsoDate,
  type IsoWeekday,
  isIsoDate,
  isLeapYear,
  isoWeekday,
  latest,
  toDayNumber,
  weekdayName,
} from './iso-date.ts'
export { describePeriod, days, months, type Period, periodEnd, weeks } from './periods.ts'
export { easterSunday } from './easter.ts'
export { GERMAN_LAENDER, type GermanLand } from './holidays-de.ts'
export {
  findOfficialHoliday,
  HOLIDAY_CALENDAR_IDS,
  HOLIDAY_CALENDARS_FIRST_YEAR,
  HOLIDAY_CALENDARS_LAST_YEAR,
  HOLIDAY_CALENDARS_VERSION,
  type HolidayCalendarId,
  holidayCalendarCovers,
  isHolidayCalendarId,
  type OfficialHoliday,
  officialHolidays,
} from './holiday-calendars.ts'
export { type HolidayLookup, nonWorkingReason, rollForwardToWorkingDay } from './working-days.ts'
