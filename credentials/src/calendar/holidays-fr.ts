// Official holidays (jours fériés) in France, Code du travail art. L3133-1, metropolitan and national.
// The Alsace-Moselle holidays (Vendredi saint, 26 décembre; art. L3134-13) and the overseas
// abolition-of-slavery days are regional and not part of the national calendar.
import { easterOffset, fixed, type HolidayRule } from './holiday-rules.ts'

const L3133_1 = 'Code du travail art. L3133-1'

export const FRENCH_HOLIDAY_RULES: readonly HolidayRule[] = [
  { name: "Jour de l'an", date: fixed(1, 1), where: '*', basis: L3133_1 },
  { name: 'Lundi de Pâques', date: easterOffset(1), where: '*', basis: L3133_1 },
  { name: 'Fête du Travail', date: fixed(5, 1), where: '*', basis: L3133_1 },
  { name: 'Victoire 1945', date: fixed(5, 8), where: '*', basis: L3133_1 },
  { name: 'Ascension', date: easterOffset(39), where: '*', basis: L3133_1 },
  // Still a public holiday in law, though many employers make it the "journée de solidarité".
  { name: 'Lundi de Pentecôte', date: easterOffset(50), where: '*', basis: L3133_1 },
  { name: 'Fête nationale', date: fixed(7, 14), where: '*', basis: L3133_1 },
  { name: 'Assomption', date: fixed(8, 15), where: '*', basis: L3133_1 },
  { name: 'Toussaint', date: fixed(11, 1), where: '*', basis: L3133_1 },
  { name: 'Armistice 1918', date: fixed(11, 11), where: '*', basis: L3133_1 },
  { name: 'Noël', date: fixed(12, 25), where: '*', basis: L3133_1 },
]
