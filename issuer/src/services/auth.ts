import { randomUUID } from 'node:crypto'
import { hashPassword, verifyPassword } from '@flora/service-kit'
import { hashToken, randomToken } from '../domain/tokens.ts'
import {
  AlreadyExists,
  LoginFailed,
  NotAuthenticated,
  ResourceNotFound,
  RoleInsufficient,
} from '../errors.ts'
import { audit } from './audit.ts'
import { type IssuerContext, isUniqueViolation, type Principal } from './context.ts'
import { revokeFeedsOf } from './monitor.ts'

export type StaffRole = 'staff' | 'admin'

/** Creates a staff account of an authority (deployment bootstrap, or an admin of that authority). */
export async function createStaffAccount(
  ctx: IssuerContext,
  by: Principal | undefined,
  args: { authorityId: string; username: string; password: string; role: StaffRole },
) {
  if (by && (by.role !== 'admin' || by.authorityId !== args.authorityId))
    throw new RoleInsufficient('only an admin of the authority may add staff')
  const authority = await ctx.db.authority.findUnique({ where: { id: args.authorityId } })
  if (!authority) throw new ResourceNotFound('authority not found')
  // Usernames are unique per authority: one another authority uses is created like a free one
  // (a 409 here would tell the admin who works elsewhere); within the authority it is a conflict.
  // Logins name the authority, so the other authority's account is untouched by this one.
  const id = randomUUID()
  try {
    await ctx.db.staffAccount.create({
      data: {
        id,
        authorityId: args.authorityId,
        username: args.username,
        passwordHash: await hashPassword(args.password),
        role: args.role,
      },
    })
  } catch (error) {
    if (isUniqueViolation(error))
      throw new AlreadyExists('this authority already has an account with that username', { field: '/username' })
    throw error
  }
  if (by) await audit(ctx.db, by, { action: 'staff.create', subjectId: id })
  return { id, authorityId: args.authorityId, username: args.username, role: args.role }
}

export async function listStaff(ctx: IssuerContext, by: Principal) {
  requireAdmin(by)
  const rows = await ctx.db.staffAccount.findMany({
    where: { authorityId: by.authorityId },
    orderBy: { createdAt: 'asc' },
  })
  return rows.map((row) => ({
    id: row.id,
    username: row.username,
    role: row.role as StaffRole,
    disabled: row.disabledAt !== null,
  }))
}

export async function disableStaff(ctx: IssuerContext, by: Principal, staffId: string) {
  requireAdmin(by)
  const { count } = await ctx.db.staffAccount.updateMany({
    where: { id: staffId, authorityId: by.authorityId, disabledAt: null },
    data: { disabledAt: ctx.now() },
  })
  if (count === 0) throw new ResourceNotFound('staff account not found')
  await ctx.db.staffSession.deleteMany({ where: { staffId } })
  await revokeFeedsOf(ctx.db, { type: 'staff', id: staffId }, ctx.now())
  await audit(ctx.db, by, { action: 'staff.disable', subjectId: staffId })
}

/**
 * Logs in; returns the session token (cookie value, stored only as its hash) and a device token for
 * the browser. The account is the authority's username: the authority is part of every login, so
 * that what one authority creates never changes how another's staff log in, nor tells it who works
 * elsewhere. The attempt is counted before the password is checked (429 when a limit is used up,
 * see LoginGuard), against that account; an unknown account costs the same scrypt as a known one.
 * A hash in an older format or with older parameters is replaced once the password is known to be
 * right.
 */
export async function login(
  ctx: IssuerContext,
  args: { username: string; password: string; authorityId: string; client: string; deviceToken?: string },
) {
  const attempt = await ctx.logins.begin({
    account: { username: args.username, tenant: args.authorityId },
    client: args.client,
    deviceToken: args.deviceToken,
  })
  const account = await ctx.db.staffAccount.findUnique({
    where: { authorityId_username: { authorityId: args.authorityId, username: args.username } },
  })
  const { ok, needsRehash } = await verifyPassword(args.password, account?.passwordHash)
  if (!account || !ok || account.disabledAt) {
    if (account)
      await audit(
        ctx.db,
        { authorityId: account.authorityId, actorType: 'staff', actorId: account.id },
        { action: 'session.login', outcome: 'refused' },
      )
    throw new LoginFailed()
  }
  const device = await attempt.succeeded()
  if (needsRehash) {
    // only if nobody changed it meanwhile
    await ctx.db.staffAccount.updateMany({
      where: { id: account.id, passwordHash: account.passwordHash },
      data: { passwordHash: await hashPassword(args.password) },
    })
  }
  const token = randomToken('fls_')
  const expiresAt = new Date(ctx.now().getTime() + ctx.config.FLORA_ISSUER_SESSION_TTL_SECONDS * 1000)
  await ctx.db.staffSession.create({ data: { tokenHash: hashToken(token), staffId: account.id, expiresAt } })
  const principal: Principal = {
    authorityId: account.authorityId,
    actorType: 'staff',
    actorId: account.id,
    role: account.role as StaffRole,
  }
  await audit(ctx.db, principal, { action: 'session.login' })
  return { token, expiresAt, principal, device }
}

