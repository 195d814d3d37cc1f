import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addAuthority, bootIssuer, type TestIssuer } from '../helpers/harness.ts'
import { login, providers } from './support.ts'

/**
 * Review of the staff sign-in, item 5: per-client limits counted every IPv6 address on its own, so a
 * client with a /64 (what one household or one VM gets) had as many budgets as it liked; and an
 * X-Forwarded-For hop with a port (`1.2.3.4:5678`, `[2001:db8::1]:443`, as some proxies write it)
 * was no address at all, which counted every client behind that proxy as the proxy. Now an IPv6
 * client counts as its /64, and a hop's port is dropped.
 */
const CLIENT_LIMIT = 6

describe.each(providers)('client addresses behind a trusted proxy ($name)', ({ database }) => {
  let t: TestIssuer

  beforeAll(async () => {
    t = await bootIssuer(
      { FLORA_ISSUER_TRUSTED_PROXIES: '127.0.0.1', FLORA_ISSUER_LOGIN_THROTTLE: `client=${CLIENT_LIMIT}` },
      { database: await database() },
    )
    await addAuthority(t, { id: 'lds', role: 'RECEPTION_AUTHORITY', accreditedTypes: [] })
  })
  afterAll(async () => {
    await t?.close()
  })

  /** A wrong login for a fresh username (so only the per-client count can stop it). */
  const guess = (forwardedFor: string, i: number) =>
    login(
      t.url,
      { username: `nobody-${forwardedFor}-${i}`, password: 'wrong password!', authorityId: 'lds' },
      { 'x-forwarded-for': forwardedFor },
    )

  it('counts the addresses of one IPv6 /64 as one client', async () => {
    const statuses: number[] = []
    for (let i = 1; i <= CLIENT_LIMIT + 2; i++)
      statuses.push((await guess(`2001:db8:1:2::${i.toString(16)}`, i)).status)
    expect(statuses).toEqual([...Array(CLIENT_LIMIT).fill(401), 429, 429])
    // another spelling of an address in that /64 is the same client
    expect((await guess('2001:0DB8:0001:0002:ffff:0:0:1', 0)).status).toBe(429)
    // the next /64 is another client
    expect((await guess('2001:db8:1:3::1', 0)).status).toBe(401)
  })

  it('reads an X-Forwarded-For hop that carries a port as its address', async () => {
    const statuses: number[] = []
    for (let i = 0; i <= CLIENT_LIMIT; i++) statuses.push((await guess(`203.0.113.77:${5000 + i}`, i)).status)
    expect(statuses).toEqual([...Array(CLIENT_LIMIT).fill(401), 429])
    // the same client without a port, and as IPv4-mapped IPv6, is the same client
    expect((await guess('203.0.113.77', 100)).status).toBe(429)
    expect((await guess('[::ffff:203.0.113.77]:443', 101)).status).toBe(429)
    // a colleague behind the same proxy is not counted with them: right password, first try
    const colleague = await login(
      t.url,
      { username: 'lds-admin', password: 'correct horse battery', authorityId: 'lds' },
      { 'x-forwarded-for': '198.51.100.9:5001' },
    )
    expect(colleague.status).toBe(201)
    const v6 = []
    for (let i = 0; i <= CLIENT_LIMIT; i++) v6.push((await guess(`[2001:db8:9::${i + 1}]:443`, i)).status)
    expect(v6).toEqual([...Array(CLIENT_LIMIT).fill(401), 429])
    expect((await guess('[2001:db8:9::abcd]:8443', 200)).status).toBe(429)
  })
})
