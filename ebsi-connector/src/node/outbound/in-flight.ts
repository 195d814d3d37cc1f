/**
 * Counts work in flight per key and refuses more than `limit` at once. The TIR proxy uses it per
 * issuer proxy: a proxy that leads back into the ledger through a relay that hides the hop header
 * would otherwise stack one forwarding on another without end; at the limit the innermost is
 * refused and the whole chain unwinds. Keys leave the map when their count drops to zero.
 */
export class InFlightLimit {
  private readonly counts = new Map<string, number>()
  constructor(private readonly limit: number) {}

  /** A release function when there was room, undefined when `key` is at its limit. */
  acquire(key: string): (() => void) | undefined {
    const count = this.counts.get(key) ?? 0
    if (count >= this.limit) return undefined
    this.counts.set(key, count + 1)
    let released = false
    return () => {
      if (released) return
      released = true
      const left = (this.counts.get(key) ?? 1) - 1
      if (left <= 0) this.counts.delete(key)
      else this.counts.set(key, left)
    }
  }
}
