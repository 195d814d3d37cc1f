import { BoundedCache } from '@flora/service-kit/bounded-cache'
import type { LedgerDb } from '../types.ts'

/**
 * TPR attributes per address, memoised: the TPR only changes at start (genesis, configured admins).
 * Build calls look up whatever `from` address a token holder names, so the memo is bounded.
 */
export class TprAttributes {
  private readonly byAddress: BoundedCache<string, Record<string, unknown>>
  constructor(
    private readonly db: LedgerDb,
    maxEntries: number,
  ) {
    this.byAddress = new BoundedCache(maxEntries)
  }

  get size(): number {
    return this.byAddress.size
  }

  async of(address: string): Promise<Record<string, unknown>> {
    const cached = this.byAddress.get(address)
    if (cached) return cached
    const row = await this.db.tprUser.findUnique({ where: { address } })
    const attributes = row ? (JSON.parse(row.attributes) as Record<string, unknown>) : {}
    this.byAddress.set(address, attributes)
    return attributes
  }
}
