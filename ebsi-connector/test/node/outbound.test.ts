import { describe, expect, it } from 'vitest'
import { InFlightLimit } from '../../src/node/outbound/in-flight.ts'
import { isOwnOrigin } from '../../src/node/outbound/own-origin.ts'
import { isPathUnderPrefix, prefixProblem, splitSuffix } from '../../src/core/proxy-path.ts'
import { proxyTarget } from '../../src/node/outbound/proxy-target.ts'

describe('proxy targets (pure)', () => {
  it('accepts ordinary prefixes and refuses those that could move a path elsewhere', () => {
    for (const ok of ['http://127.0.0.1:4200', 'https://issuer.example/status/', 'http://h/a/b%20c'])
      expect(prefixProblem(ok), ok).toBeUndefined()
    for (const bad of [
      'ftp://h/x',
      'http://user:pw@h/x',
      'http://h/x?list=',
      'http://h/x#f',
      'http://h/a/../admin',
      'http://h/a/%2e%2e/admin',
      'http://h/a/%252e',
      'http://h\\@other/x',
      'http://h/a%5Cb',
      'http://h/a//b',
      'http://h/a%',
    ])
      expect(prefixProblem(bad), bad).toBeDefined()
  })

  it('re-encodes segments so that the parser has nothing to resolve, and keeps the query out of the path', () => {
    const target = proxyTarget('http://h:1/status', ['a b', 'did:ebsi:z1', 'x?y#z'], 'q=1&r=../..')
    expect(target.origin).toBe('http://h:1')
    expect(target.pathname).toBe('/status/a%20b/did:ebsi:z1/x%3Fy%23z')
    expect(target.search).toBe('?q=1&r=../..')
    expect(proxyTarget('http://h/', ['1'], '').href).toBe('http://h/1')
  })

  it('splits a test suffix into decoded segments and its query, refusing dot segments and double encoding', () => {
    expect(splitSuffix('/revocation/1?x=2')).toEqual({ segments: ['revocation', '1'], query: 'x=2' })
    for (const bad of ['revocation/1', '/a/%2e%2e/b', '/a/%252e', '/a\\b', '/a/./b', '/a%0a', '/a%E0%A4%A', '/a%2F..'])
      expect(typeof splitSuffix(bad), bad).toBe('string')
  })

  it('tells whether a URL stays below a prefix once parsed', () => {
    const prefix = 'http://h:1/issuers/did:ebsi:z1/proxies/'
    expect(isPathUnderPrefix(`${prefix}0xab/status/revocation?x=1`, prefix, 2)).toBe(true)
    expect(isPathUnderPrefix(`${prefix}0xab`, prefix, 2)).toBe(false)
    for (const bad of [
      'http://h:1/issuers/did:ebsi:z2/proxies/0xab/x',
      `${prefix}0xab/../../x`,
      `${prefix}0xab/%2e%2e/x`,
      `${prefix}0xab/x%2F..%2F..`,
      `${prefix}0xab/x%5C..`,
      `${prefix}0xab\\..\\x`,
      `${prefix}0xab/.\t./x`,
      `${prefix}0xab/x#f`,
      `${prefix}0xab/a b`,
      `${prefix}0xab//x`,
    ])
      expect(isPathUnderPrefix(bad, prefix, 2), bad).toBe(false)
  })
})

describe('own origin (pure)', () => {
  const self = {
    publicUrl: 'https://ledger.example',
    listeningUrl: 'http://127.0.0.1:4100',
    bindHost: '127.0.0.1',
  }
  it('recognises the public and listening origins and the listening port on loopback names', () => {
    for (const own of [
      'https://ledger.example/x',
      'https://LEDGER.example:443/x',
      'http://127.0.0.1:4100/x',
      'http://localhost:4100/x',
      'http://127.1.2.3:4100/x',
      'http://[::1]:4100/x',
      'http://[::ffff:127.0.0.1]:4100/x',
      'http://2130706433:4100/x',
      'http://0.0.0.0:4100/x',
    ])
      expect(isOwnOrigin(new URL(own), self), own).toBe(true)
    for (const other of ['http://127.0.0.1:4200/x', 'https://issuer.example/x', 'http://10.0.0.9:4100/x'])
      expect(isOwnOrigin(new URL(other), self), other).toBe(false)
  })
})

describe('in-flight limit (pure)', () => {
  it('refuses past the limit per key and forgets a key once it is idle', () => {
    const limit = new InFlightLimit(2)
    const a1 = limit.acquire('a')
    const a2 = limit.acquire('a')
    expect(limit.acquire('a')).toBeUndefined()
    expect(limit.acquire('b')).toBeDefined()
    a1?.()
    a1?.()
    expect(limit.acquire('a')).toBeDefined()
    a2?.()
  })
})
