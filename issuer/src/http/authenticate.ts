import { originOf, requireSameOrigin, sessionCookieName } from '@flora/service-kit'
import type { Context } from 'koa'
import { authenticate } from '../services/auth.ts'
import type { IssuerContext, Principal } from '../services/context.ts'

/** The session cookie: `__Host-flora_session` when the public URL is https (see sessionCookieName). */
export const sessionCookie = (issuer: IssuerContext): string =>
  sessionCookieName('flora_session', issuer.config.FLORA_ISSUER_PUBLIC_URL)
/** The browser's device token (see LoginGuard); sent only to /session. */
export const DEVICE_COOKIE = 'flora_device'

/** The origins whose pages may change state with the session cookie: ours and the configured ones. */
export const allowedOrigins = (issuer: IssuerContext): string[] => [
  originOf(issuer.config.FLORA_ISSUER_PUBLIC_URL),
  ...issuer.config.FLORA_ISSUER_ALLOWED_ORIGINS,
]

/**
 * The principal of a request: API token (Authorization: Bearer) or the session cookie. A state
 * change authenticated by the cookie must come from an allowed Origin (a browser sends the cookie
 * with a form another site posts; SameSite does not cover a sibling subdomain).
 */
export async function principalOf(issuer: IssuerContext, ctx: Context): Promise<Principal> {
  const bearer = ctx.get('authorization').match(/^Bearer (.+)$/)?.[1]
  const session = ctx.cookies.get(sessionCookie(issuer))
  if (!bearer && session) requireSameOrigin(ctx, allowedOrigins(issuer))
  return authenticate(issuer, { bearer, session })
}
