import { createHash } from 'node:crypto'
import { credentialSchemaFor } from '@flora/credentials'
import canonicalize from 'canonicalize'
import { base58btc } from 'multiformats/bases/base58'
import { tsrSchemaPath } from './ledger-gateway.ts'

/** EBSI's schema id of a JSON schema: base58btc multibase of SHA-256 over its JCS canonical form. */
export function schemaIdOf(schema: unknown): string {
  const text = (canonicalize as unknown as (value: unknown) => string)(schema)
  return base58btc.encode(createHash('sha256').update(text).digest())
}

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
