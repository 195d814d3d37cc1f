import { createHash, randomBytes } from 'node:crypto'
import type { Cookies } from '@sveltejs/kit'
import { walletDb } from './db.ts'
import { seal, unseal } from './seal.ts'
import { call, callRaw, ISSUER_SESSION_COOKIE, ServiceError } from './services.ts'

export const SESSION_COOKIE = 'flora_wallet_session'

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
const tokenContext = (id: string) => `wallet-session:${id}`

/** The issuer's session token from its Set-Cookie answer (the issuer sets it httpOnly, we keep it server-side). */
function issuerSessionToken(response: Response): string | undefined {
  const cookies = response.headers.getSetCookie?.() ?? [response.headers.get('set-cookie') ?? '']
  for (const cookie of cookies) {
    const match = cookie.match(new RegExp(`(?:^|,\\s*)${ISSUER_SESSION_COOKIE}=([^;]+)`))
    if (match?.[1]) return decodeURIComponent(match[1])
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

/**
 * Signs in against the party's service (issuer staff/admin or verifier staff). Wrong credentials
 * come back as a ServiceError of kind "unauthenticated".
 */
export async function signIn(
  party: Party,
  username: string,
  password: string,
): Promise<{ cookie: string; expiresAt: Date; user: WalletUser }> {
  let serviceToken: string
  let expiresAt: Date
  let user: WalletUser
  if (party === 'authority') {
    const response = await callRaw('issuer', '/session', { body: { username, password } })
    const body = (await response.json()) as { authorityId: string; role: string; expiresAt: string }
    const token = issuerSessionToken(response)
    if (!token) throw new ServiceError('issuer', 'refused', 502, 'the issuer set no session cookie')
    serviceToken = token
    expiresAt = new Date(body.expiresAt)
    const profile = await authorityProfile(body.authorityId)
    user = {
      party,
      role: body.role,
      username,
      authorityId: body.authorityId,
      authorityName: profile.name,
      issuableTypes: profile.types,
    }
  } else {
    const body = await call<{ token: string; expiresAt: string; role: string }>('verifier', '/session', {
      body: { username, password },
    })
    serviceToken = body.token
    expiresAt = new Date(body.expiresAt)
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
      sealedServiceToken: seal(kek, serviceToken, tokenContext(id)),
      expiresAt,
    },
  })
  return { cookie, expiresAt, user }
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
    serviceToken: unseal(kek, row.sealedServiceToken, tokenContext(id)),
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
  cookies.set(SESSION_COOKIE, value, { path: '/', httpOnly: true, sameSite: 'lax', secure, expires: expiresAt })
}

export function clearSessionCookie(cookies: Cookies) {
  cookies.delete(SESSION_COOKIE, { path: '/' })
}

/** The part of a session that pages may see. */
export function publicUser(session: WalletSessionData | undefined): WalletUser | null {
  if (!session) return null
  const { id: _id, serviceToken: _token, ...user } = session
  return user
}
