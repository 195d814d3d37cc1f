import { createHash, randomBytes } from 'node:crypto'
import type { Cookies } from '@sveltejs/kit'
import { walletConfig } from './config.ts'
import { walletDb } from './db.ts'
import { seal, serviceTokenContext, unseal } from './seal.ts'
import { call, callRaw, DEVICE_COOKIES, SESSION_COOKIES, ServiceError } from './services.ts'

/**
 * The wallet's session cookie: `__Host-flora_wallet_session` when its public URL is https (only the
 * wallet's own host can set it: Secure, Path=/, no Domain), `flora_wallet_session` on http, where
 * browsers refuse the prefix. The plain name is not read on https, or a sibling subdomain could
 * still plant a session.
 */
export const sessionCookieName = (): string =>
  new URL(walletConfig().publicUrl).protocol === 'https:' ? '__Host-flora_wallet_session' : 'flora_wallet_session'

/** Which service's accounts a sign-in is checked against. */
export type Party = 'authority' | 'verifier'

/** What pages may know about the signed-in person (never the service token). */
export interface WalletUser {
  party: Party
  role: string
  username: string
  authorityId: string | null
  authorityName: string | null
  /** Milestone types the authority's issuer metadata offers (authority party only). */
  issuableTypes: string[]
}

/** Server-side session: the user plus the sealed-at-rest token of the service it signed in at. */
export interface WalletSessionData extends WalletUser {
  id: string
  serviceToken: string
}

const hash = (token: string) => createHash('sha256').update(token).digest('hex')

/**
 * A cookie a service set (value and expiry), read from its Set-Cookie answer: `name`, or
 * `__Host-name` from a service behind https.
 */
function setCookie(response: Response, name: string): { value: string; expires: Date | undefined } | undefined {
  for (const line of response.headers.getSetCookie()) {
    const [pair = '', ...attributes] = line.split(';')
    const at = pair.indexOf('=')
    const named = pair.slice(0, at).trim()
    if (named !== name && named !== `__Host-${name}`) continue
    const value = decodeURIComponent(pair.slice(at + 1).trim())
    if (!value) return undefined
    const expires = attributes.map((a) => a.trim()).find((a) => /^expires=/i.test(a))
    const date = expires ? new Date(expires.slice(8)) : undefined
    return { value, expires: date && !Number.isNaN(date.getTime()) ? date : undefined }
  }
  return undefined
}

interface IssuerMetadata {
  display?: { name?: string }[]
  credential_configurations_supported?: Record<string, unknown>
}

/** The authority's name and issuable types, from its OpenID4VCI 1.0 credential issuer metadata. */
export async function authorityProfile(authorityId: string): Promise<{ name: string; types: string[] }> {
  const metadata = await call<IssuerMetadata>(
    'issuer',
    `/authorities/${encodeURIComponent(authorityId)}/v1/.well-known/openid-credential-issuer`,
  )
  return {
    name: metadata.display?.[0]?.name ?? authorityId,
    types: Object.keys(metadata.credential_configurations_supported ?? {}),
  }
}

/** What the wallet relays of the browser with a sign-in. */
export interface SignInContext {
  /** The browser's address (adapter-node's, behind the wallet's own trusted proxy if configured). */
  client: string
  /** The service's device cookie this browser holds from an earlier sign-in. */
  deviceToken?: string | undefined
  /** The issuer authority the account belongs to (authority staff; usernames are unique per authority). */
  authorityId?: string | undefined
}

/**
 * Signs in against the party's service (issuer staff/admin or verifier staff). The service gets the
 * browser's address (X-Forwarded-For; it counts it only if it trusts the wallet as its proxy) and
 * device cookie, and answers its session token and a renewed device cookie as cookies. Wrong
 * credentials come back as a ServiceError of kind "unauthenticated", too many attempts as
 * "throttled".
 */
