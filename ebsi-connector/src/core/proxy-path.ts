/**
 * The path rules of an issuer proxy (EBSI TIR): which prefixes, suffixes and path segments may be
 * put together into a URL that the WHATWG URL parser will not move elsewhere. The parser turns `\`
 * into `/` and resolves `.`, `..`, `%2e` and `%2e%2e` segments, so a path that merely contains no
 * literal "../" can still climb out of a prefix once it is parsed. Hence: every path segment, once
 * decoded, must be non-empty, not `.` or `..`, and free of `/` and `\` (encoded separators), `%` (a
 * second layer of encoding) and control characters. The ledger node checks what it forwards with
 * these rules; a verifier checks the status-list URLs a credential names with them.
 */

/** Whether `text` holds a C0 or C1 control character or DEL (a character class of them trips the linter). */
export function hasControlCharacter(text: string, allowTab = false): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code === 9 && allowTab) continue
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return true
  }
  return false
}

/** Why a decoded path segment may not be forwarded, or undefined when it may. */
export function segmentProblem(segment: string): string | undefined {
  if (segment === '') return 'an empty segment'
  if (segment === '.' || segment === '..') return `a "${segment}" segment`
  if (segment.includes('\\')) return 'a backslash'
  // only an encoded slash ends up inside a decoded segment; a server may decode it into a separator
  if (segment.includes('/')) return 'an encoded slash'
  if (segment.includes('%')) return 'a "%" once decoded (encoded twice)'
  if (hasControlCharacter(segment)) return 'a control character'
  return undefined
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
 * Whether `url` lies strictly below `prefix` (which ends with `/`) once parsed: the rest is at least
 * `minSegments` path segments under the rules above (and an optional query), and the WHATWG parser
 * leaves the whole URL as it is — nothing resolved, stripped or re-encoded — so that what is
 * requested is what was checked.
 */
export function isPathUnderPrefix(url: string, prefix: string, minSegments = 1): boolean {
  if (!prefix.endsWith('/') || !url.startsWith(prefix)) return false
  const suffix = splitSuffix(`/${url.slice(prefix.length)}`)
  if (typeof suffix === 'string' || suffix.segments.length < minSegments) return false
  try {
    return new URL(url).href === url
  } catch {
    return false
  }
}
