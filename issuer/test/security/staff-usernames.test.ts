import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addAuthority, api, bootIssuer, type TestAuthority, type TestIssuer } from '../helpers/harness.ts'
import { login, providers } from './support.ts'

/**
 * Item 12: an admin who created a username another authority uses got 409 "username is taken", and
 * so learnt who works where. Usernames are now unique per authority: the answer is the one a free
 * username gets, and the account exists.
 *
 * Review of the staff sign-in, item 2: a login without `authorityId` still worked when one authority
 * used the username and failed when two did. So an admin who created a username learnt, by logging
 * in with it without the authority, whether another authority used it, and from then on that
 * authority's staff member could no longer log in that way. Now the authority is part of every
 * login, and what one authority creates changes nothing in another's logins.
 */
describe.each(providers)('staff usernames across authorities ($name)', ({ database }) => {
  let t: TestIssuer
  let lds: TestAuthority
  let zab: TestAuthority

  beforeAll(async () => {
    t = await bootIssuer({}, { database: await database() })
    lds = await addAuthority(t, {
      id: 'lds',
      name: 'Landesdirektion Sachsen',
      role: 'RECEPTION_AUTHORITY',
      accreditedTypes: [],
    })
    zab = await addAuthority(t, {
      id: 'zab',
      name: 'ZAB Sachsen',
      role: 'FOREIGNERS_AUTHORITY',
      accreditedTypes: [],
    })
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

  it('logs each in at their own authority', async () => {
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
    // one authority's password opens nothing at the other
    expect(
      (
        await login(t.url, {
          username: 'k.mueller@sachsen.test',
          password: 'a long password 1',
          authorityId: 'zab',
        })
      ).status,
    ).toBe(401)
  })

  it('refuses a login without the authority, whether or not another authority uses the username', async () => {
    // the oracle of the review: created at zab, then logged in without naming zab
    const probe = (username: string) =>
      login(t.url, { username, password: 'another password 2' }).then((answer) => ({
        status: answer.status,
        type: answer.body.type,
      }))
    const shared = await probe('k.mueller@sachsen.test') // lds uses it too
    const alone = await probe('j.schmidt@sachsen.test') // only zab
    expect(alone).toEqual(shared)
    expect(shared.status).toBe(400)
  })

  it('keeps the staff of one authority logging in whatever another authority creates', async () => {
    expect(
      (await login(t.url, { username: 'lds-admin', password: 'correct horse battery', authorityId: 'lds' }))
        .status,
    ).toBe(201)
    // zab creates the username every authority's first admin has
    expect((await create(zab, 'lds-admin', 'zab password 3')).status).toBe(201)
    expect(
      (await login(t.url, { username: 'lds-admin', password: 'correct horse battery', authorityId: 'lds' }))
        .status,
    ).toBe(201)
    expect(
      (await login(t.url, { username: 'lds-admin', password: 'zab password 3', authorityId: 'zab' })).body
        .authorityId,
    ).toBe('zab')
  })

  it('lists the authorities staff can sign in at, by public id and name only', async () => {
    const answer = await fetch(`${t.url}/authorities`)
    expect(answer.status).toBe(200)
    const body = (await answer.json()) as { items: Record<string, unknown>[] }
    expect(body.items).toEqual([
      { id: 'lds', name: 'Landesdirektion Sachsen' },
      { id: 'zab', name: 'ZAB Sachsen' },
    ])
  })
})
