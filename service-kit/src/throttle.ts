import { createHash } from 'node:crypto'
import { z } from 'zod'
import { HttpProblem } from './problem.ts'

/**
 * Attempt counting in the service's own database, so that a limit holds across the processes and
 * instances that share it. Every count is one atomic statement (an upsert that either opens a new
 * window or adds one to the current window and returns the result), so 300 requests arriving at
 * once get 300 distinct counts and exactly `limit` of them pass. Free of koa: the wallet UI uses it
 * as well.
 *
 * The table (model `AttemptCounter` in each service's Prisma models):
 *   key        String @id   -- SHA-256 of rule name and subject: no address or username in clear
 *   attempts   Int
 *   windowEnds BigInt       -- epoch milliseconds
 * Rows whose window has ended are deleted on the way (they serve no purpose any more).
 */

/** Raw SQL on the service's Prisma client (both providers). */
export interface RawSqlClient {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): PromiseLike<T>
  $executeRawUnsafe(query: string, ...values: unknown[]): PromiseLike<number>
}

export interface AttemptCounterTarget {
  db: RawSqlClient
  provider: 'sqlite' | 'postgresql'
  /** PostgreSQL schema of the service (raw SQL is not qualified by the client). */
  schema?: string | undefined
}

/** The counts behind a throttle. */
export interface AttemptStore {
  /** Adds one attempt in the key's current window (opening one of `windowMs` if none is open). */
  hit(key: string, windowMs: number, now: number): Promise<{ attempts: number; windowEnds: number }>
  /** Takes back one attempt (the attempt succeeded and should not count). */
  refund(key: string, now: number): Promise<void>
  /** The key's current window, if one is open. */
  peek(key: string, now: number): Promise<{ attempts: number; windowEnds: number } | undefined>
  /** Deletes ended windows. */
  sweep(now: number): Promise<void>
}

/** The AttemptStore on the `AttemptCounter` table, through the service's Prisma client. */
export class SqlAttemptStore implements AttemptStore {
  readonly #db: RawSqlClient
  readonly #table: string
  readonly #p: (n: number) => string

  constructor(target: AttemptCounterTarget) {
    this.#db = target.db
    this.#table =
      target.provider === 'postgresql' && target.schema
        ? `"${target.schema.replaceAll('"', '""')}"."AttemptCounter"`
        : '"AttemptCounter"'
    this.#p = target.provider === 'postgresql' ? (n) => `$${n}` : () => '?'
  }

  async hit(key: string, windowMs: number, now: number) {
    const p = this.#p
    // SQLite numbers its `?` in order of appearance, so the values are passed in that order.
    const sql =
      `INSERT INTO ${this.#table} AS c ("key", "attempts", "windowEnds") VALUES (${p(1)}, 1, ${p(2)}) ` +
      `ON CONFLICT ("key") DO UPDATE SET ` +
      `"attempts" = CASE WHEN c."windowEnds" <= ${p(3)} THEN 1 ELSE c."attempts" + 1 END, ` +
      `"windowEnds" = CASE WHEN c."windowEnds" <= ${p(4)} THEN ${p(5)} ELSE c."windowEnds" END ` +
      `RETURNING "attempts", "windowEnds"`
    const ends = BigInt(now + windowMs)
    const rows = await this.#db.$queryRawUnsafe<{ attempts: unknown; windowEnds: unknown }[]>(
      sql,
      key,
      ends,
      BigInt(now),
      BigInt(now),
      ends,
    )
    const row = rows[0]
    if (!row) throw new Error('the attempt counter returned no row')
    return { attempts: Number(row.attempts), windowEnds: Number(row.windowEnds) }
  }

  async refund(key: string, now: number) {
    const p = this.#p
    await this.#db.$executeRawUnsafe(
      `UPDATE ${this.#table} SET "attempts" = "attempts" - 1 WHERE "key" = ${p(1)} AND "attempts" > 0 AND "windowEnds" > ${p(2)}`,
      key,
      BigInt(now),
    )
  }

  async peek(key: string, now: number) {
    const rows = await this.#db.$queryRawUnsafe<{ attempts: unknown; windowEnds: unknown }[]>(
      `SELECT "attempts", "windowEnds" FROM ${this.#table} WHERE "key" = ${this.#p(1)}`,
      key,
    )
    const row = rows[0]
    if (!row || Number(row.windowEnds) <= now) return undefined
    return { attempts: Number(row.attempts), windowEnds: Number(row.windowEnds) }
  }

  async sweep(now: number) {
    await this.#db.$executeRawUnsafe(
      `DELETE FROM ${this.#table} WHERE "windowEnds" <= ${this.#p(1)}`,
      BigInt(now),
    )
  }
}

