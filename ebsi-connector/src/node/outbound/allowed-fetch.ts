import { ProxyTestFailed } from '../errors.ts'

/** fetch restricted to operator-allowed hosts, with a timeout and no redirects (air-gapped use). */
export type AllowedFetch = (
  url: string,
  init?: { headers?: Record<string, string> },
) => Promise<{ status: number; text: string; contentType: string }>

export function createAllowedFetch(allowlist: readonly string[], timeoutMs: number): AllowedFetch {
  const allowed = new Set(allowlist.map((host) => host.toLowerCase().replace(/^\[|\]$/g, '')))
  return async (url, init) => {
    let parsed: URL
    try {
      parsed = new URL(url)
    } catch {
      throw new ProxyTestFailed('proxy URL is not a valid URL')
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
      throw new ProxyTestFailed('proxy URL must be http(s)')
    const host = parsed.hostname.toLowerCase().replace(/^\[|\]$/g, '')
    if (!allowed.has(host))
      throw new ProxyTestFailed(
        `outbound requests to ${host} are not allowed by FLORA_LEDGER_OUTBOUND_ALLOWLIST`,
      )
    const response = await fetch(parsed, {
      headers: init?.headers,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    }).catch((error: unknown) => {
      throw new ProxyTestFailed(`proxy not reachable: ${(error as Error).message}`)
    })
    const text = await response.text().catch(() => '')
    return {
      status: response.status,
      text: text.slice(0, 5_000_000),
      contentType: response.headers.get('content-type') ?? '',
    }
  }
}
