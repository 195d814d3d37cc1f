import Database from 'better-sqlite3'
import type { Migration, MigrationTarget } from '../migrator.ts'

const ledgerTable = '_flora_migrations'

/** Migration target over a direct better-sqlite3 connection (the embedded default). */
export function sqliteMigrationTarget(path: string): MigrationTarget & { close(): void } {
  const db = new Database(path, { timeout: 10_000 })
  // WAL lets readers proceed while a writer commits; it is a property of the file, set once here.
  db.pragma('journal_mode = WAL')
  return {
    async withLock(fn) {
      // BEGIN IMMEDIATE takes SQLite's write lock up front, so a second process waits rather than
      // reading a ledger that is about to change.
      db.exec('BEGIN IMMEDIATE')
      try {
        const result = await fn()
        db.exec('COMMIT')
        return result
      } catch (error) {
        db.exec('ROLLBACK')
        throw error
      }
    },
    async ensureLedgerTable() {
      db.exec(
        `CREATE TABLE IF NOT EXISTS "${ledgerTable}" (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)`,
      )
    },
    async appliedMigrations() {
      const rows = db.prepare(`SELECT name, checksum FROM "${ledgerTable}"`).all() as {
        name: string
        checksum: string
      }[]
      return new Map(rows.map((row) => [row.name, row.checksum]))
    },
    async apply(migration: Migration) {
      db.exec(migration.sql)
      db.prepare(`INSERT INTO "${ledgerTable}" (name, checksum, applied_at) VALUES (?, ?, ?)`).run(
        migration.name,
        migration.checksum,
        new Date().toISOString(),
      )
    },
    close() {
      db.close()
    },
  }
}
