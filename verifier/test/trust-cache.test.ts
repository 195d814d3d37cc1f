import { describe, expect, it } from 'vitest'
import { TrustSourceUnavailable } from '../src/errors.ts'
import { TrustCache } from '../src/trust/cache.ts'
import type { TrustReaders } from '../src/trust/readers.ts'

// The cache logic alone, over an in-memory source that counts its reads.
function countingSource() {
  const reads: string[] = []
  const read = <T>(what: string, value: T) => {
    reads.push(what)
    return value
  }
  const source: TrustReaders = {
    resolveDid: async (did) => read(`did ${did}`, { id: did }),
    readAttribute: async (url) =>
      read(`attribute ${url}`, {
        did: 'did:ebsi:x',
        attribute: { hash: url, body: '', issuerType: 'TI', tao: '', rootTao: '' },
      }),
    readSchema: async (url) => read(`schema ${url}`, { $id: url }),
    readStatusList: async (url) =>
      read(`status ${url}`, { value: `list ${url}`, fetchedAt: new Date(clock) }),
    readAnchor: async (hash) => read(`anchor ${hash}`, undefined),
  }
  let clock = Date.parse('2026-11-27T10:00:00Z')
  return {
    source,
    reads,
    advance: (seconds: number) => (clock += seconds * 1000),
    now: () => new Date(clock),
  }
}

const options = { didTtl: 60, attributeTtl: 60, schemaTtl: 3600, anchorTtl: 60, statusMaxAge: 10 }

describe('trust cache', () => {
  it('keeps each kind for its own lifetime, the same key of different kinds apart', async () => {
    const s = countingSource()
    const cache = new TrustCache(s.source, { ...options, now: s.now })
    const key = 'http://ledger.test/x'
    await cache.readSchema(key)
    await cache.readAttribute(key)
    await cache.readStatusList(key)
    await cache.readSchema(key)
    await cache.readAttribute(key)
    await cache.readStatusList(key)
    expect(s.reads).toEqual([`schema ${key}`, `attribute ${key}`, `status ${key}`])
    s.advance(11) // past the status max-age only
    await cache.readSchema(key)
    await cache.readStatusList(key)
    expect(s.reads.slice(3)).toEqual([`status ${key}`])
    s.advance(60) // past the attribute TTL, within the schema's
    await cache.readAttribute(key)
    await cache.readSchema(key)
    expect(s.reads.slice(4)).toEqual([`attribute ${key}`])
    // an answer of "no such thing" is not kept
    await cache.readAnchor('0xab')
    await cache.readAnchor('0xab')
    expect(s.reads.filter((r) => r.startsWith('anchor'))).toHaveLength(2)
  })

  it('exports every kind and an offline cache answers from the export alone; unknown kinds are skipped', async () => {
    const s = countingSource()
    const online = new TrustCache(s.source, { ...options, now: s.now })
    await online.resolveDid('did:ebsi:a')
    await online.readSchema('http://ledger.test/s')
    await online.readStatusList('http://ledger.test/l')
    const exported = online.entries()
    expect(exported.map((e) => e.kind).sort()).toEqual(['did', 'schema', 'status'])
    const offline = new TrustCache(undefined, { ...options, now: s.now })
    offline.load([
      ...exported,
      { kind: 'constructor' as never, key: 'x', value: 1, fetchedAt: s.now().toISOString() },
      { kind: '__proto__' as never, key: 'x', value: 1, fetchedAt: s.now().toISOString() },
    ])
    expect(offline.entries()).toHaveLength(3)
    expect(await offline.resolveDid('did:ebsi:a')).toEqual({ id: 'did:ebsi:a' })
    expect((await offline.readStatusList('http://ledger.test/l'))?.value).toBe('list http://ledger.test/l')
    await expect(offline.readAttribute('http://ledger.test/none')).rejects.toBeInstanceOf(
      TrustSourceUnavailable,
    )
    s.advance(11)
    await expect(offline.readStatusList('http://ledger.test/l')).rejects.toBeInstanceOf(
      TrustSourceUnavailable,
    )
    expect(await offline.readSchema('http://ledger.test/s')).toEqual({ $id: 'http://ledger.test/s' })
  })
})
