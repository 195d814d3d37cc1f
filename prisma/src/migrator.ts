import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { migrationsDir, type Provider, type ServiceName } from './layout.ts'

export interface Migration {
  name: string
  sql: string
  checksum: string
}

/** The committed migrations of one service for one provider, in the order they must run. */
export function loadMigrations(service: ServiceName, provider: Provider): Migration[] {
  const dir = migrationsDir(service, provider)
  if (!existsSync(dir)) return []
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, 'migration.sql'), 'utf8')
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') }
    })
}

/** What the migrator needs from a database connection; one implementation per driver. */
export interface MigrationTarget {
  /** Runs `fn` while holding an exclusive migration lock (two processes never migrate at once). */
  withLock<T>(fn: () => Promise<T>): Promise<T>
  ensureLedgerTable(): Promise<void>
  appliedMigrations(): Promise<Map<string, string>>
  /** Applies one migration's statements and records it, atomically. */
  apply(migration: Migration): Promise<void>
}

export class MigrationChecksumMismatch extends Error {
  readonly code = 'ERR_DB_MIGRATION_CHECKSUM'
  constructor(readonly migration: string) {
    super(`migration ${migration} was changed after it was applied; add a new migration instead`)
    this.name = 'MigrationChecksumMismatch'
  }
}

/**
 * Applies the pending committed migrations. Migrations are the ones `prisma migrate diff` wrote;
 * we apply them ourselves instead of spawning `prisma migrate deploy` so that a service (and every
 * test database) starts in milliseconds with only the database driver loaded.
 */
export async function applyMigrations(target: MigrationTarget, migrations: Migration[]): Promise<string[]> {
  return target.withLock(async () => {
    await target.ensureLedgerTable()
    const applied = await target.appliedMigrations()
    const newlyApplied: string[] = []
    for (const migration of migrations) {
      const checksum = applied.get(migration.name)
      if (checksum === migration.checksum) continue
      if (checksum !== undefined) throw new MigrationChecksumMismatch(migration.name)
      await target.apply(migration)
      newlyApplied.push(migration.name)
    }
    return newlyApplied
  })
}
