import { describe, expect, it } from 'vitest'
import { prefixProblem, proxyTarget, splitSuffix } from '../../src/node/outbound/proxy-target.ts'

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
    for (const bad of ['revocation/1', '/a/%2e%2e/b', '/a/%252e', '/a\\b', '/a/./b', '/a%0a', '/a%E0%A4%A'])
      expect(typeof splitSuffix(bad), bad).toBe('string')
  })
})
