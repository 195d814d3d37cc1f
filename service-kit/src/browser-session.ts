import type { Context, Middleware } from 'koa'
import { z } from 'zod'
import { clientAddress, clientSubject, type TrustedProxies } from './client-address.ts'
import { PasswordHashingBusy } from './passwords.ts'
import { HttpProblem } from './problem.ts'
import { Throttled } from './throttle.ts'

/**
 * What a koa service needs around cookie sessions and login throttling: cookies that are Secure
 * whenever the service is reached over https, the Origin check of cookie-authenticated state
 * changes, the client address behind trusted proxies, and Retry-After on 429/503 answers.
 */

/** The origin (scheme://host[:port]) of a URL. */
export const originOf = (url: string) => new URL(url).origin

/**
 * The config variable of the origins, besides the public URL's, whose pages may make
 * cookie-authenticated changes: comma-separated URLs, kept as their origins. Default none.
 */
export const allowedOriginsVariable = () =>
  z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().url().transform((url) => new URL(url).origin)))

/** Whether cookies of a service with this public URL must be Secure. */
export const secureCookiesFor = (publicUrl: string) => new URL(publicUrl).protocol === 'https:'

/**
 * The name of a session cookie: `__Host-<name>` when the public URL is https, else `<name>`. A
 * browser accepts a `__Host-` cookie only from the host itself, Secure, with Path=/ and no Domain,
 * so a sibling subdomain cannot plant one (its own session, in a staff member's browser). Browsers
 * refuse the prefix without Secure, hence the plain name on http (local runs). The plain name is
 * not read on https: reading it would keep that door open.
 */
export const sessionCookieName = (name: string, publicUrl: string) =>
  secureCookiesFor(publicUrl) ? `__Host-${name}` : name

export interface BrowserCookieOptions {
  /** The service's public URL: https → the cookie is Secure. */
  publicUrl: string
  expires: Date
  path?: string
  sameSite?: 'strict' | 'lax'
}

/**
 * Sets an httpOnly cookie, Secure when the public URL is https. The service itself usually speaks
 * plain http behind the TLS proxy, which koa would take for an insecure connection and refuse to
 * send a Secure cookie on; the public URL is what the browser sees, so it decides.
 */
export function setBrowserCookie(
  ctx: Context,
  name: string,
  value: string,
  options: BrowserCookieOptions,
): void {
  const secure = secureCookiesFor(options.publicUrl)
  if (secure) ctx.cookies.secure = true
  ctx.cookies.set(name, value, {
    httpOnly: true,
    sameSite: options.sameSite ?? 'strict',
    secure,
    expires: options.expires,
    path: options.path ?? '/',
    overwrite: true,
  })
}

/** Removes a cookie set by {@link setBrowserCookie}. */
export function clearBrowserCookie(
  ctx: Context,
  name: string,
  options: { publicUrl: string; path?: string },
): void {
  setBrowserCookie(ctx, name, '', { ...options, expires: new Date(0) })
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * Refuses (403) a state-changing request whose Origin header is missing or not one of `allowed`.
 * For requests authenticated by a cookie: a browser attaches the cookie to a form another site posts
 * to us, and always sends Origin on such a request; a page of ours sends our origin. Non-browser
 * clients that use the cookie send the origin they are calling. Bearer-token calls never need this.
 */
export function requireSameOrigin(ctx: Context, allowed: readonly string[]): void {
  if (SAFE_METHODS.has(ctx.method)) return
  const origin = ctx.get('origin')
  if (!origin)
    throw new HttpProblem(403, 'Forbidden', {
      type: 'https://flora-vc.eu/problems/origin-required',
      detail: 'a state-changing request with a session cookie must carry an Origin header',
    })
  if (!allowed.includes(origin))
    throw new HttpProblem(403, 'Forbidden', {
      type: 'https://flora-vc.eu/problems/cross-origin',
      detail: 'cross-origin request refused',
    })
}

/**
 * Refuses (403) a login posted from another origin (login CSRF: a page elsewhere logging the
 * victim's browser into the attacker's account). Without Origin (API clients, scripts) it passes.
 */
export function refuseForeignOrigin(ctx: Context, allowed: readonly string[]): void {
  const origin = ctx.get('origin')
  if (origin && !allowed.includes(origin))
    throw new HttpProblem(403, 'Forbidden', {
      type: 'https://flora-vc.eu/problems/cross-origin',
      detail: 'cross-origin request refused',
    })
}

/**
 * The client of a request as the throttles count it: its address (X-Forwarded-For only from a
 * trusted proxy), an IPv6 address as its /64 (see {@link clientSubject}).
 */
export const requestClient = (ctx: Context, trusted: TrustedProxies): string =>
  clientSubject(clientAddress(ctx.req.socket.remoteAddress, ctx.get('x-forwarded-for') || undefined, trusted))

/**
 * Adds Retry-After to throttled (429) and busy (503) answers and shapes the latter as a problem;
 * mount it inside the problem+json funnel.
 */
export function retryAfterAnswers(): Middleware {
  return async (ctx, next) => {
    try {
      await next()
    } catch (error) {
      if (error instanceof Throttled) {
        ctx.set('retry-after', String(error.retryAfterSeconds))
        throw error
      }
      if (error instanceof PasswordHashingBusy) {
        ctx.set('retry-after', String(error.retryAfterSeconds))
        throw new HttpProblem(503, 'Service Unavailable', { detail: error.message, cause: error })
      }
      throw error
    }
  }
}
