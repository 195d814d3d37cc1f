import { createHash, randomBytes, randomUUID } from 'node:crypto'
import type { Db } from '@flora/db'
import {
  HttpProblem,
  hashPassword,
  type LoginGuard,
  noSiblings,
  notFound,
  type SiblingBus,
  unauthorized,
  verifyPassword,
} from '@flora/service-kit'
import type { VerifierChange } from './sibling-changes.ts'

/** Staff roles: officers verify and read reports; admins also manage staff, tokens, trust snapshots. */
export type StaffRole = 'officer' | 'admin'

/** Who is calling (never personal data beyond the staff account id). */
export interface Principal {
  actor: string
  role: StaffRole
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex')

export interface AuthOptions {
  sessionTtlSeconds: number
  apiTokenTtlDays: number
  logins: LoginGuard
  siblings?: SiblingBus
  /** The service clock, epoch ms (token expiry). */
  now?: () => number
}

interface Cached {
  principal: Principal
  /** When the cache entry must be read again (5 s). */
  until: number
  /** When the token itself expires. */
  expiresAt: number
  staffId: string | null
}

/** Staff accounts, sessions and API tokens of the verifying authority. */
export class AuthService {
  readonly #db: Db<'verifier'>
  readonly #options: AuthOptions
  readonly #siblings: SiblingBus
  readonly #now: () => number
  #cache = new Map<string, Cached>()

  constructor(db: Db<'verifier'>, options: AuthOptions) {
    this.#db = db
    this.#options = options
    this.#siblings = options.siblings ?? noSiblings
    this.#now = options.now ?? Date.now
  }

