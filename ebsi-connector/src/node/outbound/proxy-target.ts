import { hasControlCharacter, segmentProblem } from '../../core/proxy-path.ts'
import { InvalidRequest } from '../errors.ts'

/**
 * Where a TIR proxy request goes: `prefix + "/" + path`, and nowhere else. Every path segment obeys
 * the segment rules of core's proxy-path (why: there); the target is then built from re-encoded
 * segments, parsed again, and must have the prefix's origin and exactly the path that was built.
 */

const MAX_PATH_CHARS = 1000
const MAX_QUERY_CHARS = 2000
/** Characters a path segment may carry unencoded (RFC 3986 pchar without pct-encoded). */
const NOT_PCHAR = /[^A-Za-z0-9\-._~!$&'()*+,;=:@]/gu

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
