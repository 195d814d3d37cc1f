import type { Db } from '@flora/db'
import type { AttemptThrottle, LoginGuard } from '@flora/service-kit'
import type { IssuerConfig } from '../config.ts'
import type { AuthorityKeyring } from '../keys/keyring.ts'
import type { LedgerGateway } from '../ledger/ledger-gateway.ts'
import type { HotStore } from '../store/hot-store.ts'

/** The Prisma client of the issuer database. */
export type IssuerClient = Db<'issuer'>['client']
/** The client inside an interactive transaction. */
export type IssuerTx = Parameters<Parameters<IssuerClient['$transaction']>[0]>[0]

/** Everything a service function needs, passed explicitly. */
export interface IssuerContext {
  config: IssuerConfig
  db: IssuerClient
  ledger: LedgerGateway
  keyring: AuthorityKeyring
  /** 32-byte deployment secret. */
  secret: Uint8Array
  /** Where the set-wise SQL of the hot path runs (provider for placeholders, PostgreSQL schema). */
  sql: { provider: 'sqlite' | 'postgresql'; schema?: string }
  /** The per-credential reads and writes (direct SQLite statements, or Prisma on PostgreSQL). */
  store: HotStore
  /** Attempt counts in the database (token endpoint), shared by every process on it. */
  throttle: AttemptThrottle
  /** Login throttling and device tokens. */
  logins: LoginGuard
  now(): Date
}

/** Who is acting: a staff member (session) or a system (API token), always within one authority. */
export interface Principal {
  authorityId: string
  actorType: 'staff' | 'api'
  actorId: string
  role: 'staff' | 'admin'
}

/** Prisma's unique-constraint violation, seen through the driver adapters. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code
  if (code === 'P2002') return true
  const message = String((error as { message?: unknown })?.message ?? '')
  return /Unique constraint|UNIQUE constraint failed|duplicate key value/i.test(message)
}

/** A write conflict worth retrying (SQLite busy, PostgreSQL serialization, our own CAS). */
export function isRetryableConflict(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code
  if (code === 'P2034' || code === 'ERR_WRITE_CONFLICT') return true
  return /SQLITE_BUSY|database is locked|could not serialize|deadlock/i.test(
    String((error as Error)?.message ?? ''),
  )
}

export class WriteConflict extends Error {
  readonly code = 'ERR_WRITE_CONFLICT'
}

/** Runs `fn` in a transaction, retrying write conflicts and unique races a few times. */
export async function inTransaction<T>(
  ctx: IssuerContext,
  fn: (tx: IssuerTx) => Promise<T>,
  retryUnique: boolean | ((error: unknown) => boolean) = false,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await ctx.db.$transaction(fn, { timeout: 30_000, maxWait: 30_000 })
    } catch (error) {
      const retry =
        isRetryableConflict(error) ||
        (isUniqueViolation(error) && (typeof retryUnique === 'function' ? retryUnique(error) : retryUnique))
      if (!retry || attempt >= 8) throw error
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * (attempt + 1)))
    }
  }
}
