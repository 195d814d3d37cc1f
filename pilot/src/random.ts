/**
 * A small seeded PRNG (mulberry32). The pilot must produce the same cases for the same seed on
 * every machine, so nothing here may touch Math.random or the clock.
 */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number
  int(min: number, maxInclusive: number): number
  pick<T>(items: readonly T[]): T
  digits(count: number): string
}

export function seededRandom(seed: number): Random {
  let state = seed >>> 0
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (min: number, maxInclusive: number) => min + Math.floor(next() * (maxInclusive - min + 1))
  return {
    next,
    int,
    pick: (items) => {
      if (items.length === 0) throw new RangeError('cannot pick from an empty list')
      return items[int(0, items.length - 1)]!
    },
    digits: (count) => Array.from({ length: count }, () => String(int(0, 9))).join(''),
  }
}
