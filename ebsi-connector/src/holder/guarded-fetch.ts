import { OutboundRefused } from './errors.ts'

/** Which kind of party an outbound request goes to; each role has its own trusted origins. */
export type OutboundRole = 'issuer' | 'verifier' | 'ledger'

/** Options of {@link createGuardedFetch}. */
export interface GuardedFetchOptions {
  role: OutboundRole
  /**
   * Origins (scheme, host, port) this role may reach. Compared exactly: `http://localhost:4200` and
   * `http://127.0.0.1:4200` are different origins.
   */
  allowedOrigins: readonly string[]
  /** Whole exchange, headers and body (default 10 000 ms). */
  timeoutMs?: number
  /** Largest response body read (default 1 MiB); a larger one is cut and refused. */
  maxBytes?: number
  /** Same-origin redirects followed at most (default 3). */
  maxRedirects?: number
  /** The fetch underneath (default: global fetch). */
  fetch?: typeof fetch
}

const REDIRECT = new Set([301, 302, 303, 307, 308])
const NO_BODY = new Set([101, 204, 205, 304])

/** The origin of a configured URL or origin, normalised as URL does (lower-case host, default port dropped). */
export function originOf(url: string): string {
  return new URL(url).origin
}

/**
 * A `fetch` for the holder's outbound requests to one kind of party. It reaches only the allowed
 * origins, follows a redirect only within the same origin (a caller that asks for
 * `redirect: 'manual'` gets the redirect itself, as with fetch), gives up after the timeout, and
 * reads at most `maxBytes` of a body — the answer handed back is already read, so the timeout and the
 * cap cover the body too. Every failure is an {@link OutboundRefused} whose message is our own: what
 * a remote party sends never reaches the user as an error text.
 */
export function createGuardedFetch(options: GuardedFetchOptions): typeof fetch {
  const allowed = new Set(options.allowedOrigins.map(originOf))
  const timeoutMs = options.timeoutMs ?? 10_000
  const maxBytes = options.maxBytes ?? 1024 * 1024
  const maxRedirects = options.maxRedirects ?? 3
  const underlying = options.fetch ?? globalThis.fetch
  const { role } = options

  const check = (url: URL) => {
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !allowed.has(url.origin))
      throw new OutboundRefused('untrusted-origin', role, url.origin)
  }

  const guarded = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    if (input instanceof Request) throw new TypeError('the guarded fetch takes a URL and init, not a Request')
    let url: URL
    try {
      url = new URL(String(input))
    } catch {
      throw new OutboundRefused('untrusted-origin', role, String(input).slice(0, 100))
    }
    check(url)
    const deadline = AbortSignal.timeout(timeoutMs)
    const signal = init.signal ? AbortSignal.any([deadline, init.signal]) : deadline
    const failure = (cause: unknown) =>
      deadline.aborted
        ? new OutboundRefused('timeout', role, url.origin, { cause })
        : cause instanceof OutboundRefused
          ? cause
          : new OutboundRefused('unreachable', role, url.origin, { cause })
    let method = (init.method ?? 'GET').toUpperCase()
    let body = init.body
    for (let hop = 0; ; hop++) {
      let response: Response
      try {
        response = await underlying(url, { ...init, method, body, redirect: 'manual', signal })
      } catch (cause) {
        throw failure(cause)
      }
      const location = response.headers.get('location')
      if (REDIRECT.has(response.status) && location !== null && init.redirect !== 'manual') {
        await response.body?.cancel().catch(() => {})
        let next: URL
        try {
          next = new URL(location, url)
        } catch {
          throw new OutboundRefused('redirect-off-origin', role, url.origin)
        }
        if (next.origin !== url.origin) throw new OutboundRefused('redirect-off-origin', role, url.origin)
        if (hop >= maxRedirects) throw new OutboundRefused('too-many-redirects', role, url.origin)
        if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
          method = 'GET'
          body = undefined
        }
        url = next
        continue
      }
      let bytes: Uint8Array | undefined
      try {
        bytes = await readCapped(response, maxBytes)
      } catch (cause) {
        if (cause instanceof OutboundRefused) throw cause
        throw failure(cause)
      }
      if (bytes === undefined) throw new OutboundRefused('too-large', role, url.origin)
      const answer = new Response(NO_BODY.has(response.status) ? null : (bytes as Uint8Array<ArrayBuffer>), {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      })
      Object.defineProperty(answer, 'url', { value: url.toString() })
      return answer
    }
  }
  return guarded as typeof fetch
}

/** The whole body, or undefined once it grows past `maxBytes` (the rest is never read). */
async function readCapped(response: Response, maxBytes: number): Promise<Uint8Array | undefined> {
  const declared = Number(response.headers.get('content-length'))
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => {})
    return undefined
  }
  if (!response.body) return new Uint8Array()
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > maxBytes) {
      await reader.cancel().catch(() => {})
      return undefined
    }
    chunks.push(value)
  }
  const bytes = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return bytes
}
