import { timestampIdOf } from '@flora/ebsi-connector/core'
import { TrustSourceUnavailable } from '../errors.ts'
import type { AnchorRecord, DidDocument, Fetched, TirAttributeRecord, TrustReaders } from './readers.ts'

/**
 * The largest answer read from the ledger. DID documents, attributes and schemas are a few KB; a
 * status list (through the issuer's proxy, whose content the issuer controls) tens of KB. Beyond
 * this the source is misbehaving, and reading on would only cost memory.
 */
export const MAX_LEDGER_RESPONSE_BYTES = 8 * 1024 * 1024

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
 * statusListCredential) must lie on the configured ledger's origin: nothing else is fetched. A
 * redirect is not followed (it could lead off the ledger, e.g. to a stale status list replayed
 * elsewhere) and an answer is read up to {@link MAX_LEDGER_RESPONSE_BYTES}: either is "the source
 * could not answer", which the steps report as not established.
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
      response = await doFetch(url, { headers: { accept }, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) })
    } catch (cause) {
      throw new TrustSourceUnavailable(`${new URL(url).host} did not answer`, { cause })
    }
    if (response.status === 404) {
      await response.body?.cancel()
      return undefined
    }
    if (!response.ok) {
      await response.body?.cancel()
      throw new TrustSourceUnavailable(
        `${new URL(url).pathname} answered ${response.status}${response.status >= 300 && response.status < 400 ? ' (a redirect, not followed)' : ''}`,
      )
    }
    return response
  }

  async function getJson<T>(url: string, accept = 'application/json'): Promise<T | undefined> {
    const response = await get(url, accept)
    if (!response) return undefined
    const text = await bodyText(response, url)
    try {
      return JSON.parse(text) as T
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
      let text = (await bodyText(response, url)).trim()
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

/** The body as UTF-8, refusing (and no longer reading) one larger than {@link MAX_LEDGER_RESPONSE_BYTES}. */
async function bodyText(response: Response, url: string): Promise<string> {
  const tooLarge = () =>
    new TrustSourceUnavailable(`${new URL(url).pathname} is larger than ${MAX_LEDGER_RESPONSE_BYTES} bytes`)
  if (Number(response.headers.get('content-length')) > MAX_LEDGER_RESPONSE_BYTES) {
    await response.body?.cancel()
    throw tooLarge()
  }
  if (!response.body) return ''
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    let chunk: Awaited<ReturnType<typeof reader.read>>
    try {
      chunk = await reader.read()
    } catch (cause) {
      throw new TrustSourceUnavailable(`${new URL(url).pathname} could not be read`, { cause })
    }
    if (chunk.done) break
    size += chunk.value.byteLength
    if (size > MAX_LEDGER_RESPONSE_BYTES) {
      await reader.cancel()
      throw tooLarge()
    }
    chunks.push(chunk.value)
  }
  return Buffer.concat(chunks).toString('utf8')
}
