import { randomBytes, randomUUID, scryptSync } from 'node:crypto'
import { passwordHashingStats, passwordHashParameters } from '@flora/service-kit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addAuthority, bootIssuer, type TestIssuer } from '../helpers/harness.ts'
import { login, providers } from './support.ts'

/** `scrypt$salt$hash` with N = 2^14 (the verifier's former format) or `scrypt$N$r$p$salt$hash`. */
function storedHash(password: string, format: 'legacy' | 'older-parameters'): string {
  const salt = randomBytes(16)
  if (format === 'legacy') {
    const hash = scryptSync(password, salt, 32, { N: 1 << 14, r: 8, p: 1 })
    return `scrypt$${salt.toString('base64url')}$${hash.toString('base64url')}`
  }
  const hash = scryptSync(password.normalize('NFKC'), salt, 32, { N: 1 << 14, r: 8, p: 1 })
  return ['scrypt', 1 << 14, 8, 1, salt.toString('base64url'), hash.toString('base64url')].join('$')
}

describe.each(providers)('issuer passwords ($name)', ({ database }) => {
  let t: TestIssuer

  beforeAll(async () => {
    // limits out of the way: these tests measure and check the password path itself
    t = await bootIssuer(
      { FLORA_ISSUER_LOGIN_THROTTLE: 'client=100000,account-client=100000,account=100000' },
      { database: await database() },
    )
    await addAuthority(t, { id: 'lds', role: 'RECEPTION_AUTHORITY', accreditedTypes: [] })
  })
  afterAll(async () => {
    await t?.close()
  })

  it.each(['legacy', 'older-parameters'] as const)(
    'accepts a %s hash and replaces it with one in the current format at the login',
    async (format) => {
      const username = `${format}@lds.test`
      const id = randomUUID()
      await t.issuer.context.db.staffAccount.create({
        data: {
          id,
          authorityId: 'lds',
          username,
          passwordHash: storedHash('an older password', format),
          role: 'staff',
        },
      })
      expect(
        (await login(t.url, { username, password: 'not the password', authorityId: 'lds' })).status,
      ).toBe(401)
      expect(
        (await login(t.url, { username, password: 'an older password', authorityId: 'lds' })).status,
      ).toBe(201)
      const row = await t.issuer.context.db.staffAccount.findUniqueOrThrow({ where: { id } })
      expect(row.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$[\w-]+\$[\w-]+$/)
      expect(
        (await login(t.url, { username, password: 'an older password', authorityId: 'lds' })).status,
      ).toBe(201)
    },
  )

  // The answer time must not tell which usernames exist: both kinds of refusal cost the same scrypt
  // work (the timing itself is measured in bench/login-timing.bench.ts, where a machine's load
  // cannot fail a test).
  it('spends the same scrypt work on an unknown username as on a known one with a wrong password', async () => {
    const workOf = async (username: string) => {
      const before = passwordHashingStats().work
      expect((await login(t.url, { username, password: 'a wrong password', authorityId: 'lds' })).status).toBe(401)
      return passwordHashingStats().work - before
    }
    const today = passwordHashParameters.N * passwordHashParameters.r * passwordHashParameters.p
    expect(await workOf('nobody@lds.test')).toBe(today)
    expect(await workOf('lds-admin')).toBe(today)
  })
})