export async function signIn(
  party: Party,
  username: string,
  password: string,
  context: SignInContext,
): Promise<{ cookie: string; expiresAt: Date; user: WalletUser; device: { value: string; expires: Date } | undefined }> {
  const service = party === 'authority' ? 'issuer' : 'verifier'
  const response = await callRaw(service, '/session', {
    body: {
      username,
      password,
      ...(party === 'authority' ? { authorityId: context.authorityId } : {}),
    },
    headers: {
      'x-forwarded-for': context.client,
      ...(context.deviceToken ? { cookie: `${DEVICE_COOKIES[service]}=${context.deviceToken}` } : {}),
    },
  })
  const body = (await response.json()) as { authorityId?: string; role: string; expiresAt: string }
  const session = setCookie(response, SESSION_COOKIES[service])
  if (!session) throw new ServiceError(service, 'refused', 502, `the ${service} set no session cookie`)
  const serviceToken = session.value
  const expiresAt = new Date(body.expiresAt)
  const issued = setCookie(response, DEVICE_COOKIES[service])
  const device = issued
    ? { value: issued.value, expires: issued.expires ?? new Date(Date.now() + 180 * 86_400_000) }
    : undefined
  let user: WalletUser
  if (party === 'authority') {
    const authorityId = body.authorityId ?? ''
    const profile = await authorityProfile(authorityId)
    user = {
      party,
      role: body.role,
      username,
      authorityId,
      authorityName: profile.name,
      issuableTypes: profile.types,
    }
  } else {
    user = { party, role: body.role, username, authorityId: null, authorityName: null, issuableTypes: [] }
  }
  const cookie = randomBytes(32).toString('base64url')
  const id = hash(cookie)
  const { db, kek } = await walletDb()
  await db.client.walletSession.create({
    data: {
      id,
      party: user.party,
      role: user.role,
      username: user.username,
      authorityId: user.authorityId,
      authorityName: user.authorityName,
      issuableTypes: JSON.stringify(user.issuableTypes),
      sealedServiceToken: seal(kek, serviceToken, serviceTokenContext(id)),
      expiresAt,
    },
  })
  return { cookie, expiresAt, user, device }
}

/** The session of a cookie value, or undefined (unknown, expired). */
export async function readSession(cookie: string | undefined): Promise<WalletSessionData | undefined> {
  if (!cookie || cookie.length > 100) return undefined
  const { db, kek } = await walletDb()
  const id = hash(cookie)
  const row = await db.client.walletSession.findUnique({ where: { id } })
  if (!row) return undefined
  if (row.expiresAt.getTime() < Date.now()) {
    await db.client.walletSession.deleteMany({ where: { id } })
    return undefined
  }
  return {
    id,
    party: row.party as Party,
    role: row.role,
    username: row.username,
    authorityId: row.authorityId,
    authorityName: row.authorityName,
    issuableTypes: JSON.parse(row.issuableTypes) as string[],
    serviceToken: unseal(kek, row.sealedServiceToken, serviceTokenContext(id)),
  }
}

/** Signs out here and at the service. */
export async function signOut(session: WalletSessionData): Promise<void> {
  const { db } = await walletDb()
  await db.client.walletSession.deleteMany({ where: { id: session.id } })
  const service = session.party === 'authority' ? 'issuer' : 'verifier'
  await callRaw(service, '/session', { method: 'DELETE', token: session.serviceToken }).catch(() => undefined)
}

export function setSessionCookie(cookies: Cookies, value: string, expiresAt: Date, secure: boolean) {
  cookies.set(sessionCookieName(), value, { path: '/', httpOnly: true, sameSite: 'lax', secure, expires: expiresAt })
}

/**
 * The browser's device cookie of a service, kept by the wallet for the service (the service's own
 * cookie cannot reach the browser: the browser talks to the wallet). Sent back only to /signin.
 */
export const walletDeviceCookie = (party: Party) =>
  party === 'authority' ? 'flora_wallet_issuer_device' : 'flora_wallet_verifier_device'

export function setDeviceCookie(cookies: Cookies, party: Party, value: string, expires: Date, secure: boolean) {
  cookies.set(walletDeviceCookie(party), value, { path: '/signin', httpOnly: true, sameSite: 'strict', secure, expires })
}

export function clearSessionCookie(cookies: Cookies) {
  cookies.delete(sessionCookieName(), { path: '/' })
}

/** The part of a session that pages may see. */
export function publicUser(session: WalletSessionData | undefined): WalletUser | null {
  if (!session) return null
  const { id: _id, serviceToken: _token, ...user } = session
  return user
}
