import pg from 'pg'
import type { Migration, MigrationTarget } from '../migrator.ts'

const ledgerTable = '_flora_migrations'

/** Migration target over a direct pg connection, inside the service's own schema. */
export async function postgresMigrationTarget(
  connectionString: string,
  schema: string,
  connectTimeoutMs?: number,
): Promise<MigrationTarget & { close(): Promise<void> }> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: connectTimeoutMs })
  await client.connect()
  const quotedSchema = `"${schema.replaceAll('"', '""')}"`
  await client.query(`CREATE SCHEMA IF NOT EXISTS ${quotedSchema}`)
  await client.query(`SET search_path TO ${quotedSchema}`)
  return {
    async withLock(fn) {
      // One advisory lock per schema: concurrent starts of the same service migrate once.
      await client.query('SELECT pg_advisory_lock(hashtext($1))', [`flora-migrate:${schema}`])
      try {
        return await fn()
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`flora-migrate:${schema}`])
      }
    },
    async ensureLedgerTable() {
      await client.query(
        `CREATE TABLE IF NOT EXISTS "${ledgerTable}" (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)`,
      )
    },
    async appliedMigrations() {
      const { rows } = await client.query<{ name: string; checksum: string }>(
        `SELECT name, checksum FROM "${ledgerTable}"`,
      )
      return new Map(rows.map((row) => [row.name, row.checksum]))
    },
    async apply(migration: Migration) {
      await client.query('BEGIN')
      try {
        await client.query(migration.sql)
        await client.query(
          `INSERT INTO "${ledgerTable}" (name, checksum, applied_at) VALUES ($1, $2, now())`,
          [migration.name, migration.checksum],
        )
        await client.query('COMMIT')
      } catch (error) {
        await client.query('ROLLBACK')
        throw error
      }
    },
    close: () => client.end(),
  }
}
