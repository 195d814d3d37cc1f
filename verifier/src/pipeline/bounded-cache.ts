/**
 * A Map that keeps at most `max` entries and forgets the least recently used. The pipeline's memos
 * are keyed on what a presenter sends, so none may grow without bound.
 */
export class BoundedCache<K, V> {
  readonly #entries = new Map<K, V>()

  constructor(readonly max: number) {}

  get(key: K): V | undefined {
    const value = this.#entries.get(key)
    if (value !== undefined) {
      this.#entries.delete(key)
      this.#entries.set(key, value)
    }
    return value
  }

  set(key: K, value: V): void {
    this.#entries.delete(key)
    if (this.#entries.size >= this.max) this.#entries.delete(this.#entries.keys().next().value as K)
    this.#entries.set(key, value)
  }

  get size(): number {
    return this.#entries.size
  }
}
