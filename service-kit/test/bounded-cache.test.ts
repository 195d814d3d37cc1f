import { describe, expect, it } from 'vitest'
import { BoundedCache } from '../src/bounded-cache.ts'

describe('BoundedCache', () => {
  it('keeps its entries bounded, forgetting the least recently used entry', () => {
    const cache = new BoundedCache<string, number>(2)
    cache.set('a', 1)
    cache.set('b', 2)
    expect(cache.get('a')).toBe(1) // a is now the most recent
    cache.set('c', 3)
    expect(cache.get('b')).toBeUndefined()
    expect(cache.get('a')).toBe(1)
    expect(cache.get('c')).toBe(3)
    expect(cache.size).toBe(2)
  })

  it('keeps an entry used at least once every max/2 insertions, however many others come and go', () => {
    const cache = new BoundedCache<string, number>(100)
    cache.set('kept', 0)
    for (let i = 0; i < 10_000; i++) {
      cache.set(`other ${i}`, i)
      if (i % 50 === 0) expect(cache.get('kept')).toBe(0)
      expect(cache.size).toBeLessThanOrEqual(100)
    }
    expect(cache.get('other 9999')).toBe(9999)
    expect(cache.get('other 9800')).toBeUndefined()
  })

  it('tells a held undefined from a missing key, and forgets on delete and clear', () => {
    const cache = new BoundedCache<string, number | undefined>(4)
    cache.set('none', undefined)
    expect(cache.has('none')).toBe(true)
    expect(cache.has('other')).toBe(false)
    cache.set('a', 1)
    expect(cache.delete('a')).toBe(true)
    expect(cache.has('a')).toBe(false)
    cache.clear()
    expect(cache.size).toBe(0)
  })

  it('refuses a bound below one entry', () => {
    expect(() => new BoundedCache(0)).toThrow(RangeError)
  })
})
