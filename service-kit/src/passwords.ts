import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto'

/**
 * Staff passwords of every service: one scrypt hashing, one stored format, one bound on how many
 * run at once. Free of koa, so the wallet UI's server bundle can import it too.
 *
 * Stored formats read:
 * - `scrypt$N$r$p$<salt b64url>$<hash b64url>`: self-describing, the password NFKC-normalised.
 *   Every new hash is written in it.
 * - `scrypt$<salt b64url>$<hash b64url>`: an older format with N = 2^14, r = 8, p = 1 implied and the
 *   password hashed as typed. Read, never written; a login that succeeds against it rehashes.
 */

/**
 * Parameters of new hashes: N = 2^15, r = 8, p = 1 (32 MiB, some 50 ms on the pilot machines).
 * OWASP's floor for scrypt is N = 2^17 at r = 8; we stay at 2^15 because logins of a whole office
 * share two cores with credential issuance, and raise it here when the machines allow (stored
 * hashes with other parameters are rehashed at their next successful login).
 */
export const passwordHashParameters = { N: 1 << 15, r: 8, p: 1 } as const
const KEY_LENGTH = 32
const SALT_LENGTH = 16
/** Beyond this memory, a stored hash is refused rather than computed (a bad row must not cost 1 GiB). */
const MAX_MEMORY = 256 * 1024 * 1024
const maxmem = (N: number, r: number) => 128 * r * N + 16 * 1024 * 1024

interface Parameters {
  N: number
  r: number
  p: number
}
interface ParsedHash extends Parameters {
  salt: Buffer
  hash: Buffer
  /** The legacy format hashed the password as typed; the current one NFKC-normalises it. */
  normalise: boolean
}

function parse(stored: string): ParsedHash | undefined {
  const parts = stored.split('$')
  if (parts[0] !== 'scrypt') return undefined
  if (parts.length === 3) {
    const [, salt, hash] = parts
    if (!salt || !hash) return undefined
    return {
      N: 1 << 14,
      r: 8,
      p: 1,
      salt: Buffer.from(salt, 'base64url'),
      hash: Buffer.from(hash, 'base64url'),
      normalise: false,
    }
  }
  if (parts.length !== 6) return undefined
  const [, n, r, p, salt, hash] = parts
  const N = Number(n)
  const R = Number(r)
  const P = Number(p)
  const power = Number.isInteger(N) && N > 1 && (N & (N - 1)) === 0
  const sane = Number.isInteger(R) && R >= 1 && Number.isInteger(P) && P >= 1 && P <= 16
  if (!power || !sane || 128 * R * N > MAX_MEMORY) return undefined
  if (!salt || !hash) return undefined
  return {
    N,
    r: R,
    p: P,
    salt: Buffer.from(salt, 'base64url'),
    hash: Buffer.from(hash, 'base64url'),
    normalise: true,
  }
}

const format = (params: Parameters, salt: Buffer, hash: Buffer) =>
  ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), hash.toString('base64url')].join('$')

/**
 * The hash compared against when the username is unknown, so that an unknown and a known username
 * cost the same scrypt. Its salt is random per process; nothing can match it but by chance.
 */
const dummyHash = format(passwordHashParameters, randomBytes(SALT_LENGTH), randomBytes(KEY_LENGTH))

// --- the bound on concurrent scrypt computations

/**
 * scrypt runs on libuv's thread pool (4 threads unless UV_THREADPOOL_SIZE says otherwise), which the
 * verifier's asynchronous signature checks, file I/O and DNS share. Two at a time leave the rest of
 * the pool free however many logins arrive; the others wait in line, and past `maxQueued` they are
 * refused at once (503) instead of holding memory and sockets.
 */
const limits = { maxConcurrent: 2, maxQueued: 256 }
let running = 0
const waiting: (() => void)[] = []
const stats = { evaluations: 0, work: 0, peakRunning: 0, refusedBusy: 0 }

/** Too many password checks are waiting already; the caller answers 503 with Retry-After. */
export class PasswordHashingBusy extends Error {
  readonly code = 'ERR_PASSWORD_HASHING_BUSY'
  readonly status = 503
  readonly retryAfterSeconds = 1
  constructor() {
    super('too many sign-ins are being checked; try again in a moment')
    this.name = 'PasswordHashingBusy'
  }
}

async function bounded<T>(work: () => Promise<T>): Promise<T> {
  if (running >= limits.maxConcurrent) {
    if (waiting.length >= limits.maxQueued) {
      stats.refusedBusy++
      throw new PasswordHashingBusy()
    }
    await new Promise<void>((resolve) => waiting.push(resolve))
  } else running++
  // `running` now counts this computation (a waiter inherits the slot of the one that woke it)
  stats.peakRunning = Math.max(stats.peakRunning, running)
  try {
    return await work()
  } finally {
    const next = waiting.shift()
    if (next) next()
    else running--
  }
}

