import { randomBytes, scryptSync } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  configurePasswordHashing,
  hashPassword,
  PasswordHashingBusy,
  passwordHashingStats,
  passwordHashParameters,
  passwordNeedsRehash,
  verifyPassword,
} from '../src/index.ts'

/** A hash in the verifier's former format: `scrypt$salt$hash`, N = 2^14, the password as typed. */
function legacyVerifierHash(password: string): string {
  const salt = randomBytes(16)
  const hash = scryptSync(password, salt, 32, { N: 16_384, r: 8, p: 1 })
  return `scrypt$${salt.toString('base64url')}$${hash.toString('base64url')}`
}

/** A hash in the self-describing format with other parameters than today's. */
function selfDescribingHash(password: string, N: number): string {
  const salt = randomBytes(16)
  const hash = scryptSync(password.normalize('NFKC'), salt, 32, { N, r: 8, p: 1, maxmem: 256 * 1024 * 1024 })
  return ['scrypt', N, 8, 1, salt.toString('base64url'), hash.toString('base64url')].join('$')
}

describe('the password module shared by the services', () => {
  it('hashes new passwords in the self-describing format with a fresh salt each time', async () => {
    const a = await hashPassword('correct horse battery')
    const b = await hashPassword('correct horse battery')
    const { N, r, p } = passwordHashParameters
    expect(a).toMatch(new RegExp(`^scrypt\\$${N}\\$${r}\\$${p}\\$[\\w-]{22}\\$[\\w-]{43}$`))
    expect(a).not.toBe(b)
    expect(passwordNeedsRehash(a)).toBe(false)
    expect(await verifyPassword('correct horse battery', a)).toEqual({ ok: true, needsRehash: false })
    expect(await verifyPassword('wrong horse battery', a)).toEqual({ ok: false, needsRehash: false })
  })

  it("reads the verifier's former format and asks for a rehash once the password is known", async () => {
    const stored = legacyVerifierHash('an officer password')
    expect(await verifyPassword('an officer password', stored)).toEqual({ ok: true, needsRehash: true })
    expect(await verifyPassword('another password', stored)).toEqual({ ok: false, needsRehash: false })
  })

  it('reads self-describing hashes with older parameters and asks for a rehash', async () => {
    const stored = selfDescribingHash('an issuer password', 1 << 14)
    expect(passwordNeedsRehash(stored)).toBe(true)
    expect(await verifyPassword('an issuer password', stored)).toEqual({ ok: true, needsRehash: true })
  })

  it('costs one scrypt for an unknown user or an unreadable hash, and never matches them', async () => {
    for (const stored of [
      undefined,
      'plain-text',
      'scrypt$1$8$1$AAAA$AAAA',
      'scrypt$1048576$32$1$AAAA$AAAA',
    ]) {
      const before = passwordHashingStats().evaluations
      expect(await verifyPassword('anything', stored)).toEqual({ ok: false, needsRehash: false })
      expect(passwordHashingStats().evaluations - before).toBe(1)
    }
  })

  it('pads a check against a cheaper stored hash to the work of an unknown user', async () => {
    const workOf = async (stored: string | undefined) => {
      const before = passwordHashingStats().work
      await verifyPassword('a wrong password', stored)
      return passwordHashingStats().work - before
    }
    const unknown = await workOf(undefined)
    expect(unknown).toBe(passwordHashParameters.N * passwordHashParameters.r * passwordHashParameters.p)
    expect(await workOf(legacyVerifierHash('an officer password'))).toBe(unknown)
    expect(await workOf(selfDescribingHash('an issuer password', 1 << 14))).toBe(unknown)
    expect(await workOf(await hashPassword('today'))).toBe(unknown)
  })

  it('never runs more scrypts at once than its bound, and refuses beyond the waiting line', async () => {
    configurePasswordHashing({ maxConcurrent: 2, maxQueued: 10 })
    const stored = await hashPassword('the password')
    const attempts = await Promise.allSettled(
      Array.from({ length: 30 }, () => verifyPassword('a wrong password', stored)),
    )
    const refused = attempts.filter((a) => a.status === 'rejected')
    expect(refused.length).toBeGreaterThan(0)
    for (const a of refused) expect((a as PromiseRejectedResult).reason).toBeInstanceOf(PasswordHashingBusy)
    expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(2 + 10)
    const stats = passwordHashingStats()
    expect(stats.peakRunning).toBeLessThanOrEqual(2)
    expect(stats.running).toBe(0)
    expect(stats.queued).toBe(0)
    configurePasswordHashing({ maxConcurrent: 2, maxQueued: 256 })
  })
})
