/**
 * A Map that keeps at most `max` entries and forgets the least recently used. Memos keyed on what a
 * caller sends (a credential, an address, a DID) use it so that none may grow without bound.
 *
 * Recency is tracked by insertion order, refreshed on a hit only once an entry has fallen into the
 * older half: moving every hit to the back (a delete and a set) was a noticeable part of re-checking
 * a case, whose credentials are all hits. An entry used at least once every max/2 insertions stays.
 */
export class BoundedCache<K, V> {
  readonly #entries = new Map<K, { value: V; stamp: number }>()
  #clock = 0

  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError('a BoundedCache holds at least one entry')
  }

  get(key: K): V | undefined {
    const entry = this.#entries.get(key)
    if (entry === undefined) return undefined
    if (entry.stamp <= this.#clock - this.max / 2) {
      this.#entries.delete(key)
      entry.stamp = ++this.#clock
      this.#entries.set(key, entry)
    }
    return entry.value
  }

  /** Whether the key is held (without refreshing it), for values that may themselves be undefined. */
  has(key: K): boolean {
    return this.#entries.has(key)
  }

  set(key: K, value: V): void {
    this.#entries.delete(key)
    if (this.#entries.size >= this.max) this.#entries.delete(this.#entries.keys().next().value as K)
    this.#entries.set(key, { value, stamp: ++this.#clock })
  }

  delete(key: K): boolean {
    return this.#entries.delete(key)
  }

  clear(): void {
    this.#entries.clear()
  }

  get size(): number {
    return this.#entries.size
  }
}
