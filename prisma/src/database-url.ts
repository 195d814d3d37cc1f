import { isAbsolute, resolve } from 'node:path'
import type { Provider, ServiceName } from './layout.ts'

export interface DatabaseLocation {
  provider: Provider
  /** sqlite: absolute file path; postgresql: the connection string without the schema parameter. */
  target: string
  /** postgresql only: the schema holding this service's tables. */
  schema?: string
}

export class DatabaseUrlInvalid extends Error {
  readonly code = 'ERR_DB_URL_INVALID'
  constructor(message: string) {
    super(message)
    this.name = 'DatabaseUrlInvalid'
  }
}

/**
 * Where a service's database is. `postgres://` / `postgresql://` selects PostgreSQL; the service's
 * tables live in the schema named by `?schema=` or, by default, after the service, so that one
 * PostgreSQL database can host the co-located parties of the pilot without any of them sharing a
 * table. Anything else is a SQLite file (`file:` prefix optional), relative to the working directory.
 */
export function parseDatabaseUrl(service: ServiceName, url: string): DatabaseLocation {
  if (/^postgres(ql)?:\/\//.test(url)) {
    let parsed: URL
    try {
      parsed = new URL(url)
    } catch {
      throw new DatabaseUrlInvalid(`database URL for ${service} is not a valid URL`)
    }
    const schema = parsed.searchParams.get('schema') ?? service
    if (!/^[a-z_][a-z0-9_]{0,62}$/i.test(schema))
      throw new DatabaseUrlInvalid(`invalid schema name "${schema}"`)
    parsed.searchParams.delete('schema')
    return { provider: 'postgresql', target: parsed.toString(), schema }
  }
  const path = url.replace(/^file:/, '')
  if (path === '' || path.includes('?'))
    throw new DatabaseUrlInvalid(`database URL for ${service} is not a file path`)
  return { provider: 'sqlite', target: isAbsolute(path) ? path : resolve(path) }
}

/**
 * The database URL a service uses when its config names none: `FLORA_<SERVICE>_DATABASE_URL`, else a
 * PostgreSQL `DATABASE_URL` (one schema per service), else `<dataDir>/<service>.db`.
 */
export function defaultDatabaseUrl(
  service: ServiceName,
  env: Record<string, string | undefined> = process.env,
  dataDir = env.FLORA_DATA_DIR ?? 'data',
): string {
  const own = env[`FLORA_${service.toUpperCase()}_DATABASE_URL`]
  if (own) return own
  if (env.DATABASE_URL && /^postgres(ql)?:\/\//.test(env.DATABASE_URL)) return env.DATABASE_URL
  return `file:${resolve(dataDir, `${service}.db`)}`
}
