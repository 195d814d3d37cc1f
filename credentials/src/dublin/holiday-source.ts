// Whose non-working days count for a deadline, and from which calendar.
//
// The reading applied (open; README.md, Interpretation choices): "the Member State concerned" in AMMR Art. 75(d)
// is the state that has to act before the deadline: the requesting/notifying state for the request,
// re-examination request, transfer decision, transfer and detention limits; the requested/notified
// state for the reply, confirmation and re-examination reply; the verifier state for its own take
// back. The same reading is used for the optional Dublin III roll-forward (Reg. 1182/71 Art. 2(1):
// the holidays of the state "in which the action is to be taken").
import {
  HOLIDAY_CALENDARS_VERSION,
  holidayCalendarCovers,
  findOfficialHoliday,
  type HolidayCalendarId,
} from '../calendar/holiday-calendars.ts'
import { type IsoDate, yearOf } from '../calendar/iso-date.ts'
import type { HolidayLookup } from '../calendar/working-days.ts'

export type HolidaySource = {
  /** Human-readable name of the calendar, stated in the explanation. */
  readonly label: string
  readonly lookup: HolidayLookup
  /** Whether `date` lies in a year the built-in calendar does not cover (weekends only then). */
  readonly uncovered: (date: IsoDate) => boolean
}

/**
 * The holiday source for a member state: holidays supplied in the facts, else the built-in calendar
 * (DE nationwide or the Land named in `regions`, FR), else none (Saturdays and Sundays only).
 */
export function holidaySourceFor(
  state: string,
  supplied: Record<string, string[]> | undefined,
  regions: Record<string, string> | undefined,
): HolidaySource {
  const given = supplied?.[state]
  if (given) {
    const set = new Set(given)
    return {
      label: `${state}: official holidays supplied in the facts (officialHolidays.${state})`,
      lookup: (date) => (set.has(date) ? { name: 'official holiday (facts)' } : undefined),
      uncovered: () => false,
    }
  }
  let id: HolidayCalendarId | undefined
  let label: string
  if (state === 'DE') {
    const land = regions?.DE as HolidayCalendarId | undefined
    id = land ?? 'DE'
    label = land
      ? `DE, Land ${land}: built-in calendar ${HOLIDAY_CALENDARS_VERSION}`
      : `DE nationwide holidays only: the Land of the acting authority is unknown, so Land holidays are not applied (built-in calendar ${HOLIDAY_CALENDARS_VERSION}; option holidayRegions.DE names a Land)`
  } else if (state === 'FR') {
    id = 'FR'
    label = `FR national holidays: built-in calendar ${HOLIDAY_CALENDARS_VERSION}`
  } else {
    return {
      label: `${state}: no official holidays known (none supplied in the facts, no built-in calendar): Saturdays and Sundays only`,
      lookup: () => undefined,
      uncovered: () => false,
    }
  }
  const calendar = id
  return {
    label,
    lookup: (date) => (holidayCalendarCovers(yearOf(date)) ? findOfficialHoliday(calendar, date) : undefined),
    uncovered: (date) => !holidayCalendarCovers(yearOf(date)),
  }
}
