import { type AuthorityRole, authorityRoles, milestonesIssuableBy } from '@flora/credentials'

/**
 * The pilot trust chain (DESIGN.md §6) as data: Root TAO → TAO Germany (BAMF headquarters) → the
 * German TIs; → TAO France (ministry, Dublin coordination) → the French Dublin unit. TIs are tenants
 * of the issuer deployment; the verifier (the French Dublin unit's verification service) is onboarded
 * by TAO France. Adding a site or a Land is one more TI (`onboardAuthority`), not a code change.
 */

/** EU "atu" authority table URIs, EBSI's `limitJurisdiction` vocabulary. */
export const JURISDICTION_URI: Record<string, string> = {
  DE: 'https://publications.europa.eu/resource/authority/atu/DEU',
  FR: 'https://publications.europa.eu/resource/authority/atu/FRA',
}

export interface PilotTi {
  /** Tenant id in the issuer (slug). */
  id: string
  name: string
  role: AuthorityRole
  /** ISO 3166-2 (DE-SN) or ISO 3166-1 (FR). */
  jurisdiction: string
  /** Narrows the role's milestone types (default: every type the role may issue). */
  types?: string[]
  /** Demo staff accounts `<local>.staff@<domain>` and `<local>.admin@<domain>`. */
  account: { local: string; domain: string }
}

export interface PilotTao {
  /** Key of the TAO in the trust-anchor store. */
  key: string
  name: string
  /** ISO 3166-1 alpha-2 country the TAO accredits in. */
  country: string
  tis: PilotTi[]
}

export interface PilotChain {
  rootTao: { key: string; name: string }
  taos: PilotTao[]
  /** The verifier service: which TAO authorises its onboarding, its demo staff accounts. */
  verifier: { tao: string; accounts: { username: string; role: 'officer' | 'admin' }[] }
  /** Which TAO authorises the onboarding of the issuer deployment's anchoring identity (or the Root TAO). */
  anchoringAuthorisedBy: string
}

const saxony = (id: string, name: string, role: AuthorityRole, local: string, domain: string): PilotTi => ({
  id,
  name,
  role,
  jurisdiction: 'DE-SN',
  account: { local, domain },
})

export const pilotChain: PilotChain = {
  rootTao: { key: 'pilot-root-tao', name: 'FLORA pilot Root TAO (trust anchor)' },
  taos: [
    {
      key: 'bamf-hq',
      name: 'Bundesamt für Migration und Flüchtlinge, Zentrale (TAO Germany)',
      country: 'DE',
      tis: [
        saxony('bamf-dresden', 'BAMF Außenstelle Dresden', 'BAMF_BRANCH_OFFICE', 'dresden', 'bamf.test'),
        saxony('bamf-chemnitz', 'BAMF Außenstelle Chemnitz', 'BAMF_BRANCH_OFFICE', 'chemnitz', 'bamf.test'),
        saxony('bamf-leipzig', 'BAMF Außenstelle Leipzig', 'BAMF_BRANCH_OFFICE', 'leipzig', 'bamf.test'),
        { ...saxony('bamf-dublin-unit', 'BAMF Dublin-Referat', 'BAMF_DUBLIN_UNIT', 'dublin', 'bamf.test'), jurisdiction: 'DE' },
        saxony('landesdirektion-sachsen', 'Landesdirektion Sachsen', 'RECEPTION_AUTHORITY', 'lds', 'sachsen.test'),
        saxony('zab-sachsen', 'Zentrale Ausländerbehörde Sachsen', 'FOREIGNERS_AUTHORITY', 'zab', 'sachsen.test'),
        { ...saxony('bundespolizei', 'Bundespolizei', 'FEDERAL_POLICE', 'bpol', 'bundespolizei.test'), jurisdiction: 'DE' },
      ],
    },
    {
      key: 'fr-ministry',
      name: "Ministère de l'Intérieur, coordination Dublin (TAO France)",
      country: 'FR',
      tis: [
        {
          id: 'fr-dublin-unit',
          name: 'Pôle régional Dublin (French Dublin unit)',
          role: 'FOREIGN_DUBLIN_UNIT',
          jurisdiction: 'FR',
          types: ['DublinReplyMilestone', 'DublinReexaminationReplyMilestone'],
          account: { local: 'pole-dublin', domain: 'interieur.test' },
        },
      ],
    },
  ],
  verifier: {
    tao: 'fr-ministry',
    accounts: [
      { username: 'dublin.officer', role: 'officer' },
      { username: 'dublin.admin', role: 'admin' },
    ],
  },
  anchoringAuthorisedBy: 'pilot-root-tao',
}

/** A TI's milestone types: its `types` (each must be issuable by its role) or every type of its role. */
export function typesOfTi(ti: Pick<PilotTi, 'id' | 'role' | 'types'>): string[] {
  const allowed = milestonesIssuableBy(ti.role).map((m) => m.type)
  if (!ti.types) return allowed
  const refused = ti.types.filter((t) => !(allowed as string[]).includes(t))
  if (refused.length) throw new Error(`${ti.id} (${ti.role}) may not issue ${refused.join(', ')}`)
  return ti.types
}

/**
 * What a TAO is accredited for: every type an authority of its country may issue (so that onboarding
 * any further authority there needs no re-accreditation of the TAO). Germany: every domestic role;
 * other states: the foreign Dublin unit's types.
 */
export function typesOfTao(tao: Pick<PilotTao, 'country'>): string[] {
  const roles = authorityRoles.filter((role) =>
    tao.country === 'DE' ? role !== 'FOREIGN_DUBLIN_UNIT' : role === 'FOREIGN_DUBLIN_UNIT',
  )
  return [...new Set(roles.flatMap((role) => milestonesIssuableBy(role).map((m) => m.type)))]
}

/** The TAO that accredits authorities of a jurisdiction (by its country prefix). */
export function taoForJurisdiction(chain: PilotChain, jurisdiction: string): PilotTao {
  const country = jurisdiction.slice(0, 2).toUpperCase()
  const tao = chain.taos.find((t) => t.country === country)
  if (!tao) throw new Error(`no TAO accredits authorities in ${jurisdiction} (known: ${chain.taos.map((t) => t.country).join(', ')})`)
  return tao
}

export function jurisdictionUri(jurisdiction: string): string {
  const uri = JURISDICTION_URI[jurisdiction.slice(0, 2).toUpperCase()]
  if (!uri) throw new Error(`no jurisdiction URI for ${jurisdiction}`)
  return uri
}
