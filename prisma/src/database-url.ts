import { isAbsolute, resolve } from 'node:path'
import type { Provider, ServiceName } from './layout.ts'

export interface DatabaseLocation {
  provider: Provider
  /** sqlite: absolute file path; postgresql: the connection string without the schema parameter. */
  target: string
  /** postgresql only: the schema holding this service's tables. */
  schema?: string
  /**
   * postgresql only: how long establishing a connection (or waiting for a free one of the pool) may
   * take before it fails, in ms. From the URL's `connect_timeout` (seconds, as libpq names it).
   */
  connectTimeoutMs?: number
}

/**
 * Connection timeout when the URL names none. Without one, a server behind a black-holed network
 * (TCP accepted, then silence) holds every request until the operating system gives up, minutes
 * later; 10 s is far above a healthy connect, even to a remote database over TLS.
 */
export const DEFAULT_CONNECT_TIMEOUT_SECONDS = 10
const MAX_CONNECT_TIMEOUT_SECONDS = 600

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
 * table; `?connect_timeout=` (seconds, default 10) bounds connecting. Anything else is a SQLite file
 * (`file:` prefix optional), relative to the working directory.
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
    const connectTimeout = parsed.searchParams.get('connect_timeout') ?? String(DEFAULT_CONNECT_TIMEOUT_SECONDS)
    // 0 would mean "wait forever" to libpq: refused rather than honoured
    if (!/^[1-9][0-9]{0,5}$/.test(connectTimeout) || Number(connectTimeout) > MAX_CONNECT_TIMEOUT_SECONDS)
      throw new DatabaseUrlInvalid(
        `connect_timeout must be a whole number of seconds from 1 to ${MAX_CONNECT_TIMEOUT_SECONDS}`,
      )
    // both are ours, not the driver's (node-postgres ignores connect_timeout in a URL)
    parsed.searchParams.delete('schema')
    parsed.searchParams.delete('connect_timeout')
    return {
      provider: 'postgresql',
      target: parsed.toString(),
      schema,
      connectTimeoutMs: Number(connectTimeout) * 1000,
    }
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
