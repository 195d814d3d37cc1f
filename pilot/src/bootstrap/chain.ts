import { type AuthorityRole, authorityRoles, milestonesIssuableBy } from '@flora/credentials'
import {
  typesOfTi as chainTypesOfTi,
  loadCatalogue,
  pilotTrustChainConfig,
  type TrustChainConfig,
} from '@flora/ebsi-connector'

/**
 * The pilot trust chain (ebsi-connector/config/pilot-trust-chain.json) as data: Root TAO → TAO Germany (BAMF headquarters) → the
 * German TIs; → TAO France (ministry, Dublin coordination) → the French Dublin unit. TIs are tenants
 * of the issuer deployment; the verifier (the French Dublin unit's verification service) is onboarded
 * by TAO France. Adding a site or a Land is one more TI (`onboardAuthority`), not a code change.
 * The chain itself is ebsi-connector's `config/pilot-trust-chain.json`, which `flora-ledger
 * bootstrap` reads too; this module adds only the pilot's sites and demo accounts.
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

/**
 * What the pilot adds to the chain the ledger bootstrap reads (`pilotTrustChainConfig`): where each
 * authority sits (ISO 3166-2, or the country for federal ones) and its demo staff accounts.
 */
const pilotSites: Record<string, Pick<PilotTi, 'jurisdiction' | 'account'>> = {
  'bamf-dresden': { jurisdiction: 'DE-SN', account: { local: 'dresden', domain: 'bamf.test' } },
  'bamf-chemnitz': { jurisdiction: 'DE-SN', account: { local: 'chemnitz', domain: 'bamf.test' } },
  'bamf-leipzig': { jurisdiction: 'DE-SN', account: { local: 'leipzig', domain: 'bamf.test' } },
  'bamf-dublin-unit': { jurisdiction: 'DE', account: { local: 'dublin', domain: 'bamf.test' } },
  'landesdirektion-sachsen': { jurisdiction: 'DE-SN', account: { local: 'lds', domain: 'sachsen.test' } },
  'zab-sachsen': { jurisdiction: 'DE-SN', account: { local: 'zab', domain: 'sachsen.test' } },
  bundespolizei: { jurisdiction: 'DE', account: { local: 'bpol', domain: 'bundespolizei.test' } },
  'fr-dublin-unit': { jurisdiction: 'FR', account: { local: 'pole-dublin', domain: 'interieur.test' } },
}

function countryOfJurisdictionUri(uri: string | undefined, tao: string): string {
  const country = Object.entries(JURISDICTION_URI).find(([, known]) => known === uri)?.[0]
  if (!country) throw new Error(`TAO ${tao}: limitJurisdiction ${uri ?? '(none)'} is not a known country`)
  return country
}

function pilotChainOf(config: TrustChainConfig): PilotChain {
  return {
    rootTao: config.rootTao,
    taos: config.taos.map((tao) => ({
      key: tao.key,
      name: tao.name,
      country: countryOfJurisdictionUri(tao.limitJurisdiction, tao.key),
      tis: tao.tis.map((ti) => {
        const site = pilotSites[ti.key]
        if (!site) throw new Error(`the pilot has no site and accounts for ${ti.key}`)
        if (!(authorityRoles as readonly string[]).includes(ti.role))
          throw new Error(`${ti.key}: unknown role ${ti.role}`)
        return {
          id: ti.key,
          name: ti.name,
          role: ti.role as AuthorityRole,
          ...(ti.types ? { types: ti.types } : {}),
          ...site,
        }
      }),
    })),
    verifier: {
      tao: 'fr-ministry',
      accounts: [
        { username: 'dublin.officer', role: 'officer' },
        { username: 'dublin.admin', role: 'admin' },
      ],
    },
    anchoringAuthorisedBy: config.rootTao.key,
  }
}

export const pilotChain: PilotChain = pilotChainOf(pilotTrustChainConfig())

const catalogue = await loadCatalogue()

/** A TI's milestone types: its `types` (each must be issuable by its role) or every type of its role. */
export function typesOfTi(ti: Pick<PilotTi, 'id' | 'name' | 'role' | 'types'>): string[] {
  return chainTypesOfTi(
    { key: ti.id, name: ti.name, role: ti.role, ...(ti.types ? { types: ti.types } : {}) },
    catalogue,
  )
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
  if (!tao)
    throw new Error(
      `no TAO accredits authorities in ${jurisdiction} (known: ${chain.taos.map((t) => t.country).join(', ')})`,
    )
  return tao
}

export function jurisdictionUri(jurisdiction: string): string {
  const uri = JURISDICTION_URI[jurisdiction.slice(0, 2).toUpperCase()]
  if (!uri) throw new Error(`no jurisdiction URI for ${jurisdiction}`)
  return uri
}
