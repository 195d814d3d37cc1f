/**
 * Authority roles that issue milestones, derived from the authorities competent in the Dublin procedure and
 * the pilot trust chain. A role is what a TI is accredited as; the concrete authority
 * (BAMF Dresden, Landesdirektion Sachsen, …) is an onboarding record, not code.
 */

import type { LocalizedText } from './types.ts'

/** Every authority role the catalogue knows. */
export const authorityRoles = [
  'BAMF_BRANCH_OFFICE',
  'BAMF_DUBLIN_UNIT',
  'RECEPTION_AUTHORITY',
  'FOREIGNERS_AUTHORITY',
  'FEDERAL_POLICE',
  'LAND_POLICE',
  'HEALTH_AUTHORITY',
  'ADMINISTRATIVE_COURT',
  'FOREIGN_DUBLIN_UNIT',
] as const

/** An authority role that may be accredited to issue milestone types. */
export type AuthorityRole = (typeof authorityRoles)[number]

/** Description of an authority role. */
export interface AuthorityRoleDefinition {
  readonly role: AuthorityRole
  readonly title: LocalizedText
  /** Example authorities (pilot: Saxony and France). */
  readonly examples: readonly string[]
}

/** The roles with titles and example authorities. */
export const authorityRoleCatalogue: readonly AuthorityRoleDefinition[] = Object.freeze([
  {
    role: 'BAMF_BRANCH_OFFICE',
    title: {
      de: 'BAMF-Außenstelle',
      fr: "Antenne de l'Office fédéral des migrations et des réfugiés (BAMF)",
      en: 'BAMF branch office',
    },
    examples: ['BAMF Außenstelle Dresden', 'BAMF Außenstelle Chemnitz', 'BAMF Außenstelle Leipzig'],
  },
  {
    role: 'BAMF_DUBLIN_UNIT',
    title: {
      de: 'BAMF Dublin-Referat (nationale DubliNet-Zugangsstelle)',
      fr: "Unité Dublin du BAMF (point d'accès national DubliNet)",
      en: 'BAMF Dublin unit (national DubliNet access point)',
    },
    examples: ['BAMF Dublin unit'],
  },
  {
    role: 'RECEPTION_AUTHORITY',
    title: {
      de: 'Aufnahmebehörde des Landes (Erstaufnahmeeinrichtung)',
      fr: "Autorité d'accueil du Land",
      en: 'Land reception authority',
    },
    examples: ['Landesdirektion Sachsen'],
  },
  {
    role: 'FOREIGNERS_AUTHORITY',
    title: {
      de: '(Zentrale) Ausländerbehörde',
      fr: 'Service (central) des étrangers',
      en: '(Central) foreigners authority',
    },
    examples: ['Zentrale Ausländerbehörde Sachsen', 'Ausländerbehörde Stadt Dresden'],
  },
  {
    role: 'FEDERAL_POLICE',
    title: { de: 'Bundespolizei', fr: 'Police fédérale', en: 'Federal Police' },
    examples: ['Bundespolizeidirektion Pirna'],
  },
  {
    role: 'LAND_POLICE',
    title: { de: 'Landespolizei', fr: 'Police du Land', en: 'Land police' },
    examples: ['Polizei Sachsen'],
  },
  {
    role: 'HEALTH_AUTHORITY',
    title: {
      de: 'Gesundheitsamt oder vom Land beauftragter medizinischer Dienst',
      fr: 'Autorité sanitaire ou service médical mandaté par le Land',
      en: 'Health authority or medical service commissioned by the Land',
    },
    examples: ['Gesundheitsamt Dresden'],
  },
  {
    role: 'ADMINISTRATIVE_COURT',
    title: { de: 'Verwaltungsgericht', fr: 'Tribunal administratif', en: 'Administrative court' },
    examples: ['Verwaltungsgericht Dresden'],
  },
  {
    role: 'FOREIGN_DUBLIN_UNIT',
    title: {
      de: 'Dublin-Stelle eines anderen Mitgliedstaats',
      fr: "Unité Dublin d'un autre État membre",
      en: 'Dublin unit of another Member State',
    },
    examples: ['Pôle régional Dublin / ministère de l’Intérieur (FR)'],
  },
] satisfies AuthorityRoleDefinition[])

/**
 * Whether a value is a known authority role.
 * @param value - any value
 * @returns true when `value` is one of {@link authorityRoles}
 */
export function isAuthorityRole(value: unknown): value is AuthorityRole {
  return typeof value === 'string' && (authorityRoles as readonly string[]).includes(value)
}
