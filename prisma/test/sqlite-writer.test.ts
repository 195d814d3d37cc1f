import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDb, type Db, readStoredText, SqliteWriteFailed } from '../src/index.ts'
import { type TestDatabase, tempSqliteDatabase } from '../src/testing.ts'
import { insert, lockHolder, row } from './support/lock-holder.ts'

// The writer thread commits on a connection of its own so that commits, lock waits and checkpoints
// never stall the event loop; what it writes must be exactly what a transaction on the service's
// connection would have written.
let database: TestDatabase
let db: Db<'verifier'>

beforeAll(async () => {
  database = tempSqliteDatabase()
  db = await createDb({ service: 'verifier', url: database.url })
})

afterAll(async () => {
  await db.close()
  await database.dispose()
})

const reportInsert = `INSERT INTO "VerificationReport" ("id","createdAt","createdBy","source","verdict","credentials","reportJson") VALUES (?,?,?,?,?,?,?)`
const reportRow = (id: string, json: string | { compress: string }) => [
  id,
  '2026-11-27T00:00:00.000+00:00',
  'tests',
  'direct',
  'valid',
  1,
  json,
]

describe('SqliteWriter', () => {
  it('commits a batch in one transaction, visible to Prisma once the promise resolves', async () => {
    expect(
      await db.sqliteWriter!.run([
        { sql: insert, params: row('writer-1') },
        { sql: insert, params: row('writer-2') },
      ]),
    ).toEqual([1, 1])
    const rows = await db.client.verificationLogEntry.findMany({
      where: { id: { in: ['writer-1', 'writer-2'] } },
    })
    expect(rows.map((r) => r.id).sort()).toEqual(['writer-1', 'writer-2'])
    expect(rows[0]!.durationMs).toBe(1)
  })

  it('gives the rows each statement changed: a guarded update changes one row once, then none', async () => {
    const consume = {
      sql: `UPDATE "VerificationLogEntry" SET "verdict" = 'consumed' WHERE "id" = ? AND "verdict" IS NULL`,
      params: ['writer-2'],
    }
    expect(await db.sqliteWriter!.run([consume])).toEqual([1])
    expect(await db.sqliteWriter!.run([consume])).toEqual([0])
  })

  it('stores a { compress } parameter deflated, and readStoredText gives the text back', async () => {
    const text = JSON.stringify({
      checks: Array.from({ length: 500 }, (_, i) => ({ step: 'status', index: i })),
    })
    await db.sqliteWriter!.run([
      { sql: reportInsert, params: reportRow('compressed', { compress: text }) },
      { sql: reportInsert, params: reportRow('plain', text) },
    ])
    const stored = await db.client.verificationReport.findMany({
      where: { id: { in: ['compressed', 'plain'] } },
      orderBy: { id: 'asc' },
    })
    expect(stored[0]!.reportJson.startsWith('z:')).toBe(true)
    expect(stored[0]!.reportJson.length).toBeLessThan(text.length / 5)
    expect(stored[1]!.reportJson).toBe(text)
    expect(readStoredText(stored[0]!.reportJson)).toBe(text)
    expect(readStoredText(stored[1]!.reportJson)).toBe(text)
  })

  it('stores bytes as a BLOB, unchanged (they cross to the thread as a plain Uint8Array)', async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255])
    await db.sqliteWriter!.run([
      { sql: 'CREATE TABLE IF NOT EXISTS "WriterBlobProbe" ("b" BLOB)', params: [] },
      { sql: 'INSERT INTO "WriterBlobProbe" ("b") VALUES (?)', params: [bytes] },
    ])
    const stored = await db.sqlite!.read(
      (c) => c.prepare('SELECT "b" FROM "WriterBlobProbe"').get() as { b: Buffer },
    )
    expect(Buffer.compare(stored.b, bytes)).toBe(0)
  })

  it('rolls the whole batch back when one statement fails, with SQLite’s code', async () => {
    const failed = db.sqliteWriter!.run([
      { sql: insert, params: row('rolled-back') },
      { sql: insert, params: row('writer-1') }, // primary key taken
    ])
    await expect(failed).rejects.toBeInstanceOf(SqliteWriteFailed)
    await expect(failed).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' })
    expect(await db.client.verificationLogEntry.count({ where: { id: 'rolled-back' } })).toBe(0)
    // and the thread goes on writing
    await db.sqliteWriter!.run([{ sql: insert, params: row('after-failure') }])
    expect(await db.client.verificationLogEntry.count({ where: { id: 'after-failure' } })).toBe(1)
  })

  it("waits for another process's write lock on its own thread: the event loop keeps running", async () => {
    const other = await lockHolder(database.url, 'writer-held-by-other')
    try {
      const write = db.sqliteWriter!.run([{ sql: insert, params: row('writer-after-lock') }])
      let settled = false
      void write.finally(() => {
        settled = true
      })
      // timer ticks while the write waits: a blocked event loop would show one gap of ~the hold time
      const gaps: number[] = []
      let last = performance.now()
      for (let i = 0; i < 20; i++) {
        await new Promise((r) => setTimeout(r, 10))
        gaps.push(performance.now() - last)
        last = performance.now()
      }
      expect(settled).toBe(false)
      expect(Math.max(...gaps)).toBeLessThan(100)
      await other.release()
      await write
      expect(
        await db.client.verificationLogEntry.count({
          where: { id: { in: ['writer-held-by-other', 'writer-after-lock'] } },
        }),
      ).toBe(2)
    } finally {
      other.stop()
    }
  })

  it('start() brings the thread up before the first write; the first write then does not wait for it', async () => {
    const fresh = await createDb({ service: 'verifier', url: database.url, migrate: false })
    try {
      await fresh.sqliteWriter!.start()
      const started = performance.now()
      await fresh.sqliteWriter!.run([{ sql: insert, params: row('after-start') }])
      // a thread starting now would take hundreds of ms to load its modules
      expect(performance.now() - started).toBeLessThan(100)
    } finally {
      await fresh.close()
    }
  })

  it('close() lets queued writes commit first', async () => {
    const second = await createDb({ service: 'verifier', url: database.url, migrate: false })
    const writes = Array.from({ length: 50 }, (_, i) =>
      second.sqliteWriter!.run([{ sql: insert, params: row(`queued-${i}`) }]),
    )
    await second.close()
    await Promise.all(writes)
    expect(await db.client.verificationLogEntry.count({ where: { id: { startsWith: 'queued-' } } })).toBe(50)
  })
})
