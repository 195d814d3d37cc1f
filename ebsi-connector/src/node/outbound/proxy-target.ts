import { InvalidRequest } from '../errors.ts'

/**
 * Where a TIR proxy request goes: `prefix + "/" + path`, and nowhere else. The WHATWG URL parser
 * turns `\` into `/` and resolves `.`, `..`, `%2e` and `%2e%2e` segments, so a path that merely
 * contains no literal "../" can still climb out of the prefix once it is parsed. Hence the rules:
 * every path segment, once decoded, must be non-empty, not `.` or `..`, and free of `\`, `%` (a second
 * layer of encoding) and control characters; the target is then built from re-encoded segments,
 * parsed again, and must have the prefix's origin and exactly the path that was built.
 */

const MAX_PATH_CHARS = 1000
const MAX_QUERY_CHARS = 2000
/** Whether `text` holds a C0 or C1 control character or DEL (a character class of them trips the linter). */
export function hasControlCharacter(text: string, allowTab = false): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code === 9 && allowTab) continue
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return true
  }
  return false
}
/** Characters a path segment may carry unencoded (RFC 3986 pchar without pct-encoded). */
const NOT_PCHAR = /[^A-Za-z0-9\-._~!$&'()*+,;=:@]/gu

/** Why a decoded path segment may not be forwarded, or undefined when it may. */
export function segmentProblem(segment: string): string | undefined {
  if (segment === '') return 'an empty segment'
  if (segment === '.' || segment === '..') return `a "${segment}" segment`
  if (segment.includes('\\')) return 'a backslash'
  if (segment.includes('%')) return 'a "%" once decoded (encoded twice)'
  if (hasControlCharacter(segment)) return 'a control character'
  return undefined
}

/** The segments of a proxied path as the router decoded it. @throws InvalidRequest */
export function proxiedSegments(decodedPath: string): string[] {
  if (decodedPath.length === 0 || decodedPath.length > MAX_PATH_CHARS)
    throw new InvalidRequest(`the proxied path must have 1 to ${MAX_PATH_CHARS} characters`)
  const segments = decodedPath.split('/')
  for (const segment of segments) {
    const problem = segmentProblem(segment)
    if (problem) throw new InvalidRequest(`the proxied path may not contain ${problem}`)
  }
  return segments
}

/** The query forwarded with a proxied path. @throws InvalidRequest */
export function proxiedQuery(rawQuery: string): string {
  if (rawQuery.length > MAX_QUERY_CHARS)
    throw new InvalidRequest(`the proxied query may have at most ${MAX_QUERY_CHARS} characters`)
  if (hasControlCharacter(rawQuery))
    throw new InvalidRequest('the proxied query may not contain a control character')
  return rawQuery
}

/** Decodes each `/`-separated part of a raw (percent-encoded) path; undefined when malformed. */
function decodeSegments(rawPath: string): string[] | undefined {
  try {
    return rawPath.split('/').map((part) => decodeURIComponent(part))
  } catch {
    return undefined
  }
}

/** Why a proxy prefix is not acceptable, or undefined when it is. */
export function prefixProblem(prefix: string): string | undefined {
  const match = /^https?:\/\/([^/?#]*)(\/[^?#]*)?$/i.exec(prefix)
  if (!match) return 'must be an http(s) URL without query or fragment'
  if (/[\\\s]/.test(prefix) || hasControlCharacter(prefix))
    return 'may not contain a backslash, space or control character'
  const authority = match[1] ?? ''
  if (authority.includes('@')) return 'may not carry credentials'
  let url: URL
  try {
    url = new URL(prefix)
  } catch {
    return 'is not a valid URL'
  }
  if (url.hostname === '') return 'has no host'
  const rawPath = (match[2] ?? '').replace(/\/+$/, '')
  if (rawPath === '') return undefined
  const segments = decodeSegments(rawPath.slice(1))
  if (!segments) return 'has a malformed percent-encoding'
  for (const segment of segments) {
    const problem = segmentProblem(segment)
    if (problem) return `may not contain ${problem} in its path`
  }
  return undefined
}

/** Splits a raw suffix (`/a/b?x=1`, as a proxy's `testSuffix`) into decoded segments and its query. */
export function splitSuffix(suffix: string): { segments: string[]; query: string } | string {
  if (!suffix.startsWith('/')) return 'must start with /'
  if (hasControlCharacter(suffix) || /[\s#]/.test(suffix))
    return 'may not contain spaces, "#" or control characters'
  const at = suffix.indexOf('?')
  const rawPath = (at < 0 ? suffix : suffix.slice(0, at)).slice(1)
  const query = at < 0 ? '' : suffix.slice(at + 1)
  const segments = decodeSegments(rawPath)
  if (!segments) return 'has a malformed percent-encoding'
  for (const segment of segments) {
    const problem = segmentProblem(segment)
    if (problem) return `may not contain ${problem}`
  }
  return { segments, query }
}

/**
 * The URL for `segments` (decoded, checked) under `prefix` (checked with prefixProblem), with
 * `query` as its query. Built, parsed again, and refused unless it kept the prefix's origin and
 * exactly the path built from the prefix's. @throws InvalidRequest
 */
export function proxyTarget(prefix: string, segments: readonly string[], query: string): URL {
  const base = new URL(prefix)
  const basePath = base.pathname.replace(/\/+$/, '')
  let path: string
  try {
    path = `${basePath}/${segments.map((s) => s.replace(NOT_PCHAR, (c) => encodeURIComponent(c))).join('/')}`
  } catch {
    throw new InvalidRequest('the proxied path is not well-formed Unicode')
  }
  const built = new URL(`${base.origin}${path}`)
  // The search setter percent-encodes what it must; it cannot reach the path.
  if (query) built.search = query
  const target = new URL(built.href)
  if (
    target.origin !== base.origin ||
    target.pathname !== path ||
    !target.pathname.startsWith(`${basePath}/`) ||
    target.username !== '' ||
    target.password !== '' ||
    target.hash !== ''
  ) {
    throw new InvalidRequest('the proxied path does not stay under the proxy prefix')
  }
  return target
}
