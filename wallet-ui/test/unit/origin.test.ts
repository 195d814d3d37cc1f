import { describe, expect, it } from 'vitest'
import {
  foreignOriginPage,
  isForeignStateChange,
  isLoopbackHostname,
  loopbackAliasRedirect,
} from '../../src/lib/server/origin.ts'

describe('wallet origin', () => {
  it('knows the loopback names', () => {
    for (const name of ['localhost', 'LOCALHOST', 'wallet.localhost', '127.0.0.1', '127.1.2.3', '[::1]'])
      expect(isLoopbackHostname(name), name).toBe(true)
    for (const name of ['example.org', '128.0.0.1', '10.0.0.1', 'localhost.example.org', '[::2]'])
      expect(isLoopbackHostname(name), name).toBe(false)
  })

  it('sends a loopback alias of a loopback public URL to the same path there', () => {
    const publicUrl = 'http://localhost:4400'
    expect(loopbackAliasRedirect('127.0.0.1:4400', publicUrl, '/signin?x=1')).toBe('http://localhost:4400/signin?x=1')
    expect(loopbackAliasRedirect('[::1]:4400', publicUrl, '/')).toBe('http://localhost:4400/')
    expect(loopbackAliasRedirect('127.0.0.1:4400', 'http://127.0.0.1:4400', '/')).toBeUndefined()
    expect(loopbackAliasRedirect('localhost:4400', 'http://127.0.0.1:4400', '/cases')).toBe('http://127.0.0.1:4400/cases')
  })

  it('never redirects elsewhere: other hosts, other ports, non-loopback public URLs, odd paths', () => {
    expect(loopbackAliasRedirect('evil.example:4400', 'http://localhost:4400', '/')).toBeUndefined()
    expect(loopbackAliasRedirect('127.0.0.1:4401', 'http://localhost:4400', '/')).toBeUndefined()
    expect(loopbackAliasRedirect('127.0.0.1', 'https://wallet.example.org', '/')).toBeUndefined()
    expect(loopbackAliasRedirect('localhost:4400', 'http://localhost:4400', '/')).toBeUndefined()
    expect(loopbackAliasRedirect('127.0.0.1:4400@evil.example', 'http://localhost:4400', '/')).toBeUndefined()
    expect(loopbackAliasRedirect(null, 'http://localhost:4400', '/')).toBeUndefined()
    expect(loopbackAliasRedirect('127.0.0.1:4400', 'http://localhost:4400', '//evil.example/x')).toBe(
      'http://localhost:4400/',
    )
    expect(loopbackAliasRedirect('127.0.0.1', 'http://localhost', '/a')).toBe('http://localhost/a')
  })

  it('refuses changing requests from another origin, and form submissions without an origin', () => {
    const post = (origin: string | undefined, type = 'application/x-www-form-urlencoded', method = 'POST') =>
      new Request('http://localhost:4400/signin', {
        method,
        headers: { 'content-type': type, ...(origin ? { origin } : {}) },
        ...(method === 'GET' ? {} : { body: 'a=1' }),
      })
    const app = 'http://localhost:4400'
    expect(isForeignStateChange(post('http://127.0.0.1:4400'), app)).toBe(true)
    expect(isForeignStateChange(post(undefined), app)).toBe(true)
    expect(isForeignStateChange(post('http://127.0.0.1:4400', 'multipart/form-data; boundary=x'), app)).toBe(true)
    expect(isForeignStateChange(post(app), app)).toBe(false)
    expect(isForeignStateChange(post('http://127.0.0.1:4400', 'application/json'), app)).toBe(true)
    expect(isForeignStateChange(post('null', 'application/json', 'DELETE'), app)).toBe(true)
    expect(isForeignStateChange(post(undefined, 'application/json'), app)).toBe(false)
    expect(isForeignStateChange(post(app, 'application/json', 'PUT'), app)).toBe(false)
    expect(isForeignStateChange(post('http://127.0.0.1:4400', 'text/plain', 'GET'), app)).toBe(false)
  })

  it('escapes what it puts into the page', () => {
    const html = foreignOriginPage({ lang: 'en', title: '<t>', text: 'a & b', linkText: 'x', href: 'http://h/"' })
    expect(html).toContain('&lt;t&gt;')
    expect(html).toContain('a &amp; b')
    expect(html).toContain('href="http://h/&quot;"')
  })
})