  async createStaff(username: string, password: string, role: StaffRole): Promise<{ id: string }> {
    const existing = await this.#db.client.verifierStaff.findUnique({ where: { username } })
    if (existing) throw new HttpProblem(409, 'Conflict', { detail: `staff account "${username}" exists` })
    const id = randomUUID()
    await this.#db.client.verifierStaff.create({
      data: { id, username, passwordHash: await hashPassword(password), role },
    })
    return { id }
  }

  async ensureAdmin(password: string | undefined): Promise<void> {
    if (!password) return
    if (await this.#db.client.verifierStaff.findUnique({ where: { username: 'admin' } })) return
    await this.createStaff('admin', password, 'admin').catch(() => undefined)
  }

  /**
   * Password login → a session token (set as a cookie, only its hash is stored) and a device token
   * for the browser. Counted before the password is checked (429 when a limit is used up, see
   * LoginGuard); an unknown username costs the same scrypt as a known one; a hash in an older
   * format is replaced once the password is known to be right.
   */
  async login(args: {
    username: string
    password: string
    client: string
    deviceToken?: string | undefined
  }): Promise<{ token: string; expiresAt: Date; role: StaffRole; device: { token: string; expires: Date } }> {
    const attempt = await this.#options.logins.begin({
      account: { username: args.username },
      client: args.client,
      deviceToken: args.deviceToken,
    })
    const staff = await this.#db.client.verifierStaff.findUnique({ where: { username: args.username } })
    const { ok, needsRehash } = await verifyPassword(args.password, staff?.passwordHash)
    if (!staff || !ok || staff.disabledAt) throw unauthorized('wrong username or password')
    const device = await attempt.succeeded()
    if (needsRehash)
      await this.#db.client.verifierStaff.updateMany({
        where: { id: staff.id, passwordHash: staff.passwordHash },
        data: { passwordHash: await hashPassword(args.password) },
      })
    const token = `vs_${randomBytes(32).toString('base64url')}`
    const expiresAt = new Date(this.#now() + this.#options.sessionTtlSeconds * 1000)
    await this.#db.client.verifierToken.create({
      data: { tokenHash: sha256(token), kind: 'session', staffId: staff.id, role: staff.role, expiresAt },
    })
    return { token, expiresAt, role: staff.role as StaffRole, device }
  }

  async logout(token: string): Promise<void> {
    const hash = sha256(token)
    await this.#db.client.verifierToken.updateMany({
      where: { tokenHash: hash },
      data: { revokedAt: new Date() },
    })
    this.#revoked([hash])
  }

  /** Drops a revoked token from the principal cache, so it stops working at once. */
  forget(tokenHash: string): void {
    this.#cache.delete(tokenHash)
  }

  /** Drops every cached principal of a staff account (disabled). */
  forgetStaff(staffId: string): void {
    for (const [hash, entry] of this.#cache) if (entry.staffId === staffId) this.#cache.delete(hash)
  }

  #revoked(hashes: string[]) {
    for (const tokenHash of hashes) {
      this.forget(tokenHash)
      this.#siblings.broadcast({ kind: 'token-revoked', tokenHash } satisfies VerifierChange)
    }
  }

  /**
   * A system's API token (shown once). Its id is the SHA-256 of the token, what the database keeps;
   * it expires after the configured lifetime.
   */
  async createApiToken(
    name: string,
    role: StaffRole,
    createdBy: string,
  ): Promise<{ id: string; token: string; expiresAt: string }> {
    const token = `vt_${randomBytes(32).toString('base64url')}`
    const id = sha256(token)
    const expiresAt = new Date(this.#now() + this.#options.apiTokenTtlDays * 86_400_000)
    const staffId = createdBy.startsWith('staff:') ? createdBy.slice(6) : null
    await this.#db.client.verifierToken.create({
      data: { tokenHash: id, kind: 'api', name, role, staffId, expiresAt },
    })
    return { id, token, expiresAt: expiresAt.toISOString() }
  }

  async listApiTokens() {
    const rows = await this.#db.client.verifierToken.findMany({
      where: { kind: 'api' },
      orderBy: { createdAt: 'asc' },
    })
    return rows.map((row) => ({
      id: row.tokenHash,
      name: row.name,
      role: row.role,
      createdAt: row.createdAt.toISOString(),
      expiresAt: row.expiresAt?.toISOString() ?? null,
      revoked: row.revokedAt !== null,
    }))
  }

  /** Revokes an API token here, in the other workers' caches and (by the database) everywhere. */
  async revokeApiToken(id: string): Promise<void> {
    const { count } = await this.#db.client.verifierToken.updateMany({
      where: { tokenHash: id, kind: 'api', revokedAt: null },
      data: { revokedAt: new Date(this.#now()) },
    })
    if (count === 0) throw notFound('no such API token')
    this.#revoked([id])
  }

  async listStaff() {
    const rows = await this.#db.client.verifierStaff.findMany({ orderBy: { createdAt: 'asc' } })
    return rows.map((row) => ({
      id: row.id,
      username: row.username,
      role: row.role,
      createdAt: row.createdAt.toISOString(),
      disabled: row.disabledAt !== null,
    }))
  }

  /**
   * Disables a staff account: it can no longer log in, and its sessions end at once (revoked in the
   * database, dropped from every worker's cache). API tokens the account created for systems stay:
   * they belong to those systems and are revoked on their own.
   */
  async disableStaff(id: string, by: Principal): Promise<void> {
    if (by.actor === `staff:${id}`)
      throw new HttpProblem(409, 'Conflict', { detail: 'an admin cannot disable their own account' })
    const { count } = await this.#db.client.verifierStaff.updateMany({
      where: { id, disabledAt: null },
      data: { disabledAt: new Date(this.#now()) },
    })
    if (count === 0) throw notFound('no such staff account')
    const sessions = await this.#db.client.verifierToken.findMany({
      where: { staffId: id, kind: 'session', revokedAt: null },
      select: { tokenHash: true },
    })
    await this.#db.client.verifierToken.updateMany({
      where: { staffId: id, kind: 'session', revokedAt: null },
      data: { revokedAt: new Date(this.#now()) },
    })
    this.forgetStaff(id)
    this.#siblings.broadcast({ kind: 'staff-disabled', staffId: id } satisfies VerifierChange)
    this.#revoked(sessions.map((s) => s.tokenHash))
  }

  /** The principal of a bearer token, or undefined (unknown, revoked, expired, or without expiry). */
  async authenticate(token: string | undefined): Promise<Principal | undefined> {
    if (!token || token.length > 200) return undefined
    const hash = sha256(token)
    const now = this.#now()
    const cached = this.#cache.get(hash)
    if (cached && cached.until > Date.now() && cached.expiresAt > now) return cached.principal
    const row = await this.#db.client.verifierToken.findUnique({ where: { tokenHash: hash } })
    if (!row || row.revokedAt || !row.expiresAt || row.expiresAt.getTime() <= now) return undefined
    if (row.staffId && row.kind === 'session') {
      const staff = await this.#db.client.verifierStaff.findUnique({ where: { id: row.staffId } })
      if (!staff || staff.disabledAt) return undefined
    }
    const principal = {
      actor: row.kind === 'api' ? `token:${hash.slice(0, 12)}` : `staff:${row.staffId}`,
      role: row.role as StaffRole,
    }
    if (this.#cache.size > 10_000) this.#cache.clear()
    this.#cache.set(hash, {
      principal,
      until: Date.now() + 5_000,
      expiresAt: row.expiresAt.getTime(),
      staffId: row.kind === 'session' ? row.staffId : null,
    })
    return principal
  }
}
