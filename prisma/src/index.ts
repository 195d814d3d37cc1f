import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3'
import { PrismaPg } from '@prisma/adapter-pg'
import { type DatabaseLocation, parseDatabaseUrl } from './database-url.ts'
import type { PrismaClient as IssuerClient } from './generated/issuer-sqlite/client.ts'
import type { PrismaClient as LedgerClient } from './generated/ledger-sqlite/client.ts'
import type { PrismaClient as VerifierClient } from './generated/verifier-sqlite/client.ts'
import type { PrismaClient as WalletClient } from './generated/wallet-sqlite/client.ts'
import type { Provider, ServiceName } from './layout.ts'
import { applyMigrations, loadMigrations } from './migrator.ts'
import { postgresMigrationTarget } from './targets/postgres.ts'
import { captureSqliteConnection, type SqliteHandle } from './sqlite-handle.ts'
import { SqliteWriter } from './sqlite-writer/sqlite-writer.ts'
import { sqliteMigrationTarget } from './targets/sqlite.ts'

export {
  DatabaseUrlInvalid,
  DEFAULT_CONNECT_TIMEOUT_SECONDS,
  defaultDatabaseUrl,
  parseDatabaseUrl,
} from './database-url.ts'
export { type Provider, providers, type ServiceName, services } from './layout.ts'
export { MigrationChecksumMismatch } from './migrator.ts'
export { type SqliteHandle, sqliteDateTime } from './sqlite-handle.ts'
export { compressText, readStoredText } from './sqlite-writer/compressed-text.ts'
export {
  SqliteWriteFailed,
  type SqliteWriter,
  type WriteParameter,
  type WriteStatement,
} from './sqlite-writer/sqlite-writer.ts'

/**
 * The Prisma client of each service. The SQLite and PostgreSQL clients are generated from the same
 * model text, so their APIs are identical; the SQLite one names the type.
 */
export interface ClientByService {
  ledger: LedgerClient
  issuer: IssuerClient
  verifier: VerifierClient
  wallet: WalletClient
}

export interface CreateDbOptions<S extends ServiceName> {
  service: S
  /** See parseDatabaseUrl; a service's config resolves it with defaultDatabaseUrl. */
  url: string
  /** Apply pending committed migrations before returning (default true). */
  migrate?: boolean
}

export interface Db<S extends ServiceName> {
  readonly service: S
  readonly provider: Provider
  readonly client: ClientByService[S]
  /** Names of the migrations this call applied (empty when the schema was current). */
  readonly appliedMigrations: string[]
  /** SQLite only: the connection under the client, for set-wise hot paths (see SqliteHandle). */
  readonly sqlite?: SqliteHandle
  /** SQLite only: a second connection on a thread of its own, started on first use (see SqliteWriter). */
  readonly sqliteWriter?: SqliteWriter
  /** Round trip to the database (health checks). */
  ping(): Promise<void>
  close(): Promise<void>
}

/** How long a SQLite connection waits for another connection's write lock before SQLITE_BUSY. */
const SQLITE_BUSY_TIMEOUT_MS = 10_000

/** Opens (and by default migrates) a service's own database. */
export async function createDb<S extends ServiceName>(options: CreateDbOptions<S>): Promise<Db<S>> {
  const location = parseDatabaseUrl(options.service, options.url)
  const appliedMigrations = options.migrate === false ? [] : await migrate(options.service, location)
  const { PrismaClient } = (await import(
    `./generated/${options.service}-${location.provider}/client.ts`
  )) as {
    PrismaClient: new (args: { adapter: unknown }) => ClientByService[S]
  }
  const captured =
    location.provider === 'sqlite'
      ? captureSqliteConnection(
          new PrismaBetterSQLite3({ url: location.target, timeout: SQLITE_BUSY_TIMEOUT_MS }),
        )
      : undefined
  const adapter = captured
    ? captured.factory
    : new PrismaPg(
        // pg-pool applies it to a new connection's handshake and to waiting for a free one
        { connectionString: location.target, connectionTimeoutMillis: location.connectTimeoutMs },
        { schema: location.schema },
      )
  const client = new PrismaClient({ adapter })
  let sqlite: SqliteHandle | undefined
  let sqliteWriter: SqliteWriter | undefined
  if (captured) {
    await (client as unknown as { $connect(): Promise<void> }).$connect()
    sqlite = captured.handle()
    sqliteWriter = new SqliteWriter({ path: location.target, busyTimeoutMs: SQLITE_BUSY_TIMEOUT_MS })
  }
  return {
    service: options.service,
    provider: location.provider,
    client,
    appliedMigrations,
    ...(sqlite ? { sqlite } : {}),
    ...(sqliteWriter ? { sqliteWriter } : {}),
    ping: async () => {
      await (client as unknown as { $queryRawUnsafe(sql: string): Promise<unknown> }).$queryRawUnsafe(
        'SELECT 1',
      )
    },
    close: async () => {
      await sqliteWriter?.close()
      await (client as unknown as { $disconnect(): Promise<void> }).$disconnect()
    },
  }
}

async function migrate(service: ServiceName, location: DatabaseLocation): Promise<string[]> {
  const migrations = loadMigrations(service, location.provider)
  if (location.provider === 'sqlite') {
    mkdirSync(dirname(location.target), { recursive: true })
    const target = sqliteMigrationTarget(location.target)
    try {
      return await applyMigrations(target, migrations)
    } finally {
      target.close()
    }
  }
  const target = await postgresMigrationTarget(
    location.target,
    location.schema ?? service,
    location.connectTimeoutMs,
  )
  try {
    return await applyMigrations(target, migrations)
  } finally {
    await target.close()
  }
}
