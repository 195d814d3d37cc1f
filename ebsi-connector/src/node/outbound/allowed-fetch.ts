import { HOP_HEADER } from './hop.ts'

/** An outbound request that was refused before it left, or failed: unreachable, timed out, too large. */
export class OutboundError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'OutboundError'
  }
}

export interface OutboundAnswer {
  status: number
  /** The body of a 2xx answer (read up to the cap); empty for any other status. */
  text: string
  contentType: string
}

/**
 * GET restricted to operator-allowed hosts other than the ledger itself, marked with the hop header,
 * with a whole-request timeout, a streamed body cap and no redirects (the node runs air-gapped).
 * @throws OutboundError
 */
export type AllowedFetch = (
  url: URL,
  init?: { headers?: Record<string, string>; signal?: AbortSignal },
) => Promise<OutboundAnswer>

export interface AllowedFetchOptions {
  allowlist: readonly string[]
  timeoutMs: number
  maxBytes: number
  /** True for URLs that lead back into this ledger. */
  isOwnOrigin(url: URL): boolean
}

const bareHost = (host: string) => host.toLowerCase().replace(/^\[|\]$/g, '')

export function createAllowedFetch(options: AllowedFetchOptions): AllowedFetch {
  const allowed = new Set(options.allowlist.map(bareHost))
  return async (url, init = {}) => {
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new OutboundError('only http(s) URLs are fetched')
    if (url.username || url.password) throw new OutboundError('URLs with credentials are not fetched')
    const host = bareHost(url.hostname)
    if (!allowed.has(host))
      throw new OutboundError(
        `outbound requests to ${host} are not allowed by FLORA_LEDGER_OUTBOUND_ALLOWLIST`,
      )
    if (options.isOwnOrigin(url)) throw new OutboundError(`${url.origin} is this ledger's own origin`)
    let headers: Headers
    try {
      headers = new Headers(init.headers)
    } catch (error) {
      throw new OutboundError(`invalid request headers: ${(error as Error).message}`, { cause: error })
    }
    // Set last, so that no issuer-chosen header can remove or replace it.
    headers.set(HOP_HEADER, '1')
    const stop = new AbortController()
    const signals = [stop.signal, AbortSignal.timeout(options.timeoutMs)]
    if (init.signal) signals.push(init.signal)
    const signal = AbortSignal.any(signals)
    let response: Response
    try {
      response = await fetch(url, { headers, redirect: 'manual', signal })
    } catch (error) {
      throw new OutboundError(`not reachable: ${reasonOf(error, signal)}`, { cause: error })
    }
    const contentType = response.headers.get('content-type') ?? ''
    if (response.status < 200 || response.status > 299) {
      // Only a 2xx body is of use; dropping the rest also leaves a redirect unfollowed.
      stop.abort()
      await response.body?.cancel().catch(() => {})
      return { status: response.status, text: '', contentType }
    }
    try {
      return {
        status: response.status,
        text: await readCapped(response, options.maxBytes, signal),
        contentType,
      }
    } finally {
      stop.abort()
    }
  }
}

/**
 * Reads the body as it streams in, counting; past `maxBytes` it cancels the stream (closing the
 * connection) instead of reading on. @throws OutboundError
 */
async function readCapped(response: Response, maxBytes: number, signal: AbortSignal): Promise<string> {
  const tooLarge = () => new OutboundError(`answered with more than ${maxBytes} bytes`)
  const declared = Number(response.headers.get('content-length'))
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => {})
    throw tooLarge()
  }
  const reader = response.body?.getReader()
  if (!reader) return ''
  const chunks: Uint8Array[] = []
  let total = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      total += value.byteLength
      if (total > maxBytes) {
        await reader.cancel().catch(() => {})
        throw tooLarge()
      }
      chunks.push(value)
    }
  } catch (error) {
    if (error instanceof OutboundError) throw error
    throw new OutboundError(`the answer could not be read: ${reasonOf(error, signal)}`, { cause: error })
  }
  return Buffer.concat(chunks).toString('utf8')
}

function reasonOf(error: unknown, signal: AbortSignal): string {
  if (signal.aborted && (signal.reason as Error | undefined)?.name === 'TimeoutError') return 'timed out'
  const cause = (error as { cause?: { code?: string; message?: string } }).cause
  return cause?.code ?? cause?.message ?? (error as Error).message
}
