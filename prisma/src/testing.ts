import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'

/** The PostgreSQL server the test suites use (CI starts it; see README "Prerequisites"). */
export const testPostgresUrl =
  process.env.FLORA_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

/**
 * Fails loudly — never skips — when the PostgreSQL the suites need is not reachable, so that a
 * missing server can never be mistaken for a passing run.
 */
export async function requirePostgres(url = testPostgresUrl): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 })
  try {
    await client.connect()
    await client.query('SELECT 1')
  } catch (error) {
    throw new Error(
      `PostgreSQL is required for this test suite but is not reachable at ${url} (${(error as Error).message}). ` +
        'Start it (e.g. `pg_ctlcluster 15 main start`) or point FLORA_TEST_POSTGRES_URL at a server; .ci/run does this.',
    )
  } finally {
    await client.end().catch(() => {})
  }
}

/** A throw-away database location for one test: a temp SQLite file or a fresh PostgreSQL schema. */
export interface TestDatabase {
  url: string
  /** A directory for the service's other local files (generated key files), removed with it. */
  dataDir: string
  dispose(): Promise<void>
}

export function tempSqliteDatabase(): TestDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'flora-db-'))
  return {
    url: `file:${join(dir, 'test.db')}`,
    dataDir: dir,
    dispose: async () => rmSync(dir, { recursive: true, force: true }),
  }
}

export async function tempPostgresDatabase(base = testPostgresUrl): Promise<TestDatabase> {
  await requirePostgres(base)
  const schema = `t_${randomBytes(6).toString('hex')}`
  const url = new URL(base)
  url.searchParams.set('schema', schema)
  const dataDir = mkdtempSync(join(tmpdir(), 'flora-data-'))
  return {
    url: url.toString(),
    dataDir,
    dispose: async () => {
      rmSync(dataDir, { recursive: true, force: true })
      const client = new pg.Client({ connectionString: base, connectionTimeoutMillis: 10_000 })
      await client.connect()
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
      await client.end()
    },
  }
}
