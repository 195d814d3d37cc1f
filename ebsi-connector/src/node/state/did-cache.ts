import { BoundedCache } from '@flora/service-kit/bounded-cache'
import { didStateAt, type DidState } from '../did-registry-v5/state.ts'
import type { LedgerDb } from '../types.ts'

/**
 * The latest state of each DID, cached in memory and dropped when a block touches the DID (the
 * node is the only writer). Historical (`valid-at`) reads go to the database. Anyone may ask for any
 * DID (unknown ones are remembered as null), so the cache is bounded.
 */
export class DidCache {
  private readonly latest: BoundedCache<string, DidState | null>
  constructor(
    private readonly db: LedgerDb,
    maxEntries: number,
  ) {
    this.latest = new BoundedCache(maxEntries)
  }

  get size(): number {
    return this.latest.size
  }

  async current(did: string): Promise<DidState | undefined> {
    const cached = this.latest.get(did)
    if (cached !== undefined) return cached ?? undefined
    const state = await didStateAt(this.db, did)
    this.latest.set(did, state ?? null)
    return state
  }

  async at(did: string, validAt: number | undefined): Promise<DidState | undefined> {
    return validAt === undefined ? this.current(did) : didStateAt(this.db, did, validAt)
  }

  invalidate(did: string): void {
    this.latest.delete(did)
  }

  clear(): void {
    this.latest.clear()
  }
}
