import { BoundedCache } from '@flora/service-kit/bounded-cache'
import { getAddress } from 'ethers'
import { NonceMismatch } from '../errors.ts'
import type { LedgerDb } from '../types.ts'

/**
 * Account nonces as Besu's pending pool sees them: the persisted nonce plus the transactions
 * accepted into the pending block. Build methods hand out `next`; a send must carry exactly it.
 *
 * Two maps, keyed by the lower-case address. `pending` holds the accounts with accepted
 * transactions not yet in a committed block: it is the only record of their next nonce, so it is
 * never evicted, and it stays small because an entry leaves once its block is committed. `persisted`
 * memoises nonces read from the database; any token holder names arbitrary `from` addresses in
 * build calls, so it is bounded, and an evicted account is simply read again.
 */
export class NonceTracker {
  private readonly pending = new Map<string, number>()
  private readonly persisted: BoundedCache<string, number>

  constructor(
    private readonly db: LedgerDb,
    maxEntries: number,
  ) {
    this.persisted = new BoundedCache(maxEntries)
  }

  /** Accounts remembered in memory (pending and memoised). */
  get size(): number {
    return this.pending.size + this.persisted.size
  }

  async nextNonce(address: string): Promise<number> {
    const key = address.toLowerCase()
    const known = this.known(key)
    if (known !== undefined) return known
    const row = await this.db.accountNonce.findUnique({ where: { address: getAddress(key) } })
    // A send or a committed block may have moved the account on while the database was read.
    const moved = this.known(key)
    if (moved !== undefined) return moved
    const value = row?.nonce ?? 0
    this.persisted.set(key, value)
    return value
  }

  /** Counts a transaction accepted by an earlier run and still waiting (read back at start). */
  observe(address: string, nonce: number): void {
    const key = address.toLowerCase()
    this.pending.set(key, Math.max(this.pending.get(key) ?? 0, nonce + 1))
  }

  /**
   * Gives back a reservation whose transaction could not be accepted after all, when no later
   * nonce of the account was reserved meanwhile (a gap is harmless; a reused nonce is not).
   */
  release(address: string, nonce: number): void {
    const key = address.toLowerCase()
    if (this.pending.get(key) !== nonce + 1) return
    // Back at the persisted nonce nothing of the account is pending any more.
    if (this.persisted.get(key) === nonce) this.pending.delete(key)
    else this.pending.set(key, nonce)
  }

  /**
   * Reserves `nonce` for `address` (synchronously after `nextNonce` resolved, so that two sends of
   * one nonce cannot both pass). @throws NonceMismatch
   */
  reserve(address: string, nonce: number): void {
    const key = address.toLowerCase()
    const expected = this.known(key)
    // Forgotten between nextNonce and here: refuse rather than guess (a guess could reuse a nonce).
    if (expected === undefined)
      throw new NonceMismatch('the account nonce is not known; build the transaction again')
    if (nonce !== expected)
      throw new NonceMismatch(`nonce ${nonce} is not the account's next nonce ${expected}`)
    this.pending.set(key, expected + 1)
  }

  /** A block was committed: its senders' nonces are persisted; their pending entries may go. */
  committed(txs: readonly { from: string; nonce: number }[]): void {
    for (const { from, nonce } of txs) {
      const key = from.toLowerCase()
      const next = nonce + 1
      this.persisted.set(key, Math.max(next, this.persisted.get(key) ?? 0))
      if (this.pending.get(key) === next) this.pending.delete(key)
    }
  }

  private known(key: string): number | undefined {
    return this.pending.get(key) ?? this.persisted.get(key)
  }
}
