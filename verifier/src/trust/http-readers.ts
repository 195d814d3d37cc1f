import { timestampIdOf } from '@flora/ebsi-connector/core'
import { TrustSourceUnavailable } from '../errors.ts'
import type { AnchorRecord, DidDocument, Fetched, TirAttributeRecord, TrustReaders } from './readers.ts'

/** Options of {@link createLedgerReaders}. */
export interface LedgerReadersOptions {
  /** Origin of the EBSI APIs (the embedded node or EBSI itself). */
  ledgerUrl: string
  timeoutMs?: number
  fetch?: typeof fetch
  now?: () => Date
}

/**
 * Readers over EBSI's HTTP APIs. URLs taken from credentials (termsOfUse, credentialSchema,
 * statusListCredential) must lie on the configured ledger's origin: nothing else is fetched.
 */
export function createLedgerReaders(options: LedgerReadersOptions): TrustReaders & { origin: string } {
  const base = options.ledgerUrl.replace(/\/+$/, '')
  const origin = new URL(base).origin
  const doFetch = options.fetch ?? globalThis.fetch
  const timeoutMs = options.timeoutMs ?? 10_000
  const now = options.now ?? (() => new Date())

  async function get(url: string, accept: string): Promise<Response | undefined> {
    let response: Response
    try {
      response = await doFetch(url, { headers: { accept }, signal: AbortSignal.timeout(timeoutMs) })
    } catch (cause) {
      throw new TrustSourceUnavailable(`${new URL(url).host} did not answer`, { cause })
    }
    if (response.status === 404) {
      await response.body?.cancel()
      return undefined
    }
    if (!response.ok) {
      await response.body?.cancel()
      throw new TrustSourceUnavailable(`${new URL(url).pathname} answered ${response.status}`)
    }
    return response
  }

  async function getJson<T>(url: string, accept = 'application/json'): Promise<T | undefined> {
    const response = await get(url, accept)
    if (!response) return undefined
    try {
      return (await response.json()) as T
    } catch (cause) {
      throw new TrustSourceUnavailable(`${new URL(url).pathname} did not return JSON`, { cause })
    }
  }

  const onLedger = (url: string): boolean => {
    try {
      return new URL(url).origin === origin
    } catch {
      return false
    }
  }

  return {
    origin,
    async resolveDid(did, validAt) {
      const query = validAt ? `?valid-at=${encodeURIComponent(validAt.toISOString())}` : ''
      return getJson<DidDocument>(
        `${base}/did-registry/v5/identifiers/${encodeURIComponent(did)}${query}`,
        'application/did+ld+json, application/json',
      )
    },
    async readAttribute(url) {
      if (!onLedger(url)) return undefined
      return getJson<TirAttributeRecord>(url)
    },
    async readSchema(url) {
      if (!onLedger(url)) return undefined
      return getJson<Record<string, unknown>>(url)
    },
    async readStatusList(url): Promise<Fetched<string> | undefined> {
      if (!onLedger(url)) return undefined
      const response = await get(url, 'application/jwt, text/plain, application/json')
      if (!response) return undefined
      let text = (await response.text()).trim()
      if (text.startsWith('"')) {
        try {
          text = JSON.parse(text) as string
        } catch {
          // left as is; the status step rejects it
        }
      }
      return { value: text, fetchedAt: now() }
    },
    async readAnchor(hashHex): Promise<AnchorRecord | undefined> {
      const record = await getJson<Record<string, unknown>>(
        `${base}/timestamp/v4/timestamps/${timestampIdOf(hashHex)}`,
      )
      if (!record) return undefined
      const raw = record.timestamp
      const timestamp =
        typeof raw === 'number'
          ? new Date(raw * 1000)
          : typeof raw === 'string' && /^0x[0-9a-f]+$/i.test(raw)
            ? new Date(Number.parseInt(raw, 16) * 1000)
            : new Date(String(raw))
      if (Number.isNaN(timestamp.getTime()))
        throw new TrustSourceUnavailable('the Timestamp API returned no usable time')
      return {
        hash: String(record.hash ?? hashHex),
        timestampedBy: String(record.timestampedBy ?? ''),
        blockNumber: Number(record.blockNumber ?? 0),
        timestamp,
        transactionHash: String(record.transactionHash ?? ''),
      }
    },
  }
}
