import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto'

/** scrypt parameters (N = 2^15, r = 8, p = 1: ~32 MiB, ~50 ms per hash on the pilot machines). */
const SCRYPT = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 }
const KEY_LENGTH = 32

function scryptAsync(password: string, salt: Buffer, params = SCRYPT): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, params, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  )
}

/**
 * Hashes a password with scrypt and a fresh 16-byte salt.
 * @returns `scrypt$N$r$p$<salt b64url>$<hash b64url>`, self-describing so parameters can change later
 */
export async function hashPassword(password: string): Promise<string> {
  if (typeof password !== 'string' || password.length < 10)
    throw new TypeError('password must be at least 10 characters')
  const salt = randomBytes(16)
  const key = await scryptAsync(password, salt)
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join(
    '$',
  )
}

/** Checks a password against a stored hash in constant time (per hash length). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$')
  if (scheme !== 'scrypt' || !salt || !hash) return false
  const expected = Buffer.from(hash, 'base64url')
  const key = await scryptAsync(password, Buffer.from(salt, 'base64url'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: SCRYPT.maxmem,
  })
  return key.length === expected.length && timingSafeEqual(key, expected)
}

/** A hash to compare against when the username does not exist, so both paths cost the same. */
export const dummyPasswordHash = `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${Buffer.alloc(16).toString('base64url')}$${Buffer.alloc(32).toString('base64url')}`
