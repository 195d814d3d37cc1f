import type { AccreditationReader, TirAttribute } from './chain-walk.ts'
import { AccreditationNotFound } from './errors.ts'

/** Options of {@link httpAccreditationReader}. */
export interface HttpAccreditationReaderOptions {
  fetch?: typeof fetch
  /** Per-request timeout in ms (default 10 000). */
  timeoutMs?: number
  /**
   * Origins the walk may read attributes from (e.g. the ledger's base URL). An attribute URL on
   * another origin is refused, so that a credential cannot point the walk at a TIR of its choosing.
   * Default: any origin.
   */
  allowedOrigins?: readonly string[]
}

/**
 * An {@link AccreditationReader} that GETs each attribute URL from the Trusted Issuers Registry
 * (v5 `…/issuers/{did}/attributes/{id}`): 404 → unknown attribute, other failures throw.
 *
 * @example
 * const chain = await walkAccreditationChain(subject, httpAccreditationReader({ allowedOrigins: [ebsi.baseUrl] }), { trustAnchors: [rootTao] })
 */
export function httpAccreditationReader(options: HttpAccreditationReaderOptions = {}): AccreditationReader {
  const doFetch = options.fetch ?? globalThis.fetch
  const allowed = options.allowedOrigins?.map((o) => new URL(o).origin)
  return {
    async readAttribute(url: string): Promise<TirAttribute | undefined> {
      if (allowed && !allowed.includes(new URL(url).origin))
        throw new AccreditationNotFound(`attribute ${url} is not on an allowed Trusted Issuers Registry`, url)
      const response = await doFetch(url, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      })
      if (response.status === 404) return undefined
      if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`)
      return (await response.json()) as TirAttribute
    },
  }
}
