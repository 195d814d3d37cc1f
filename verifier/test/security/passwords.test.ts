import { randomBytes, randomUUID, scryptSync } from 'node:crypto'
import { passwordHashingStats, passwordHashParameters } from '@flora/service-kit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN, login, providers, startTestVerifier, type TestVerifier } from './support.ts'

/** The verifier's former format: `scrypt$salt$hash`, N = 2^14, the password as typed. */
function formerVerifierHash(password: string): string {
  const salt = randomBytes(16)
  const hash = scryptSync(password, salt, 32, { N: 1 << 14, r: 8, p: 1 })
  return `scrypt$${salt.toString('base64url')}$${hash.toString('base64url')}`
}

/** The issuer's format with its parameters: `scrypt$N$r$p$salt$hash`, NFKC. */
function issuerFormatHash(password: string): string {
  const salt = randomBytes(16)
  const hash = scryptSync(password.normalize('NFKC'), salt, 32, {
    N: 1 << 15,
    r: 8,
    p: 1,
    maxmem: 64 * 1024 * 1024,
  })
  return ['scrypt', 1 << 15, 8, 1, salt.toString('base64url'), hash.toString('base64url')].join('$')
}

describe.each(providers)('verifier passwords ($name)', ({ database }) => {
  let v: TestVerifier

  beforeAll(async () => {
    // limits out of the way: these tests check and measure the password path itself
    v = await startTestVerifier(
      { FLORA_VERIFIER_LOGIN_THROTTLE: 'client=100000,account-client=100000,account=100000' },
      { database: await database() },
    )
  })
  afterAll(async () => {
    await v?.close()
  })

  it('accepts a hash in its former format and replaces it with the self-describing one at the login', async () => {
    const id = randomUUID()
    await v.db.client.verifierStaff.create({
      data: {
        id,
        username: 'former.officer',
        passwordHash: formerVerifierHash('an officer password'),
        role: 'officer',
      },
    })
    expect((await login(v.url, { username: 'former.officer', password: 'not the password' })).status).toBe(
      401,
    )
    expect((await login(v.url, { username: 'former.officer', password: 'an officer password' })).status).toBe(
      200,
    )
    const row = await v.db.client.verifierStaff.findUniqueOrThrow({ where: { id } })
    expect(row.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$[\w-]+\$[\w-]+$/)
    expect((await login(v.url, { username: 'former.officer', password: 'an officer password' })).status).toBe(
      200,
    )
  })

  it("reads the issuer's self-describing format too (one module for both services)", async () => {
    await v.db.client.verifierStaff.create({
      data: {
        id: randomUUID(),
        username: 'moved.officer',
        passwordHash: issuerFormatHash('a moved password'),
        role: 'officer',
      },
    })
    expect((await login(v.url, { username: 'moved.officer', password: 'a moved password' })).status).toBe(200)
  })

  it('spends the same scrypt work on an account with a former-format hash as on an unknown username', async () => {
    // Review of the staff sign-in, item 6: a former hash (N = 2^14) cost half the dummy hash an
    // unknown username is checked against (N = 2^15), so the answer time told such accounts apart
    // until they logged in again. Measured as work (N·r·p summed over the scrypts), not as time.
    await v.db.client.verifierStaff.create({
      data: {
        id: randomUUID(),
        username: 'dormant.officer',
        passwordHash: formerVerifierHash('a dormant password'),
        role: 'officer',
      },
    })
    const workOf = async (username: string) => {
      const before = passwordHashingStats().work
      expect((await login(v.url, { username, password: 'a wrong password' })).status).toBe(401)
      return passwordHashingStats().work - before
    }
    const today = passwordHashParameters.N * passwordHashParameters.r * passwordHashParameters.p
    expect(await workOf('nobody.at.all')).toBe(today)
    expect(await workOf('dormant.officer')).toBe(today)
    expect(await workOf(ADMIN.username)).toBe(today)
  })
})
