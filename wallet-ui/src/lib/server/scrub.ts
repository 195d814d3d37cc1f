import type { WalletDb } from './db.ts'

/** Whether the scrub reached every byte it can reach, and if not, why. */
export type ScrubResult = { complete: true } | { complete: false; reason: string }

/**
 * Rewrites the database's files so that rows deleted or updated before no longer lie in them (a
 * database "delete" only marks space free).
 *
 * SQLite: checkpoint the WAL into the file and truncate it, VACUUM (which rebuilds every page of
 * the file from the live rows; in WAL mode the new pages go through the WAL), then checkpoint and
 * truncate again. Afterwards neither the file nor the WAL holds a deleted row. Incomplete when
 * another connection still reads an old snapshot: the WAL cannot be truncated then.
 *
 * PostgreSQL: VACUUM FULL of `tables` writes each table and its indexes into new files and drops the
 * old ones, so the live files hold no old row version. (Plain VACUUM only marks the space of dead
 * rows reusable; their bytes stay in the pages until overwritten.) What it cannot reach: the
 * dropped files' blocks are freed to the file system, not overwritten; the server's WAL segments
 * hold the old rows until they are recycled, and archived WAL, replicas and base backups keep them.
 * It takes an exclusive lock on each table while it runs.
 *
 * Beneath either: file systems and SSDs may keep old blocks; only the storage's own erasure or
 * encryption at rest reaches them.
 */
export async function scrubFreedSpace(db: WalletDb, where: { schema: string; tables: readonly string[] }): Promise<ScrubResult> {
  const client = db.client
  if (db.provider === 'sqlite') {
    await checkpoint(db)
    await client.$executeRawUnsafe('VACUUM')
    const busy = await checkpoint(db)
    return busy ? { complete: false, reason: 'another connection reads the database: its WAL could not be truncated' } : { complete: true }
  }
  if (!/^[a-z_][a-z0-9_]*$/i.test(where.schema)) throw new Error(`invalid schema name "${where.schema}"`)
  // VACUUM cannot run in a transaction: each statement on its own
  for (const table of where.tables) await client.$executeRawUnsafe(`VACUUM FULL "${where.schema}"."${table}"`)
  return { complete: true }
}

/** PRAGMA wal_checkpoint(TRUNCATE); true when a reader kept it from finishing. */
async function checkpoint(db: WalletDb): Promise<boolean> {
  const [result] = await db.client.$queryRawUnsafe<{ busy: bigint | number }[]>('PRAGMA wal_checkpoint(TRUNCATE)')
  return Number(result?.busy ?? 1) !== 0
}
