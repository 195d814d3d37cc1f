import { realpathSync } from 'node:fs'
import { createRequire } from 'node:module'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDb, type Db, sqliteDateTime } from '../src/index.ts'
import { type TestDatabase, tempPostgresDatabase, tempSqliteDatabase } from '../src/testing.ts'
import { insert, lockHolder, row } from './support/lock-holder.ts'

// The direct SQLite handle shares Prisma's connection: its writes must commit, roll back, and
// never run inside an interactive Prisma transaction that is still open.
let database: TestDatabase
let db: Db<'verifier'>

/**
 * An interactive Prisma transaction that inserts row `id`, stays open until released, then rolls
 * back; `settled` says how it ended.
 */
function heldOpenTransaction(id: string): {
  release: () => void
  settled: Promise<'committed' | 'rolled back'>
} {
  let release!: () => void
  const held = new Promise<void>((r) => {
    release = r
  })
  const settled = db.client
    .$transaction(async (tx) => {
      await tx.verificationLogEntry.create({
        data: { id, actor: 'tests', action: 'tx', stepOutcomes: '{}', durationMs: 1 },
      })
      await held
      throw new Error('roll back the interactive transaction')
    })
    .then(
      () => 'committed' as const,
      () => 'rolled back' as const,
    )
  return { release, settled }
}

beforeAll(async () => {
  database = tempSqliteDatabase()
  db = await createDb({ service: 'verifier', url: database.url })
})
afterAll(async () => {
  await db?.close()
  await database?.dispose()
})

