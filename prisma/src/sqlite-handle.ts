import type { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3'
import type BetterSqlite3 from 'better-sqlite3'

type Connection = BetterSqlite3.Database

/**
 * Direct access to the SQLite connection under a service's Prisma client, for the few hot paths
 * where Prisma's per-statement cost (query compiler, re-preparing every statement) dominates.
 *
 * It is the same connection Prisma uses, not a second one: better-sqlite3 blocks the thread, so a
 * second connection waiting for the write lock would stall the very event loop that has to finish
 * Prisma's open transaction. Writes go through the adapter's transaction mutex instead, so they
 * never land inside, or interleave with, an interactive Prisma transaction.
 */
export interface SqliteHandle {
  /**
   * Runs `work` synchronously in one transaction: committed when it returns, rolled back when it
   * throws. When another process holds the write lock, the transaction is rolled back and `work`
   * runs again after a pause that does not block the event loop, until the connection's busy
   * timeout has passed (then SQLITE_BUSY): keep `work` to statements on the connection.
   */
  write<T>(work: (connection: Connection) => T): Promise<T>
  /**
   * Runs `work` (reads) synchronously once no transaction holds the connection, so it never sees
   * another request's uncommitted rows.
   */
  read<T>(work: (connection: Connection) => T): Promise<T>
  /**
   * A prepared statement, cached by its SQL text; integers come back as numbers. Run it inside
   * `write` or `read`: on its own it runs at once, inside whatever transaction is open.
   */
  statement(sql: string): BetterSqlite3.Statement
}

/**
 * A DateTime as Prisma's SQLite adapter stores it (ISO 8601 text with an explicit +00:00 offset),
 * for rows written through the handle that Prisma reads back.
 */
export const sqliteDateTime = (date: Date): string => `${date.toISOString().slice(0, -1)}+00:00`

interface AdapterTransaction {
  commit(): Promise<void>
  rollback(): Promise<void>
}
interface ConnectedAdapter {
  client: Connection
  startTransaction(...args: unknown[]): Promise<AdapterTransaction>
  queryRaw(query: unknown): Promise<unknown>
  executeRaw(query: unknown): Promise<unknown>
}

/**
 * The adapter runs Prisma's statements outside a transaction at once on the one connection, even
 * while an interactive transaction has it between BEGIN and COMMIT: such a write joins that
 * transaction and vanishes if it rolls back, after its own request was told it succeeded. This
 * makes them wait until no transaction is open.
 */
interface TransactionGate {
  /** Settles when the transaction holding the connection ends. */
  open: Promise<void> | undefined
}

function isolateStatementsFromOpenTransactions(adapter: ConnectedAdapter, gate: TransactionGate): void {
  const startTransaction = adapter.startTransaction.bind(adapter)
  adapter.startTransaction = async (...args) => {
    const transaction = await startTransaction(...args)
    let closed!: () => void
    gate.open = new Promise<void>((resolve) => {
      closed = resolve
    })
    const close = () => {
      gate.open = undefined
      closed()
    }
    const commit = transaction.commit.bind(transaction)
    const rollback = transaction.rollback.bind(transaction)
    transaction.commit = () => commit().finally(close)
    transaction.rollback = () => rollback().finally(close)
    return transaction
  }
  for (const method of ['queryRaw', 'executeRaw'] as const) {
    const run = adapter[method].bind(adapter)
    adapter[method] = async (query) => {
      while (gate.open) await gate.open
      return run(query)
    }
  }
}

/**
 * Runs `work` with SQLite's busy handler off. better-sqlite3 waits for a lock held by another
 * process (several workers on one database file) inside SQLite's busy handler, sleeping 1, 2, 5,
 * 10 … ms with the event loop blocked, and every other request of this process waits too. Without
 * it, a write that meets the lock fails at once with SQLITE_BUSY, rolls back, and `write` retries
 * after an asynchronous pause, serving other requests meanwhile.
 */
function withoutBlockingOnLocks<T>(client: Connection, busyTimeoutMs: number, work: () => T): T {
  client.pragma('busy_timeout = 0')
  try {
    return work()
  } finally {
    client.pragma(`busy_timeout = ${busyTimeoutMs}`)
  }
}

const isBusy = (error: unknown): boolean =>
  typeof (error as { code?: unknown } | null)?.code === 'string' &&
  (error as { code: string }).code.startsWith('SQLITE_BUSY')

/** The next turn of the event loop first, then 1, 2, 4 … up to 16 ms, with jitter so waiters spread. */
function lockBackoff(attempt: number): Promise<void> {
  if (attempt === 0) return new Promise((resolve) => setImmediate(resolve))
  const ms = Math.min(16, 2 ** (attempt - 1)) * (0.5 + Math.random())
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** Wraps the adapter factory so the connection it opens becomes reachable once Prisma connects. */
export function captureSqliteConnection(factory: PrismaBetterSQLite3): {
  factory: PrismaBetterSQLite3
  handle: () => SqliteHandle
} {
  let adapter: ConnectedAdapter | undefined
  const gate: TransactionGate = { open: undefined }
  const statements = new Map<string, BetterSqlite3.Statement>()
  let busyTimeout: number | undefined
  const connect = factory.connect.bind(factory)
  factory.connect = async () => {
    const connected = await connect()
    adapter = connected as unknown as ConnectedAdapter
    if (
      typeof adapter.client?.prepare !== 'function' ||
      typeof adapter.startTransaction !== 'function' ||
      typeof adapter.queryRaw !== 'function' ||
      typeof adapter.executeRaw !== 'function'
    )
      throw new Error('@prisma/adapter-better-sqlite3 changed shape: the direct SQLite handle needs review')
    isolateStatementsFromOpenTransactions(adapter, gate)
    statements.clear()
    busyTimeout = undefined
    // WAL (set at migration) with synchronous=NORMAL: every commit stays atomic and survives a
    // process crash (the WAL is in the OS page cache); only an OS crash or power loss can drop the
    // last commits. FULL would fsync on every commit (~0.4 ms here) with the event loop blocked.
    adapter.client.pragma('synchronous = NORMAL')
    return connected
  }
  const connected = () => {
    if (!adapter) throw new Error('the Prisma client has not connected yet')
    return adapter
  }
  return {
    factory,
    handle: () => ({
      async write(work) {
        const { client } = connected()
        busyTimeout ??= Number(client.pragma('busy_timeout', { simple: true }))
        const busyTimeoutMs = busyTimeout
        const giveUpAt = Date.now() + busyTimeoutMs
        for (let attempt = 0; ; attempt++) {
          // the adapter's mutex: no Prisma interactive transaction is open while `work` runs
          const transaction = await connected().startTransaction()
          try {
            const result = withoutBlockingOnLocks(client, busyTimeoutMs, () => {
              const done = work(client)
              client.exec('COMMIT')
              return done
            })
            await transaction.commit()
            return result
          } catch (error) {
            if (client.inTransaction) client.exec('ROLLBACK')
            await transaction.rollback()
            if (!isBusy(error) || Date.now() >= giveUpAt) throw error
          }
          await lockBackoff(attempt)
        }
      },
      async read(work) {
        while (gate.open) await gate.open
        return work(connected().client)
      },
      statement(sql) {
        let statement = statements.get(sql)
        if (!statement) {
          statement = connected().client.prepare(sql)
          if (statement.reader) statement.safeIntegers(false)
          statements.set(sql, statement)
        }
        return statement
      },
    }),
  }
}
