// Official (public) holidays in Germany: the nine holidays of every Land plus each Land's own
// holidays as fixed by the Länder holiday acts (Feiertagsgesetze). Only holidays that apply in the
// whole Land are listed: holidays of single municipalities (Fronleichnam in parts of SN and TH,
// Mariä Himmelfahrt in Catholic municipalities of BY, the Augsburger Friedensfest) are left out,
// because a Dublin deadline binds a state authority, not a municipality.
import { easterOffset, fixed, type HolidayRule } from './holiday-rules.ts'
import { addDays, formatIsoDate, isoWeekday, type IsoDate } from './iso-date.ts'

/** ISO 3166-2 codes of the sixteen Länder. */
export const GERMAN_LAENDER = [
  'DE-BW',
  'DE-BY',
  'DE-BE',
  'DE-BB',
  'DE-HB',
  'DE-HH',
  'DE-HE',
  'DE-MV',
  'DE-NI',
  'DE-NW',
  'DE-RP',
  'DE-SL',
  'DE-SN',
  'DE-ST',
  'DE-SH',
  'DE-TH',
] as const
export type GermanLand = (typeof GERMAN_LAENDER)[number]

/** Buß- und Bettag: the Wednesday before 23 November (i.e. between 16 and 22 November). */
function repentanceDay(year: number): IsoDate {
  let date = formatIsoDate(year, 11, 22)
  while (isoWeekday(date) !== 3) date = addDays(date, -1)
  return date
}

const NATIONWIDE = 'nationwide (Einigungsvertrag Art. 2(2) for 3 October; Länder holiday acts for the others)'

export const GERMAN_HOLIDAY_RULES: readonly HolidayRule[] = [
  { name: 'Neujahr', date: fixed(1, 1), where: '*', basis: NATIONWIDE },
  { name: 'Karfreitag', date: easterOffset(-2), where: '*', basis: NATIONWIDE },
  { name: 'Ostermontag', date: easterOffset(1), where: '*', basis: NATIONWIDE },
  { name: 'Tag der Arbeit', date: fixed(5, 1), where: '*', basis: NATIONWIDE },
  { name: 'Christi Himmelfahrt', date: easterOffset(39), where: '*', basis: NATIONWIDE },
  { name: 'Pfingstmontag', date: easterOffset(50), where: '*', basis: NATIONWIDE },
  { name: 'Tag der Deutschen Einheit', date: fixed(10, 3), where: '*', basis: NATIONWIDE },
  { name: '1. Weihnachtstag', date: fixed(12, 25), where: '*', basis: NATIONWIDE },
  { name: '2. Weihnachtstag', date: fixed(12, 26), where: '*', basis: NATIONWIDE },
  // Sundays that are also statutory holidays: listed for completeness, they never change a result.
  {
    name: 'Ostersonntag',
    date: easterOffset(0),
    where: ['DE-BB', 'DE-HE'],
    basis: 'FTG BB § 2; HFeiertagsG § 1',
  },
  {
    name: 'Pfingstsonntag',
    date: easterOffset(49),
    where: ['DE-BB', 'DE-HE'],
    basis: 'FTG BB § 2; HFeiertagsG § 1',
  },
  {
    name: 'Heilige Drei Könige',
    date: fixed(1, 6),
    where: ['DE-BW', 'DE-BY', 'DE-ST'],
    basis: 'Länder holiday acts',
  },
  {
    name: 'Internationaler Frauentag',
    date: fixed(3, 8),
    where: ['DE-BE'],
    basis: 'FeiertG BE (since 2019)',
    fromYear: 2019,
  },
  {
    name: 'Internationaler Frauentag',
    date: fixed(3, 8),
    where: ['DE-MV'],
    basis: 'FTG M-V (since 2023)',
    fromYear: 2023,
  },
  {
    name: 'Tag der Befreiung (80. Jahrestag, einmalig)',
    date: fixed(5, 8),
    where: ['DE-BE'],
    basis: 'FeiertG BE, one-off holiday 2025',
    fromYear: 2025,
    toYear: 2025,
  },
  {
    name: 'Fronleichnam',
    date: easterOffset(60),
    where: ['DE-BW', 'DE-BY', 'DE-HE', 'DE-NW', 'DE-RP', 'DE-SL'],
    basis: 'Länder holiday acts',
  },
  { name: 'Mariä Himmelfahrt', date: fixed(8, 15), where: ['DE-SL'], basis: 'FTG SL' },
  {
    name: 'Weltkindertag',
    date: fixed(9, 20),
    where: ['DE-TH'],
    basis: 'ThürFtG (since 2019)',
    fromYear: 2019,
  },
  {
    name: 'Reformationstag',
    date: fixed(10, 31),
    where: ['DE-BB', 'DE-HB', 'DE-HH', 'DE-MV', 'DE-NI', 'DE-SN', 'DE-ST', 'DE-SH', 'DE-TH'],
    basis: 'Länder holiday acts',
  },
  {
    name: 'Allerheiligen',
    date: fixed(11, 1),
    where: ['DE-BW', 'DE-BY', 'DE-NW', 'DE-RP', 'DE-SL'],
    basis: 'Länder holiday acts',
  },
  { name: 'Buß- und Bettag', date: repentanceDay, where: ['DE-SN'], basis: 'SächsSFG § 1' },
]
