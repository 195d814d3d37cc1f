import { didStateAt, type DidState } from '../did-registry-v5/state.ts'
import type { LedgerDb } from '../types.ts'

/**
 * The latest state of each DID, cached in memory and dropped when a block touches the DID (the
 * node is the only writer). Historical (`valid-at`) reads go to the database.
 */
export class DidCache {
  private readonly latest = new Map<string, DidState | null>()
  private readonly limit = 50_000
  constructor(private readonly db: LedgerDb) {}

  async current(did: string): Promise<DidState | undefined> {
    if (this.latest.has(did)) return this.latest.get(did) ?? undefined
    const state = await didStateAt(this.db, did)
    if (this.latest.size >= this.limit) this.latest.clear()
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
