import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

/** EBSI's own OpenAPI 3.1 documents of the seven APIs this node serves (copies, unedited). */
export const EBSI_OPENAPI_DIR = join(dirname(fileURLToPath(import.meta.url)), 'openapi')

export type OpenApiDocument = {
  openapi: string
  info: Record<string, unknown>
  paths: Record<string, Record<string, unknown>>
  components?: { schemas?: Record<string, unknown>; [k: string]: unknown }
  [k: string]: unknown
}

/** Loads EBSI's documents by file name (e.g. "did-registry-v5"). */
export function loadEbsiDocuments(): Record<string, OpenApiDocument> {
  return Object.fromEntries(
    readdirSync(EBSI_OPENAPI_DIR)
      .filter((file) => file.endsWith('.yaml'))
      .map((file) => [
        file.replace(/\.yaml$/, ''),
        parse(readFileSync(join(EBSI_OPENAPI_DIR, file), 'utf8')) as OpenApiDocument,
      ]),
  )
}

/**
 * One OpenAPI 3.1 document for /openapi.json: the paths of EBSI's seven specs (already under their
 * base paths), each document's components namespaced by its API (`#/components/schemas/<api>.<name>`).
 */
export function buildLedgerOpenApi(version: string, serverUrl?: string): Record<string, unknown> {
  const documents = loadEbsiDocuments()
  const paths: Record<string, unknown> = {}
  const schemas: Record<string, unknown> = {}
  const examples: Record<string, unknown> = {}
  const securitySchemes: Record<string, unknown> = {}
  for (const [api, document] of Object.entries(documents)) {
    const rewrite = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(rewrite)
      if (value && typeof value === 'object') {
        return Object.fromEntries(
          Object.entries(value).map(([key, inner]) => [
            key,
            key === '$ref' && typeof inner === 'string'
              ? inner.replace(/^#\/components\/(\w+)\/(.+)$/, `#/components/$1/${api}.$2`)
              : rewrite(inner),
          ]),
        )
      }
      return value
    }
    Object.assign(paths, rewrite(document.paths) as Record<string, unknown>)
    for (const [kind, target] of [
      ['schemas', schemas],
      ['examples', examples],
      ['securitySchemes', securitySchemes],
    ] as const) {
      const group = (document.components?.[kind] ?? {}) as Record<string, unknown>
      for (const [name, value] of Object.entries(group)) target[`${api}.${name}`] = rewrite(value)
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'FLORA-VC embedded EBSI-compatible ledger node',
      version,
      description:
        "Serves EBSI's Authorisation v4, DID Registry v5, Trusted Issuers Registry v5, Trusted Schemas Registry v3, Timestamp v4, Ledger v4 and Trusted Policies Registry v3 APIs as EBSI's own OpenAPI documents specify (merged here).",
      license: { name: 'EUPL-1.2', url: 'https://joinup.ec.europa.eu/page/eupl-text-11-12' },
    },
    servers: serverUrl ? [{ url: serverUrl }] : [],
    paths,
    components: { schemas, examples, securitySchemes },
  }
}