/** scrypt's time and memory grow with N·r·p: what one evaluation with these parameters costs. */
const costOf = (params: Parameters) => params.N * params.r * params.p

/**
 * One scrypt, then `padding` more with the same parameters whose result is thrown away, all in one
 * slot of the bound (so the padded check waits in line once, like any other).
 */
function derive(password: string, salt: Buffer, params: Parameters, padding = 0): Promise<Buffer> {
  const once = (input: string, salty: Buffer) =>
    new Promise<Buffer>((resolve, reject) => {
      stats.evaluations++
      stats.work += costOf(params)
      scrypt(input, salty, KEY_LENGTH, { ...params, maxmem: maxmem(params.N, params.r) }, (error, key) =>
        error ? reject(error) : resolve(key),
      )
    })
  return bounded(async () => {
    const key = await once(password, salt)
    for (let i = 0; i < padding; i++) await once(password, randomBytes(SALT_LENGTH))
    return key
  })
}

/** The most padding scrypts one check gets (a stored hash below 1/8 of today's cost is none of ours). */
const MAX_PADDING = 7

/**
 * How many more scrypts with a stored hash's parameters bring its check to today's cost: a hash
 * cheaper than today's (the former format: N = 2^14, half of today's) would otherwise answer faster
 * than the dummy hash of an unknown username, and so tell that the account exists. Dearer hashes
 * are not padded (nothing can make them cheaper); both kinds are rehashed at the next login.
 */
function paddingFor(params: Parameters): number {
  const ratio = costOf(passwordHashParameters) / costOf(params)
  return ratio > 1 ? Math.min(MAX_PADDING, Math.round(ratio) - 1) : 0
}

/** Sets the bound (per process: the thread pool is per process). */
export function configurePasswordHashing(options: { maxConcurrent?: number; maxQueued?: number }): void {
  if (options.maxConcurrent !== undefined)
    limits.maxConcurrent = Math.max(1, Math.floor(options.maxConcurrent))
  if (options.maxQueued !== undefined) limits.maxQueued = Math.max(0, Math.floor(options.maxQueued))
}

/**
 * What this process computed so far: scrypt evaluations and their work (the sum of N·r·p), the most
 * that ever ran at once, and the checks refused because the line was full. For tests and
 * operators' metrics.
 */
export function passwordHashingStats(): {
  evaluations: number
  work: number
  peakRunning: number
  running: number
  queued: number
  refusedBusy: number
  maxConcurrent: number
} {
  return { ...stats, running, queued: waiting.length, maxConcurrent: limits.maxConcurrent }
}

// --- hashing and checking

/** Hashes a new password in the current format with a fresh salt. */
export async function hashPassword(password: string): Promise<string> {
  if (typeof password !== 'string' || password.length === 0) throw new TypeError('password must not be empty')
  const salt = randomBytes(SALT_LENGTH)
  const hash = await derive(password.normalize('NFKC'), salt, passwordHashParameters)
  return format(passwordHashParameters, salt, hash)
}

/** True when a stored hash should be replaced (older format or other parameters than today's). */
export function passwordNeedsRehash(stored: string): boolean {
  const parsed = parse(stored)
  if (!parsed?.normalise) return true
  return (
    parsed.N !== passwordHashParameters.N ||
    parsed.r !== passwordHashParameters.r ||
    parsed.p !== passwordHashParameters.p ||
    parsed.hash.length !== KEY_LENGTH
  )
}

/**
 * Checks a password against a stored hash; `stored` undefined (unknown username) or unreadable
 * checks against the dummy hash instead, so every answer costs at least the work of one scrypt at
 * today's parameters (a cheaper stored hash is padded, see paddingFor). `needsRehash`: the caller
 * should store `hashPassword(password)` now that it knows the password (only ever true when `ok`).
 */
export async function verifyPassword(
  password: string,
  stored: string | undefined,
): Promise<{ ok: boolean; needsRehash: boolean }> {
  const parsed = (stored !== undefined ? parse(stored) : undefined) ?? parse(dummyHash)!
  const candidate = typeof password === 'string' ? password : ''
  const key = await derive(
    parsed.normalise ? candidate.normalize('NFKC') : candidate,
    parsed.salt,
    parsed,
    paddingFor(parsed),
  )
  const real = stored !== undefined && parse(stored) !== undefined
  const ok = real && key.length === parsed.hash.length && timingSafeEqual(key, parsed.hash)
  return { ok, needsRehash: ok && passwordNeedsRehash(stored!) }
}
