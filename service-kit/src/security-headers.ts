import { createHash } from 'node:crypto'
import type { Middleware } from 'koa'

/**
 * The policy of a JSON API: a browser that is tricked into rendering a response (a JSON body with
 * markup in a claim, a problem detail) loads nothing and runs nothing, and no page may frame it.
 */
export const jsonApiContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'"

/** One year: the usual minimum for HSTS to protect more than the first visit. */
const HSTS_MAX_AGE_SECONDS = 31_536_000

/**
 * The policy of a self-contained HTML page (a report to read or print): its own inline styles,
 * allowed by their SHA-256 so that injected markup cannot add any, and nothing else — no scripts,
 * no images or fonts from elsewhere, no forms, no framing, no base URL.
 */
export function htmlContentSecurityPolicy(options: { inlineStyles?: readonly string[] } = {}): string {
  const styles = (options.inlineStyles ?? []).map(
    (style) => `'sha256-${createHash('sha256').update(style, 'utf8').digest('base64')}'`,
  )
  return [
    "default-src 'none'",
    ...(styles.length ? [`style-src ${styles.join(' ')}`] : []),
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
}

/**
 * The headers every response carries, set before anything else runs so that problem responses,
 * 404s and body-parser errors have them too. Routes may replace the content security policy (an
 * HTML page) or allow caching of public data; a request that carries credentials (a bearer token
 * or a cookie) is answered with `no-store` whatever the route said, since its answer may be
 * personal. HSTS only when the service is reached over https (behind a TLS-terminating proxy):
 * sent over plain http it would be ignored at best.
 */
export function securityHeaders(options: { publicUrl?: string | undefined } = {}): Middleware {
  const https = options.publicUrl?.startsWith('https:') ?? false
  return async (ctx, next) => {
    ctx.set('x-content-type-options', 'nosniff')
    ctx.set('referrer-policy', 'no-referrer')
    ctx.set('cross-origin-resource-policy', 'same-origin')
    ctx.set('x-frame-options', 'DENY')
    ctx.set('content-security-policy', jsonApiContentSecurityPolicy)
    ctx.set('cache-control', 'no-store')
    if (https) ctx.set('strict-transport-security', `max-age=${HSTS_MAX_AGE_SECONDS}`)
    await next()
    if (ctx.get('authorization') || ctx.get('cookie')) ctx.set('cache-control', 'no-store')
  }
}