/** A limit: at most `limit` attempts per subject in a fixed window of `windowSeconds`. */
export interface ThrottleRule {
  /** Part of the key; two rules with the same name share counts. */
  name: string
  limit: number
  windowSeconds: number
}

/** One subject (a client address, an account, …) counted under a rule. */
export interface ThrottleCheck {
  rule: ThrottleRule
  subject: string
}

/** 429: over a limit. The answer carries Retry-After (seconds until the window ends). */
export class Throttled extends HttpProblem {
  readonly retryAfterSeconds: number
  constructor(retryAfterSeconds: number) {
    super(429, 'Too Many Requests', {
      type: 'https://flora-vc.eu/problems/too-many-attempts',
      detail: `too many attempts; try again in ${retryAfterSeconds} s`,
      extensions: { retryAfter: retryAfterSeconds },
    })
    this.name = 'Throttled'
    this.retryAfterSeconds = retryAfterSeconds
  }
}

/** An attempt counted in advance; refunded when it turns out to have succeeded. */
export interface Reservation {
  refund(): Promise<void>
}

const keyOf = (check: ThrottleCheck) =>
  createHash('sha256').update(`${check.rule.name}\u0000${check.subject}`).digest('hex')

const SWEEP_EVERY_MS = 60_000

/** Counting, checking and refunding attempts against rules. */
export class AttemptThrottle {
  readonly #store: AttemptStore
  readonly #now: () => number
  #nextSweep = 0

  constructor(store: AttemptStore, now: () => number = Date.now) {
    this.#store = store
    this.#now = now
  }

  /**
   * Counts the attempt against each check in order, before the work it guards, and throws
   * {@link Throttled} at the first check over its limit (later checks are then not counted, so a
   * client stopped by its own limit does not use up an account's). The caller refunds on success.
   */
  async reserve(checks: readonly ThrottleCheck[]): Promise<Reservation> {
    const now = this.#now()
    this.#maybeSweep(now)
    const counted: string[] = []
    for (const check of checks) {
      const key = keyOf(check)
      const { attempts, windowEnds } = await this.#store.hit(key, check.rule.windowSeconds * 1000, now)
      counted.push(key)
      if (attempts > check.rule.limit) throw new Throttled(retryAfter(windowEnds, now))
    }
    return {
      refund: async () => {
        const at = this.#now()
        for (const key of counted) await this.#store.refund(key, at)
      },
    }
  }

  /** Read only: throws {@link Throttled} when the subject has used up its limit. */
  async check(check: ThrottleCheck): Promise<void> {
    const now = this.#now()
    const current = await this.#store.peek(keyOf(check), now)
    if (current && current.attempts >= check.rule.limit)
      throw new Throttled(retryAfter(current.windowEnds, now))
  }

  /** Counts a failed attempt after the fact (for checks too cheap to reserve in advance). */
  async fail(check: ThrottleCheck): Promise<void> {
    const now = this.#now()
    this.#maybeSweep(now)
    await this.#store.hit(keyOf(check), check.rule.windowSeconds * 1000, now)
  }

  #maybeSweep(now: number) {
    if (now < this.#nextSweep) return
    this.#nextSweep = now + SWEEP_EVERY_MS
    // best effort: a failed sweep leaves rows that the next one deletes
    this.#store.sweep(now).catch(() => {})
  }
}

const retryAfter = (windowEnds: number, now: number) => Math.max(1, Math.ceil((windowEnds - now) / 1000))

/**
 * A configuration variable holding limits as `name=value` pairs, e.g.
 * `window=900,client=30,account=20`: every name is optional and falls back to its default.
 */
export function limitsVariable<K extends string>(defaults: Record<K, number>) {
  const names = Object.keys(defaults) as K[]
  return z
    .string()
    .default('')
    .transform((value, ctx) => {
      const limits = { ...defaults }
      for (const pair of value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean)) {
        const [name = '', raw = ''] = pair.split('=').map((part) => part.trim())
        const number = Number(raw)
        if (!names.includes(name as K) || !Number.isInteger(number) || number < 1) {
          ctx.addIssue({
            code: 'custom',
            message: `"${pair}": expected ${names.map((n) => `${n}=<positive integer>`).join(', ')}`,
          })
          return z.NEVER
        }
        limits[name as K] = number
      }
      return limits
    })
}