export async function logout(ctx: IssuerContext, principal: Principal, token: string) {
  await ctx.db.staffSession.deleteMany({ where: { tokenHash: hashToken(token) } })
  await audit(ctx.db, principal, { action: 'session.logout' })
}

const principalCache = new Map<string, { principal: Principal; until: number; expiresAt: number }>()

/**
 * Resolves a session token or an API token to its principal. API tokens are cached for 5 s per
 * process (revocation in another process takes effect within that time; in this one at once), so
 * systems issuing at high rates cost no database round trip per request. A token past its expiry,
 * or without one, is refused, cached or not.
 */
export async function authenticate(
  ctx: IssuerContext,
  credentials: { session?: string; bearer?: string },
): Promise<Principal> {
  if (credentials.bearer) {
    const hash = hashToken(credentials.bearer)
    const now = ctx.now().getTime()
    const cached = principalCache.get(hash)
    if (cached && cached.until > Date.now() && cached.expiresAt > now) return cached.principal
    const token = await ctx.store.apiToken(hash)
    if (!token || token.revoked || !token.expiresAt || token.expiresAt.getTime() <= now)
      throw new NotAuthenticated('API token invalid, expired or revoked')
    const principal: Principal = {
      authorityId: token.authorityId,
      actorType: 'api',
      actorId: token.id,
      role: token.role as StaffRole,
    }
    if (principalCache.size > 10_000) principalCache.clear()
    principalCache.set(hash, { principal, until: Date.now() + 5_000, expiresAt: token.expiresAt.getTime() })
    return principal
  }
  if (credentials.session) {
    const session = await ctx.db.staffSession.findUnique({
      where: { tokenHash: hashToken(credentials.session) },
    })
    if (!session || session.expiresAt < ctx.now()) throw new NotAuthenticated('session expired or unknown')
    const account = await ctx.db.staffAccount.findUnique({ where: { id: session.staffId } })
    if (!account || account.disabledAt) throw new NotAuthenticated('session expired or unknown')
    return {
      authorityId: account.authorityId,
      actorType: 'staff',
      actorId: account.id,
      role: account.role as StaffRole,
    }
  }
  throw new NotAuthenticated('log in or present an API token')
}

export function requireAdmin(principal: Principal): void {
  if (principal.role !== 'admin') throw new RoleInsufficient('this action needs the admin role')
}

/** Creates an API token for a system; the token is returned once and stored only as its hash. */
export async function createApiToken(
  ctx: IssuerContext,
  by: Principal | undefined,
  args: { authorityId: string; name: string; role: StaffRole },
) {
  if (by) {
    requireAdmin(by)
    if (by.authorityId !== args.authorityId)
      throw new RoleInsufficient('admins manage their own authority only')
  }
  const id = randomUUID()
  const token = randomToken('flt_')
  const expiresAt = new Date(ctx.now().getTime() + ctx.config.FLORA_ISSUER_API_TOKEN_TTL_DAYS * 86_400_000)
  await ctx.db.apiToken.create({
    data: {
      id,
      authorityId: args.authorityId,
      name: args.name,
      role: args.role,
      tokenHash: hashToken(token),
      expiresAt,
    },
  })
  if (by) await audit(ctx.db, by, { action: 'api-token.create', subjectId: id })
  return { id, name: args.name, role: args.role, token, expiresAt: expiresAt.toISOString() }
}

export async function listApiTokens(ctx: IssuerContext, by: Principal) {
  requireAdmin(by)
  const rows = await ctx.db.apiToken.findMany({
    where: { authorityId: by.authorityId },
    orderBy: { createdAt: 'asc' },
  })
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    role: row.role,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    revoked: row.revokedAt !== null,
  }))
}

export async function revokeApiToken(ctx: IssuerContext, by: Principal, tokenId: string) {
  requireAdmin(by)
  const { count } = await ctx.db.apiToken.updateMany({
    where: { id: tokenId, authorityId: by.authorityId, revokedAt: null },
    data: { revokedAt: ctx.now() },
  })
  if (count === 0) throw new ResourceNotFound('API token not found')
  principalCache.clear()
  await revokeFeedsOf(ctx.db, { type: 'api', id: tokenId }, ctx.now())
  await audit(ctx.db, by, { action: 'api-token.revoke', subjectId: tokenId })
}
