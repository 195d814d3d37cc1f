import { createHash, randomBytes, randomUUID, scrypt, timingSafeEqual } from 'node:crypto'
import { promisify } from 'node:util'
import type { Db } from '@flora/db'
import { HttpProblem, noSiblings, type SiblingBus, unauthorized } from '@flora/service-kit'
import type { VerifierChange } from './sibling-changes.ts'

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number, options: object) => Promise<Buffer>
const SCRYPT = { N: 16_384, r: 8, p: 1 }

/** Staff roles: officers verify and read reports; admins also manage staff, tokens, trust snapshots. */
export type StaffRole = 'officer' | 'admin'

/** Who is calling (never personal data beyond the staff account id). */
export interface Principal {
  actor: string
  role: StaffRole
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  const hash = await scryptAsync(password, salt, 32, SCRYPT)
  return `scrypt$${salt.toString('base64url')}$${hash.toString('base64url')}`
}

export async function checkPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, salt, hash] = stored.split('$')
  if (scheme !== 'scrypt' || !salt || !hash) return false
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64url'), 32, SCRYPT)
  const expected = Buffer.from(hash, 'base64url')
  return expected.length === actual.length && timingSafeEqual(expected, actual)
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex')

/** Staff accounts, sessions and API tokens of the verifying authority. */
export class AuthService {
  constructor(
    private readonly db: Db<'verifier'>,
    private readonly sessionTtlSeconds: number,
    private readonly siblings: SiblingBus = noSiblings,
  ) {}

  async createStaff(username: string, password: string, role: StaffRole): Promise<{ id: string }> {
    const existing = await this.db.client.verifierStaff.findUnique({ where: { username } })
    if (existing) throw new HttpProblem(409, 'Conflict', { detail: `staff account "${username}" exists` })
    const id = randomUUID()
    await this.db.client.verifierStaff.create({ data: { id, username, passwordHash: await hashPassword(password), role } })
    return { id }
  }

  async ensureAdmin(password: string | undefined): Promise<void> {
    if (!password) return
    if (await this.db.client.verifierStaff.findUnique({ where: { username: 'admin' } })) return
    await this.createStaff('admin', password, 'admin').catch(() => undefined)
  }

  /** Password login → a session token (shown once; only its hash is stored). */
  async login(username: string, password: string): Promise<{ token: string; expiresAt: Date; role: StaffRole }> {
    const staff = await this.db.client.verifierStaff.findUnique({ where: { username } })
    const ok = staff && !staff.disabledAt && (await checkPassword(password, staff.passwordHash))
    if (!staff || !ok) throw unauthorized('wrong username or password')
    const token = `vs_${randomBytes(32).toString('base64url')}`
    const expiresAt = new Date(Date.now() + this.sessionTtlSeconds * 1000)
    await this.db.client.verifierToken.create({
      data: { tokenHash: sha256(token), kind: 'session', staffId: staff.id, role: staff.role, expiresAt },
    })
    return { token, expiresAt, role: staff.role as StaffRole }
  }

  async logout(token: string): Promise<void> {
    const hash = sha256(token)
    await this.db.client.verifierToken.updateMany({ where: { tokenHash: hash }, data: { revokedAt: new Date() } })
    this.forget(hash)
    this.siblings.broadcast({ kind: 'token-revoked', tokenHash: hash } satisfies VerifierChange)
  }

  /** Drops a revoked token from the principal cache, so it stops working at once. */
  forget(tokenHash: string): void {
    this.#cache.delete(tokenHash)
  }

  /** A system's API token (shown once). */
  async createApiToken(name: string, role: StaffRole, createdBy: string): Promise<{ token: string }> {
    const token = `vt_${randomBytes(32).toString('base64url')}`
    await this.db.client.verifierToken.create({
      data: { tokenHash: sha256(token), kind: 'api', name, role, staffId: createdBy },
    })
    return { token }
  }

  #cache = new Map<string, { principal: Principal; until: number }>()

  /** The principal of a bearer token, or undefined. */
  async authenticate(token: string | undefined): Promise<Principal | undefined> {
    if (!token || token.length > 200) return undefined
    const hash = sha256(token)
    const cached = this.#cache.get(hash)
    if (cached && cached.until > Date.now()) return cached.principal
    const row = await this.db.client.verifierToken.findUnique({ where: { tokenHash: hash } })
    if (!row || row.revokedAt || (row.expiresAt && row.expiresAt.getTime() < Date.now())) return undefined
    if (row.staffId && row.kind === 'session') {
      const staff = await this.db.client.verifierStaff.findUnique({ where: { id: row.staffId } })
      if (!staff || staff.disabledAt) return undefined
    }
    const principal = { actor: row.kind === 'api' ? `token:${hash.slice(0, 12)}` : `staff:${row.staffId}`, role: row.role as StaffRole }
    if (this.#cache.size > 10_000) this.#cache.clear()
    this.#cache.set(hash, { principal, until: Date.now() + 5_000 })
    return principal
  }
}
