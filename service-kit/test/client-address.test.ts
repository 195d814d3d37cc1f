import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import {
  clientAddress,
  clientSubject,
  DeviceTokens,
  loginLimitsVariable,
  noTrustedProxies,
  trustedProxies,
  trustedProxiesVariable,
} from '../src/index.ts'

describe('the client address behind trusted proxies', () => {
  const proxies = trustedProxies(['10.0.0.0/8', '::1'])

  it('is the TCP peer when no proxy is trusted, whatever X-Forwarded-For claims', () => {
    expect(clientAddress('203.0.113.9', '198.51.100.1', noTrustedProxies)).toBe('203.0.113.9')
    expect(clientAddress('::ffff:127.0.0.1', '198.51.100.1', noTrustedProxies)).toBe('127.0.0.1')
  })

  it('reads X-Forwarded-For only from a trusted peer, right to left past the trusted hops', () => {
    expect(clientAddress('203.0.113.9', '198.51.100.1', proxies)).toBe('203.0.113.9')
    expect(clientAddress('10.1.2.3', '198.51.100.1', proxies)).toBe('198.51.100.1')
    // the leftmost entries are the client's own claims: only the hop the proxy added counts
    expect(clientAddress('10.1.2.3', '1.1.1.1, 198.51.100.1', proxies)).toBe('198.51.100.1')
    expect(clientAddress('10.1.2.3', '198.51.100.1, 10.9.9.9', proxies)).toBe('198.51.100.1')
    expect(clientAddress('::1', 'not-an-address', proxies)).toBe('::1')
  })

  it('drops the port of a hop, and maps IPv4-mapped IPv6 to IPv4', () => {
    expect(clientAddress('10.1.2.3', '198.51.100.1:5678', proxies)).toBe('198.51.100.1')
    expect(clientAddress('10.1.2.3', '[2001:DB8::1]:443', proxies)).toBe('2001:db8::1')
    expect(clientAddress('10.1.2.3', '[2001:db8::1]', proxies)).toBe('2001:db8::1')
    expect(clientAddress('10.1.2.3', '198.51.100.1:5678, 10.9.9.9:80', proxies)).toBe('198.51.100.1')
    expect(clientAddress('10.1.2.3', '::ffff:c633:6401', proxies)).toBe('198.51.100.1')
    // a bare IPv6 address is not mistaken for one with a port
    expect(clientAddress('10.1.2.3', '2001:db8::5678', proxies)).toBe('2001:db8::5678')
    expect(clientAddress('10.1.2.3', '198.51.100.1:port', proxies)).toBe('10.1.2.3')
  })

  it('counts IPv6 clients by their /64 and IPv4 clients by their address', () => {
    expect(clientSubject('203.0.113.9')).toBe('203.0.113.9')
    expect(clientSubject('::ffff:203.0.113.9')).toBe('203.0.113.9')
    expect(clientSubject('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64')
    expect(clientSubject('2001:0DB8:0001:0002:ffff:0:0:1')).toBe('2001:db8:1:2::/64')
    expect(clientSubject('2001:db8::1')).toBe('2001:db8:0:0::/64')
    expect(clientSubject('::1')).toBe('0:0:0:0::/64')
    expect(clientSubject('64:ff9b::192.0.2.1')).toBe('64:ff9b:0:0::/64')
    expect(clientSubject('fe80::1%eth0')).toBe('fe80:0:0:0::/64')
  })

  it('refuses a configuration entry that is not an address or range', () => {
    const shape = z.object({ P: trustedProxiesVariable() })
    expect(shape.safeParse({ P: '10.0.0.0/8, 192.168.1.1' }).success).toBe(true)
    expect(shape.safeParse({ P: 'proxy.example' }).success).toBe(false)
    expect(shape.safeParse({ P: '10.0.0.0/33' }).success).toBe(false)
  })
})

describe('login limits and device tokens', () => {
  it('reads limits as name=value pairs with defaults, and refuses unknown names', () => {
    const variable = loginLimitsVariable()
    expect(variable.parse('client=7')).toMatchObject({ client: 7, 'account-client': 5, window: 900 })
    expect(variable.safeParse('clients=7').success).toBe(false)
    expect(variable.safeParse('client=0').success).toBe(false)
  })

  it('accepts a device token only for the account it was issued for, unaltered and unexpired', () => {
    let now = Date.UTC(2026, 0, 1)
    const tokens = new DeviceTokens(Buffer.alloc(32, 7), () => now)
    const officer = { username: 'dublin.officer' }
    const { token } = tokens.issue(officer)
    const id = tokens.read(token, officer)
    expect(id).toMatch(/^[\w-]{16,}$/)
    expect(tokens.read(token, { username: 'dublin.admin' })).toBeUndefined()
    // bound to the account exactly as it logged in: another spelling may be another account
    expect(tokens.read(token, { username: 'Dublin.Officer' })).toBeUndefined()
    expect(tokens.read(`${token.slice(0, -2)}AA`, officer)).toBeUndefined()
    expect(new DeviceTokens(Buffer.alloc(32, 8), () => now).read(token, officer)).toBeUndefined()
    now += 181 * 86_400_000
    expect(tokens.read(token, officer)).toBeUndefined()
  })

  it('binds a device token to the tenant as well as the username', () => {
    const tokens = new DeviceTokens(Buffer.alloc(32, 7))
    const atA = { username: 'j.doe', tenant: 'authority-a' }
    const { token } = tokens.issue(atA)
    expect(tokens.read(token, atA)).toBeDefined()
    expect(tokens.read(token, { username: 'j.doe', tenant: 'authority-b' })).toBeUndefined()
    expect(tokens.read(token, { username: 'j.doe' })).toBeUndefined()
  })
})
