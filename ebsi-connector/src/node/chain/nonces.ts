import { getAddress } from 'ethers'
import { NonceMismatch } from '../errors.ts'
import type { LedgerDb } from '../types.ts'

/**
 * Account nonces as Besu's pending pool sees them: the persisted nonce plus the transactions
 * accepted into the pending block. Build methods hand out `next`; a send must carry exactly it.
 */
export class NonceTracker {
  private readonly next = new Map<string, number>()
  private readonly checksummed = new Map<string, string>()
  constructor(private readonly db: LedgerDb) {}

  /** EIP-55 form, memoised (getAddress hashes). */
  private key(address: string): string {
    const lower = address.toLowerCase()
    let key = this.checksummed.get(lower)
    if (!key) {
      key = getAddress(lower)
      if (this.checksummed.size > 100_000) this.checksummed.clear()
      this.checksummed.set(lower, key)
    }
    return key
  }

  async nextNonce(address: string): Promise<number> {
    const key = this.key(address)
    const known = this.next.get(key)
    if (known !== undefined) return known
    const row = await this.db.accountNonce.findUnique({ where: { address: key } })
    const value = this.next.get(key) ?? row?.nonce ?? 0
    this.next.set(key, value)
    return value
  }

  /** Reserves `nonce` for `address` (synchronously after `nextNonce` resolved). @throws NonceMismatch */
  reserve(address: string, nonce: number): void {
    const key = this.key(address)
    const expected = this.next.get(key) ?? 0
    if (nonce !== expected)
      throw new NonceMismatch(`nonce ${nonce} is not the account's next nonce ${expected}`)
    this.next.set(key, expected + 1)
  }
}
