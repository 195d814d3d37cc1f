import { createHmac, timingSafeEqual } from 'node:crypto'
import {
  canonicalJson,
  type DecodedRegistryCall,
  decodeRegistryCall,
  parseSignedRawTransaction,
  registryAt,
} from '../../core/index.ts'
import { PendingTampered } from '../errors.ts'
import type { RawSql, Statement } from '../state/raw-sql.ts'
import type { LedgerDb, LedgerTx } from '../types.ts'
import type { PendingTransaction } from './pending.ts'

const TABLE = 'LedgerPendingTransaction'
const COLUMNS = ['hash', 'seq', 'raw', 'sender', 'scope', 'isAdmin', 'mac'] as const
/** Rows per INSERT when many sends arrive in one tick. */
const GROUP = 200

/** The method name of a waiting call this version cannot decode: it executes as a revert. */
const UNDECODABLE_CALL = '(undecodable call)'

/**
 * The registry call of a waiting transaction. One this version cannot decode (accepted by a
 * version with another ABI) must not stop the start or the chain: it is executed as a call of no
 * method, which reverts. @throws PendingTampered when `to` is no registry (nothing accepts that)
 */
function callOf(hash: string, parsed: { to: string; data: string }): DecodedRegistryCall {
  try {
    return decodeRegistryCall(parsed.to, parsed.data)
  } catch {
    const registry = registryAt(parsed.to)
    if (!registry) throw new PendingTampered(`waiting transaction ${hash} is not addressed to a registry`)
    return { registry, method: UNDECODABLE_CALL, args: {} }
  }
}

/** The MAC key of waiting transactions, derived from the node's key-encryption key. */
export function pendingMacKey(kek: Uint8Array): Buffer {
  return createHmac('sha256', kek).update('flora-ledger/pending-transaction-mac/v1').digest()
}

interface Waiting {
  tx: PendingTransaction
  onPersisted: () => void
  resolve: () => void
  reject: (error: unknown) => void
}

/**
 * Accepted transactions waiting for their block, in the database: `persist` writes a transaction
 * before the node answers its hash (the sends of one tick share one INSERT, so durability costs a
 * round trip per tick, not per send); the block that executes it deletes the row in the same
 * database transaction; `recover` reads what a previous process left.
 */
export class Mempool {
  private nextSeq = 0
  private readonly queue: Waiting[] = []
  private flushing: Promise<void> | undefined

  constructor(private readonly options: { db: LedgerDb; sql: RawSql; macKey: Buffer }) {}

  private mac(row: { hash: string; seq: number; sender: string; scope: string; isAdmin: boolean }): string {
    const { hash, seq, sender, scope, isAdmin } = row
    return createHmac('sha256', this.options.macKey)
      .update(canonicalJson({ hash: hash.toLowerCase(), seq, sender, scope, isAdmin }))
      .digest('hex')
  }

  /**
   * The transactions a previous process accepted and did not execute, in acceptance order. A
   * row whose MAC or raw bytes do not check refuses the start; a row whose nonce its account has
   * already used (left by an insert whose commit was reported as failed) is dropped.
   * @param nextNonce the account's next nonce from the executed transactions.
   * @throws PendingTampered
   */
  async recover(nextNonce: (address: string) => Promise<number>): Promise<PendingTransaction[]> {
    const rows = await this.options.db.ledgerPendingTransaction.findMany({ orderBy: { seq: 'asc' } })
    this.nextSeq = rows.reduce((max, row) => Math.max(max, row.seq + 1), 0)
    const recovered: PendingTransaction[] = []
    const stale: string[] = []
    const next = new Map<string, number>()
    for (const row of rows) {
      const expected = Buffer.from(this.mac(row), 'hex')
      const given = Buffer.from(row.mac, 'hex')
      if (given.length !== expected.length || !timingSafeEqual(given, expected))
        throw new PendingTampered(`waiting transaction ${row.hash} was altered in the database`)
      let parsed: ReturnType<typeof parseSignedRawTransaction>
      try {
        parsed = parseSignedRawTransaction(row.raw)
      } catch {
        throw new PendingTampered(`waiting transaction ${row.hash} was altered in the database`)
      }
      if (parsed.hash.toLowerCase() !== row.hash.toLowerCase())
        throw new PendingTampered(`waiting transaction ${row.hash} was altered in the database`)
      const nonce = Number(parsed.nonce)
      const floor = next.get(parsed.from) ?? (await nextNonce(parsed.from))
      if (nonce < floor) {
        stale.push(row.hash)
        continue
      }
      next.set(parsed.from, nonce + 1)
      const call = callOf(row.hash, parsed)
      recovered.push({
        hash: row.hash,
        raw: row.raw,
        from: parsed.from,
        to: parsed.to,
        nonce,
        registry: call.registry,
        call,
        sender: row.sender,
        scope: row.scope,
        isAdmin: row.isAdmin,
      })
    }
    if (stale.length > 0) await this.removeStatement(this.options.db, stale)
    return recovered
  }

  /**
   * Persists `tx` together with the other sends of this tick. `onPersisted` runs once the row is
   * committed, in acceptance order, before the returned promise resolves.
   */
  persist(tx: PendingTransaction, onPersisted: () => void): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ tx, onPersisted, resolve, reject })
      if (!this.flushing) {
        this.flushing = new Promise<void>((done) => setImmediate(done)).then(() => this.flush())
      }
    })
  }

  /** Resolves once no insert is in flight (used when the node closes). */
  async idle(): Promise<void> {
    while (this.flushing) await this.flushing
  }

  /** Inserts the queued sends group by group; settles every waiting promise, never rejects. */
  private async flush(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const group = this.queue.splice(0, GROUP)
        try {
          const rows = group.map(({ tx }) => {
            const row = {
              hash: tx.hash,
              seq: this.nextSeq++,
              sender: tx.sender,
              scope: tx.scope,
              isAdmin: tx.isAdmin,
            }
            return [row.hash, row.seq, tx.raw, row.sender, row.scope, row.isAdmin, this.mac(row)]
          })
          await this.options.sql.insertStatement(this.options.db, TABLE, COLUMNS, rows)
        } catch (error) {
          for (const waiting of group) waiting.reject(error)
          continue
        }
        for (const waiting of group) {
          try {
            waiting.onPersisted()
            waiting.resolve()
          } catch (error) {
            waiting.reject(error)
          }
        }
      }
    } finally {
      this.flushing = undefined
    }
  }

  /** Deletes executed transactions; part of the database transaction of their block. */
  removeStatement(db: LedgerTx | LedgerDb, hashes: readonly string[]): Statement {
    return this.options.sql.deleteStatement(db, TABLE, 'hash', hashes)
  }
}