describe('SqliteHandle', () => {
  it('commits what a write does, visible to Prisma, with integers as numbers', async () => {
    await db.sqlite!.write(() => db.sqlite!.statement(insert).run(...row('a')))
    expect(await db.client.verificationLogEntry.findUnique({ where: { id: 'a' } })).toMatchObject({
      actor: 'tests',
    })
    expect(
      db.sqlite!.statement(`SELECT "durationMs" FROM "VerificationLogEntry" WHERE "id" = ?`).get('a'),
    ).toEqual({
      durationMs: 1,
    })
  })

  it('writes DateTimes with sqliteDateTime that Prisma reads back as the same instant', async () => {
    const at = new Date('2026-11-27T03:04:05.678Z')
    await db.sqlite!.write(() =>
      db.sqlite!.statement(insert).run('when', sqliteDateTime(at), 'tests', 'handle', '{}', 1),
    )
    expect((await db.client.verificationLogEntry.findUniqueOrThrow({ where: { id: 'when' } })).at).toEqual(at)
  })

  it('rolls a throwing write back entirely', async () => {
    await expect(
      db.sqlite!.write(() => {
        db.sqlite!.statement(insert).run(...row('b'))
        throw new Error('abort')
      }),
    ).rejects.toThrow('abort')
    expect(await db.client.verificationLogEntry.count({ where: { id: 'b' } })).toBe(0)
    // the connection is usable afterwards
    await db.sqlite!.write(() => db.sqlite!.statement(insert).run(...row('c')))
    expect(await db.client.verificationLogEntry.count({ where: { id: 'c' } })).toBe(1)
  })

  it('waits for an open interactive Prisma transaction instead of joining it', async () => {
    const order: string[] = []
    const { release, settled } = heldOpenTransaction('tx')
    const prismaTransaction = settled.then((outcome) => order.push(`prisma ${outcome}`))
    await new Promise((r) => setTimeout(r, 20))
    const direct = db.sqlite!.write(() => {
      order.push('direct write')
      db.sqlite!.statement(insert).run(...row('d'))
    })
    await new Promise((r) => setTimeout(r, 20))
    // still held back by the open transaction
    expect(order).toEqual([])
    release()
    await Promise.all([prismaTransaction, direct])
    expect(order.sort()).toEqual(['direct write', 'prisma rolled back'])
    // the rollback took only Prisma's row with it
    expect(await db.client.verificationLogEntry.count({ where: { id: 'tx' } })).toBe(0)
    expect(await db.client.verificationLogEntry.count({ where: { id: 'd' } })).toBe(1)
  })

  it("reads through read() only once no transaction is open: never another request's uncommitted row", async () => {
    const { release, settled: open } = heldOpenTransaction('uncommitted')
    await new Promise((r) => setTimeout(r, 20))
    let seen: unknown = 'not yet read'
    const read = db
      .sqlite!.read(() =>
        db.sqlite!.statement('SELECT "id" FROM "VerificationLogEntry" WHERE "id" = ?').get('uncommitted'),
      )
      .then((row) => {
        seen = row
      })
    await new Promise((r) => setTimeout(r, 20))
    expect(seen).toBe('not yet read')
    release()
    await Promise.all([open, read])
    expect(seen).toBeUndefined()
  })

  it("waits for another process's write lock without blocking the event loop, then commits", async () => {
    // another writer of the same file (a second verifier worker, say) holds the write lock
    const other = await lockHolder(database.url, 'held-by-other')
    try {
      let timerFired = false
      const write = db.sqlite!.write(() => db.sqlite!.statement(insert).run(...row('after-lock')))
      // with SQLite's busy handler the event loop would sleep inside the write, and this timer
      // could not fire before the lock was released
      await new Promise((r) => setTimeout(r, 30))
      timerFired = true
      await other.release()
      await write
      expect(timerFired).toBe(true)
      expect(
        await db.client.verificationLogEntry.count({
          where: { id: { in: ['held-by-other', 'after-lock'] } },
        }),
      ).toBe(2)
    } finally {
      other.stop()
    }
  })

  it('gives up with SQLITE_BUSY once the busy timeout has passed, leaving the connection usable', async () => {
    const other = await lockHolder(database.url, 'held-again')
    const busy = await createDb({ service: 'verifier', url: database.url, migrate: false })
    try {
      busy.sqlite!.statement('PRAGMA busy_timeout = 100').run()
      const started = Date.now()
      await expect(
        busy.sqlite!.write(() => busy.sqlite!.statement(insert).run(...row('never'))),
      ).rejects.toMatchObject({
        code: expect.stringMatching(/^SQLITE_BUSY/),
      })
      expect(Date.now() - started).toBeGreaterThanOrEqual(90)
      await other.release()
      await busy.sqlite!.write(() => busy.sqlite!.statement(insert).run(...row('later')))
      expect(await busy.client.verificationLogEntry.count({ where: { id: 'later' } })).toBe(1)
    } finally {
      other.stop()
      await busy.close()
    }
  })

  it("loads the same better-sqlite3 as Prisma's adapter: one SQLite library in the process", () => {
    // Two copies would not see each other's locks (POSIX locks belong to the process), so a second
    // connection opened with the other copy could write while the first holds the write lock.
    const ours = createRequire(import.meta.url).resolve('better-sqlite3')
    const adapters = createRequire(
      createRequire(import.meta.url).resolve('@prisma/adapter-better-sqlite3'),
    ).resolve('better-sqlite3')
    expect(realpathSync(adapters)).toBe(realpathSync(ours))
  })

  it('runs SQLite with synchronous=NORMAL (WAL), not an fsync per commit', () => {
    expect(db.sqlite!.statement('PRAGMA synchronous').get()).toEqual({ synchronous: 1 })
    expect(db.sqlite!.statement('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' })
  })

  it('is absent on PostgreSQL', async () => {
    const pg = await tempPostgresDatabase()
    const other = await createDb({ service: 'verifier', url: pg.url })
    try {
      expect(other.sqlite).toBeUndefined()
    } finally {
      await other.close()
      await pg.dispose()
    }
  })
})

describe('Prisma on SQLite', () => {
  it('does not let a plain write join (and roll back with) an interactive transaction open meanwhile', async () => {
    const { release, settled: rolledBack } = heldOpenTransaction('inside')
    await new Promise((r) => setTimeout(r, 20))
    // another request's write while the transaction is open
    let plainDone = false
    const plain = db.client.verificationLogEntry
      .create({ data: { id: 'outside', actor: 'tests', action: 'plain', stepOutcomes: '{}', durationMs: 1 } })
      .then(() => {
        plainDone = true
      })
    await new Promise((r) => setTimeout(r, 20))
    // it waits for the transaction rather than running inside it
    expect(plainDone).toBe(false)
    release()
    expect(await rolledBack).toBe('rolled back')
    await plain
    expect(await db.client.verificationLogEntry.count({ where: { id: 'inside' } })).toBe(0)
    expect(await db.client.verificationLogEntry.count({ where: { id: 'outside' } })).toBe(1)
  })
})
