import { readFileSync } from 'node:fs'
import { z } from 'zod'

const key = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'keys are lower-case slugs')

/** One trusted issuer (TI) of a bootstrap config. */
export const tiConfig = z.object({
  key,
  name: z.string().min(1),
  /** Authority role of the milestone catalogue (which types it may issue). */
  role: z.string().min(1),
  /** Narrows the role's types (default: every type the role may issue). */
  types: z.array(z.string().min(1)).optional(),
})

/** One TAO with its TIs. */
export const taoConfig = z.object({
  key,
  name: z.string().min(1),
  limitJurisdiction: z.string().url().optional(),
  tis: z.array(tiConfig),
})

/** A trust chain: Root TAO → TAOs → TIs. */
export const trustChainConfig = z.object({
  $comment: z.string().optional(),
  rootTao: z.object({ key, name: z.string().min(1) }),
  taos: z.array(taoConfig).min(1),
  /** Schemas when the catalogue is not used: milestone type → JSON schema. */
  schemas: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
})

export type TiConfig = z.infer<typeof tiConfig>
export type TaoConfig = z.infer<typeof taoConfig>
export type TrustChainConfig = z.infer<typeof trustChainConfig>

/** Resolves a role to milestone types and a type to its credential schema. */
export interface MilestoneCatalogue {
  typesForRole(role: string): string[]
  schemaFor(type: string): Record<string, unknown>
}

/** A TI's effective types: its `types`, which must all be issuable by its role, or the role's types. */
export function typesOfTi(ti: TiConfig, catalogue: MilestoneCatalogue): string[] {
  const allowed = catalogue.typesForRole(ti.role)
  if (allowed.length === 0) throw new Error(`role ${ti.role} of ${ti.key} issues no milestone type`)
  if (!ti.types) return allowed
  const refused = ti.types.filter((t) => !allowed.includes(t))
  if (refused.length) throw new Error(`${ti.key} (${ti.role}) may not issue ${refused.join(', ')}`)
  return ti.types
}

/** Every milestone type the chain accredits. */
export function typesOfChain(config: TrustChainConfig, catalogue: MilestoneCatalogue): string[] {
  return [...new Set(config.taos.flatMap((tao) => tao.tis.flatMap((ti) => typesOfTi(ti, catalogue))))]
}

/** The milestone catalogue of @flora/credentials, or one built from the config's `schemas`. */
export async function loadCatalogue(config?: TrustChainConfig): Promise<MilestoneCatalogue> {
  try {
    const credentials = (await import('@flora/credentials')) as {
      milestonesIssuableBy(role: string): readonly { type: string }[]
      credentialSchemaFor(type: string): Record<string, unknown>
    }
    return {
      typesForRole: (role) => credentials.milestonesIssuableBy(role).map((m) => m.type),
      schemaFor: (type) => ({ ...credentials.credentialSchemaFor(type) }),
    }
  } catch (error) {
    const schemas = config?.schemas
    if (!schemas)
      throw new Error('no milestone catalogue (@flora/credentials) and no "schemas" in the config', {
        cause: error,
      })
    return {
      typesForRole: () => Object.keys(schemas),
      schemaFor: (type) => {
        const schema = schemas[type]
        if (!schema) throw new Error(`no schema for ${type} in the config`)
        return schema
      },
    }
  }
}

/**
 * The pilot trust chain, Root TAO → TAO Germany → the German TIs (`config/pilot-trust-chain.json`): the one definition that
 * `flora-ledger bootstrap` and the pilot's own bootstrap both read.
 */
export function pilotTrustChainConfig(): TrustChainConfig {
  const file = new URL('../../config/pilot-trust-chain.json', import.meta.url)
  return trustChainConfig.parse(JSON.parse(readFileSync(file, 'utf8')))
}
