import { randomBytes, randomUUID, scryptSync } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addAuthority, bootIssuer, type TestIssuer } from '../helpers/harness.ts'
import { login, median, providers } from './support.ts'

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

  it('takes as long for an unknown username as for a known one with a wrong password (medians within 2x)', async () => {
    const timed = async (username: string) => {
      const started = performance.now()
      const answer = await login(t.url, { username, password: 'a wrong password', authorityId: 'lds' })
      expect(answer.status).toBe(401)
      return performance.now() - started
    }
    await timed('lds-admin') // warm-up
    const known: number[] = []
    const unknown: number[] = []
    for (let i = 0; i < 50; i++) {
      // interleaved, and the order flipped every round, so that drift in the machine's load hits both
      if (i % 2) {
        known.push(await timed('lds-admin'))
        unknown.push(await timed(`nobody-${i}@lds.test`))
      } else {
        unknown.push(await timed(`nobody-${i}@lds.test`))
        known.push(await timed('lds-admin'))
      }
    }
    const ratio = median(known) / median(unknown)
    expect(ratio, `known ${median(known)} ms, unknown ${median(unknown)} ms`).toBeLessThan(2)
    expect(ratio).toBeGreaterThan(0.5)
  }, 180_000) // 101 sequential scrypts on a shared machine
})
