import { credentialSchemaFor } from '@flora/credentials'
import { schemaIdOf as ebsiSchemaIdOf } from '@flora/ebsi-connector/core'
import { tsrSchemaPath } from './ledger-gateway.ts'

/** EBSI's schema id of a JSON schema in the form TSR URLs carry (base58btc multibase). */
export const schemaIdOf = (schema: unknown): string => ebsiSchemaIdOf(schema).multibase

const cache = new Map<string, string>()
/** TSR URL of a milestone type's credential schema on the ledger at `baseUrl`. */
export function schemaUrlOf(baseUrl: string, type: string): string {
  let id = cache.get(type)
  if (!id) {
    id = schemaIdOf(credentialSchemaFor(type))
    cache.set(type, id)
  }
  return `${baseUrl}${tsrSchemaPath(id)}`
}
