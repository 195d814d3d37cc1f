// Calendar arithmetic (Art. 42 / Art. 75 counting) and the built-in holiday calendars.
import { describe, expect, it } from 'vitest'
import {
  addMonths,
  easterSunday,
  fromDayNumber,
  GERMAN_LAENDER,
  HOLIDAY_CALENDARS_VERSION,
  isIsoDate,
  isoWeekday,
  months,
  officialHolidays,
  periodEnd,
  rollForwardToWorkingDay,
  toDayNumber,
  weeks,
} from '../../src/dublin/index.ts'

describe('period ends (Art. 42(a)-(b) Dublin III, Art. 75(a)-(c) AMMR)', () => {
  it.each([
    // month-end examples, verbatim
    ['31 Jan + 1 m = 28/29 Feb', '2024-01-31', 1, '2024-02-29'],
    ['31 Jan + 1 m = 28/29 Feb', '2025-01-31', 1, '2025-02-28'],
    ['30 Nov + 3 m = 28/29 Feb', '2023-11-30', 3, '2024-02-29'],
    ['30 Nov + 3 m = 28/29 Feb', '2024-11-30', 3, '2025-02-28'],
    ['31 Aug + 6 m = 28/29 Feb', '2023-08-31', 6, '2024-02-29'],
    ['31 Aug + 6 m = 28/29 Feb', '2024-08-31', 6, '2025-02-28'],
    ['31 Oct + 6 m = 30 Apr', '2024-10-31', 6, '2025-04-30'],
    ['31 Aug 2022 + 18 m = 29 Feb 2024', '2022-08-31', 18, '2024-02-29'],
    ['28 Feb + 1 m = 28 Mar', '2025-02-28', 1, '2025-03-28'],
    ['29 Feb + 12 m = 28 Feb', '2024-02-29', 12, '2025-02-28'],
    ['year boundary', '2024-11-15', 3, '2025-02-15'],
    ['century non-leap', '2099-12-31', 2, '2100-02-28'],
    ['400-year leap', '2399-12-31', 2, '2400-02-29'],
  ])('%s: %s + %i months = %s', (_, start, n, end) => {
    expect(periodEnd(start, months(n))).toBe(end)
  })
  it('weeks end on the same weekday, the event day not counted', () => {
    expect(periodEnd('2024-04-02', weeks(2))).toBe('2024-04-16')
    expect(isoWeekday(periodEnd('2026-07-01', weeks(5)))).toBe(isoWeekday('2026-07-01'))
  })
  it('rejects impossible dates', () => {
    expect(isIsoDate('2025-02-29')).toBe(false)
    expect(isIsoDate('2024-02-29')).toBe(true)
    expect(isIsoDate('2024-13-01')).toBe(false)
    expect(isIsoDate('2024-1-01')).toBe(false)
    expect(() => addMonths('2024-02-30', 1)).toThrow(TypeError)
  })
  it('day numbers agree with known epochs', () => {
    expect(toDayNumber('1970-01-01')).toBe(0)
    expect(toDayNumber('2000-03-01')).toBe(11017)
    expect(fromDayNumber(-1)).toBe('1969-12-31')
    expect(isoWeekday('1970-01-01')).toBe(4)
    expect(isoWeekday('2026-06-12')).toBe(5)
  })
})

describe('holiday calendars', () => {
  it('compute Easter 2024-2030', () => {
    expect([2024, 2025, 2026, 2027, 2028, 2029, 2030].map(easterSunday)).toEqual([
      '2024-03-31',
      '2025-04-20',
      '2026-04-05',
      '2027-03-28',
      '2028-04-16',
      '2029-04-01',
      '2030-04-21',
    ])
  })
  it('DE nationwide: exactly the nine holidays of every Land', () => {
    expect(officialHolidays('DE', 2026).map((h) => h.date)).toEqual([
      '2026-01-01',
      '2026-04-03',
      '2026-04-06',
      '2026-05-01',
      '2026-05-14',
      '2026-05-25',
      '2026-10-03',
      '2026-12-25',
      '2026-12-26',
    ])
  })
  it('every Land holds the nationwide holidays plus its own', () => {
    const nationwide = officialHolidays('DE', 2027).map((h) => h.date)
    for (const land of GERMAN_LAENDER) {
      const own = officialHolidays(land, 2027).map((h) => h.date)
      for (const d of nationwide) expect(own, land).toContain(d)
    }
    const count = (id: (typeof GERMAN_LAENDER)[number]) => officialHolidays(id, 2027).length
    expect(count('DE-BY')).toBe(12) // + Heilige Drei Könige, Fronleichnam, Allerheiligen
    expect(count('DE-SN')).toBe(11) // + Reformationstag, Buß- und Bettag
    expect(count('DE-HH')).toBe(10) // + Reformationstag
    expect(count('DE-SL')).toBe(12) // + Fronleichnam, Mariä Himmelfahrt, Allerheiligen
  })
  it('Buß- und Bettag in Saxony is the Wednesday before 23 November', () => {
    const dates = [2024, 2025, 2026, 2027, 2028, 2029, 2030].map(
      (y) => officialHolidays('DE-SN', y).find((h) => h.name === 'Buß- und Bettag')!.date,
    )
    expect(dates).toEqual([
      '2024-11-20',
      '2025-11-19',
      '2026-11-18',
      '2027-11-17',
      '2028-11-22',
      '2029-11-21',
      '2030-11-20',
    ])
  })
  it('year-bound holidays (Berlin 8 May 2025 one-off; Frauentag MV since 2023)', () => {
    expect(officialHolidays('DE-BE', 2025).map((h) => h.date)).toContain('2025-05-08')
    expect(officialHolidays('DE-BE', 2026).map((h) => h.date)).not.toContain('2026-05-08')
    expect(officialHolidays('DE-MV', 2024).map((h) => h.date)).toContain('2024-03-08')
    expect(officialHolidays('DE-TH', 2024).map((h) => h.date)).toContain('2024-09-20')
  })
  it('FR: the eleven national holidays', () => {
    expect(officialHolidays('FR', 2026).map((h) => h.date)).toEqual([
      '2026-01-01',
      '2026-04-06',
      '2026-05-01',
      '2026-05-08',
      '2026-05-14',
      '2026-05-25',
      '2026-07-14',
      '2026-08-15',
      '2026-11-01',
      '2026-11-11',
      '2026-12-25',
    ])
  })
  it('refuse years outside 2024-2030 instead of guessing', () => {
    expect(() => officialHolidays('FR', 2031)).toThrow(RangeError)
    expect(() => officialHolidays('DE', 2023)).toThrow(/2024–2030/)
    expect(HOLIDAY_CALENDARS_VERSION).toMatch(/2024-2030/)
  })
  it('roll a Good Friday end to the Tuesday after Easter (DE)', () => {
    const de = (d: string) => officialHolidays('DE', 2027).find((h) => h.date === d)
    const rolled = rollForwardToWorkingDay('2027-03-26', de)
    expect(rolled.date).toBe('2027-03-30')
    expect(rolled.skipped.map((s) => s.date)).toEqual([
      '2027-03-26',
      '2027-03-27',
      '2027-03-28',
      '2027-03-29',
    ])
  })
})
