import { hasControlCharacter } from '@flora/ebsi-connector/core'
import { z } from 'zod'

/**
 * Where a wallet may be sent after it answered an OpenID4VP request (the officer's `redirectUri`).
 * The verifier answers the wallet's direct_post with a 302 to it, and a browser-based wallet follows
 * or shows it: only an absolute http(s) URL, no credentials in it, no fragment (RFC 6749 §3.1.2: the
 * verifier appends its parameters), nothing the URL parser would strip or reinterpret (whitespace,
 * control characters, a scheme without `//`). When the verifier's own public URL is https, the
 * redirect must be https too — loopback included: a production wallet has no business on plain
 * http, and a development setup serves the verifier over http, where http redirects are accepted.
 */
export function redirectUriProblem(uri: string, requireHttps: boolean): string | undefined {
  if (/\s/u.test(uri) || hasControlCharacter(uri)) return 'may not contain whitespace or control characters'
  if (!/^https?:\/\//i.test(uri)) return 'must be an absolute http(s) URL'
  let url: URL
  try {
    url = new URL(uri)
  } catch {
    return 'must be an absolute http(s) URL'
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an absolute http(s) URL'
  if (url.hostname === '') return 'must name a host'
  if (url.username !== '' || url.password !== '') return 'may not carry credentials'
  if (uri.includes('#')) return 'may not carry a fragment'
  if (requireHttps && url.protocol !== 'https:') return 'must be https (the verifier is served over https)'
  return undefined
}

/** The zod schema of `redirectUri`: a URL the rules above accept, normalised as the parser reads it. */
export function redirectUriSchema(requireHttps: boolean) {
  return z
    .string()
    .max(500)
    .superRefine((uri, ctx) => {
      const problem = redirectUriProblem(uri, requireHttps)
      if (problem) ctx.addIssue({ code: 'custom', message: problem })
    })
    .transform((uri) => new URL(uri).href)
    .describe('Absolute http(s) URL the wallet is sent to after answering (https when the verifier is served over https)')
}
