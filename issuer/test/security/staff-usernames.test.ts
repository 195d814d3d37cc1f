import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addAuthority, api, bootIssuer, type TestAuthority, type TestIssuer } from '../helpers/harness.ts'
import { login, providers } from './support.ts'

/**
 * Item 12: an admin who created a username another authority uses got 409 "username is taken", and
 * so learnt who works where. Usernames are now unique per authority: the answer is the one a free
 * username gets, and the account exists; a login names the authority when its username is shared.
 */
describe.each(providers)('staff usernames across authorities ($name)', ({ database }) => {
  let t: TestIssuer
  let lds: TestAuthority
  let zab: TestAuthority

  beforeAll(async () => {
    t = await bootIssuer({}, { database: await database() })
    lds = await addAuthority(t, { id: 'lds', role: 'RECEPTION_AUTHORITY', accreditedTypes: [] })
    zab = await addAuthority(t, { id: 'zab', role: 'FOREIGNERS_AUTHORITY', accreditedTypes: [] })
  })
  afterAll(async () => {
    await t?.close()
  })

  const create = (by: TestAuthority, username: string, password = 'a long password 1') =>
    api(t, by.adminToken, 'POST', '/admin/staff', { username, password, role: 'staff' })
  const shape = (answer: { status: number; body: any }) => ({
    status: answer.status,
    keys: Object.keys(answer.body).sort(),
    authorityId: answer.body.authorityId,
    role: answer.body.role,
  })

  it('answers a username taken at another authority exactly as a free one', async () => {
    expect((await create(lds, 'k.mueller@sachsen.test')).status).toBe(201)
    const taken = await create(zab, 'k.mueller@sachsen.test', 'another password 2')
    const free = await create(zab, 'j.schmidt@sachsen.test', 'another password 2')
    expect(shape(taken)).toEqual(shape(free))
    expect(taken.body.username).toBe('k.mueller@sachsen.test')
  })

  it('still refuses a username taken within the same authority (the admin sees that list anyway)', async () => {
    expect((await create(lds, 'k.mueller@sachsen.test')).status).toBe(409)
  })

  it('logs each in at their own authority; a shared username without the authority fails like a wrong password', async () => {
    const atLds = await login(t.url, {
      username: 'k.mueller@sachsen.test',
      password: 'a long password 1',
      authorityId: 'lds',
    })
    expect(atLds.status).toBe(201)
    expect(atLds.body.authorityId).toBe('lds')
    const atZab = await login(t.url, {
      username: 'k.mueller@sachsen.test',
      password: 'another password 2',
      authorityId: 'zab',
    })
    expect(atZab.status).toBe(201)
    expect(atZab.body.authorityId).toBe('zab')
    const ambiguous = await login(t.url, {
      username: 'k.mueller@sachsen.test',
      password: 'a long password 1',
    })
    const wrong = await login(t.url, { username: 'j.schmidt@sachsen.test', password: 'not the password' })
    expect(ambiguous.status).toBe(401)
    expect(ambiguous.body).toEqual(wrong.body)
    // a username only one authority uses needs no authority
    expect(
      (await login(t.url, { username: 'j.schmidt@sachsen.test', password: 'another password 2' })).status,
    ).toBe(201)
  })
})
