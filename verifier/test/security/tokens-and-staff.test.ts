import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN, login, request, sessionOf, startTestVerifier, type TestVerifier } from './support.ts'

/**
 * Item 10 at the verifier: API tokens never expired, and although the tables had the columns, no
 * endpoint revoked a token or disabled a staff account. Both now exist (admin only, in OpenAPI)
 * and take effect at once, the 5-second principal cache included.
 */
describe('verifier API tokens and staff administration', () => {
  let v: TestVerifier
  let offsetMs = 0
  let admin: string

  beforeAll(async () => {
    v = await startTestVerifier(
      { FLORA_VERIFIER_API_TOKEN_TTL_DAYS: '30' },
      { now: () => Date.now() + offsetMs },
    )
    admin = sessionOf(await login(v.url, ADMIN))!
  })
  afterAll(async () => {
    await v?.close()
  })

  const asAdmin = (method: string, path: string, body?: unknown) =>
    request(v.url, method, path, { bearer: admin, body })

  it('gives every API token an expiry and refuses it after that, cached or not', async () => {
    offsetMs = 0
    const created = await asAdmin('POST', '/admin/api-tokens', { name: 'case system', role: 'officer' })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ id: expect.any(String), token: expect.stringMatching(/^vt_/) })
    expect(Math.round((new Date(created.body.expiresAt).getTime() - Date.now()) / 86_400_000)).toBe(30)
    expect((await request(v.url, 'GET', '/reports', { bearer: created.body.token })).status).toBe(200) // cached now
    offsetMs = 31 * 86_400_000
    expect((await request(v.url, 'GET', '/reports', { bearer: created.body.token })).status).toBe(401)
    offsetMs = 0
  })

  it('lists API tokens (never their values) and revokes one at once, although it is cached', async () => {
    const created = await asAdmin('POST', '/admin/api-tokens', { name: 'to revoke', role: 'officer' })
    expect((await request(v.url, 'GET', '/reports', { bearer: created.body.token })).status).toBe(200)
    const listed = await asAdmin('GET', '/admin/api-tokens')
    expect(listed.status).toBe(200)
    expect(JSON.stringify(listed.body)).not.toContain(created.body.token)
    expect(listed.body.items).toContainEqual(
      expect.objectContaining({ id: created.body.id, name: 'to revoke', role: 'officer', revoked: false }),
    )
    expect((await asAdmin('DELETE', `/admin/api-tokens/${created.body.id}`)).status).toBe(204)
    expect((await request(v.url, 'GET', '/reports', { bearer: created.body.token })).status).toBe(401)
    expect((await asAdmin('DELETE', `/admin/api-tokens/${created.body.id}`)).status).toBe(404)
  })

  it('disables a staff account: its sessions stop at once (cached too), and it cannot log in', async () => {
    const created = await asAdmin('POST', '/admin/staff', {
      username: 'leaving.officer',
      password: 'a long enough password',
      role: 'officer',
    })
    expect(created.status).toBe(201)
    const session = sessionOf(
      await login(v.url, { username: 'leaving.officer', password: 'a long enough password' }),
    )!
    expect((await request(v.url, 'GET', '/reports', { bearer: session })).status).toBe(200) // cached now
    const staff = await asAdmin('GET', '/admin/staff')
    expect(staff.body.items).toContainEqual(
      expect.objectContaining({
        id: created.body.id,
        username: 'leaving.officer',
        role: 'officer',
        disabled: false,
      }),
    )
    expect(JSON.stringify(staff.body)).not.toContain('scrypt')
    expect((await asAdmin('DELETE', `/admin/staff/${created.body.id}`)).status).toBe(204)
    expect((await request(v.url, 'GET', '/reports', { bearer: session })).status).toBe(401)
    expect(
      (await login(v.url, { username: 'leaving.officer', password: 'a long enough password' })).status,
    ).toBe(401)
    expect((await asAdmin('GET', '/admin/staff')).body.items).toContainEqual(
      expect.objectContaining({ id: created.body.id, disabled: true }),
    )
  })

  it('keeps these endpoints to admins and documents them', async () => {
    await asAdmin('POST', '/admin/staff', {
      username: 'plain.officer',
      password: 'a long enough password',
      role: 'officer',
    })
    const officer = sessionOf(
      await login(v.url, { username: 'plain.officer', password: 'a long enough password' }),
    )!
    for (const [method, path] of [
      ['GET', '/admin/api-tokens'],
      ['DELETE', '/admin/api-tokens/0000'],
      ['GET', '/admin/staff'],
      ['DELETE', '/admin/staff/0000'],
    ] as const)
      expect((await request(v.url, method, path, { bearer: officer })).status, `${method} ${path}`).toBe(403)
    const openapi = (await request(v.url, 'GET', '/openapi.json')).body
    expect(openapi.paths['/admin/api-tokens']).toHaveProperty('get')
    expect(openapi.paths['/admin/api-tokens/{id}']).toHaveProperty('delete')
    expect(openapi.paths['/admin/staff']).toHaveProperty('get')
    expect(openapi.paths['/admin/staff/{id}']).toHaveProperty('delete')
  })
})
