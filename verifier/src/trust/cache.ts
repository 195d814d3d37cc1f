import { TrustSourceUnavailable } from '../errors.ts'
import type { AnchorRecord, DidDocument, Fetched, TirAttributeRecord, TrustReaders } from './readers.ts'

/** Kinds of cached trust data. */
export type TrustEntryKind = 'did' | 'attribute' | 'schema' | 'status' | 'anchor'

/** One cached answer of a trust source, as exported in a snapshot. */
export interface TrustCacheEntry {
  kind: TrustEntryKind
  key: string
  value: unknown
  /** ISO time the source gave the answer. */
  fetchedAt: string
}

/** Cache lifetimes, in seconds. */
export interface TrustCacheOptions {
  didTtl: number
  attributeTtl: number
  schemaTtl: number
  anchorTtl: number
  /** Oldest status data accepted; 0 fetches the list for every verification. */
  statusMaxAge: number
  now?: () => Date
}

/**
 * Trust caches in front of a source (the ledger), with TTLs per kind and a status max-age. With no
 * source (an air-gapped verifier running on an imported snapshot) every answer comes from the
 * cache; status data older than the max-age then cannot be established, never "valid".
 */
export class TrustCache implements TrustReaders {
  /**
   * One map per kind, keyed by the bare key: a combined `${kind}|${key}` key would be a new string
   * to build and hash on every lookup, and lookups (several per credential) far outnumber fetches.
   */
  readonly #entries: Record<TrustEntryKind, Map<string, TrustCacheEntry & { at: number }>> = {
    did: new Map(),
    attribute: new Map(),
    schema: new Map(),
    status: new Map(),
    anchor: new Map(),
  }
  readonly #inflight = new Map<string, Promise<unknown>>()
  readonly #now: () => Date
  source: TrustReaders | undefined
  options: TrustCacheOptions

  constructor(source: TrustReaders | undefined, options: TrustCacheOptions) {
    this.source = source
    this.options = options
    this.#now = options.now ?? (() => new Date())
  }

  /** Whether the cache answers alone (offline mode). */
  get offline(): boolean {
    return this.source === undefined
  }

  clear(): void {
    for (const entries of Object.values(this.#entries)) entries.clear()
  }

  /** Every entry (for the snapshot export). */
  entries(): TrustCacheEntry[] {
    return Object.values(this.#entries).flatMap((entries) =>
      [...entries.values()].map(({ at: _at, ...entry }) => entry),
    )
  }

  /** Loads entries (from a verified snapshot), keeping their original fetch times. */
  load(entries: readonly TrustCacheEntry[]): void {
    for (const entry of entries) {
      const at = Date.parse(entry.fetchedAt)
      if (Number.isNaN(at)) continue
      const value = entry.kind === 'anchor' ? reviveAnchor(entry.value) : entry.value
      if (!Object.hasOwn(this.#entries, entry.kind)) continue
      this.#entries[entry.kind].set(entry.key, { ...entry, value, at })
    }
  }

  #ttl(kind: TrustEntryKind): number {
    const o = this.options
    switch (kind) {
      case 'did':
        return o.didTtl
      case 'attribute':
        return o.attributeTtl
      case 'schema':
        return o.schemaTtl
      case 'anchor':
        return o.anchorTtl
      case 'status':
        return o.statusMaxAge
    }
  }

  async #get<T>(kind: TrustEntryKind, key: string, load: (source: TrustReaders) => Promise<T | undefined>) {
    const entries = this.#entries[kind]
    const cached = entries.get(key)
    const nowMs = this.#now().getTime()
    const maxAgeMs = this.#ttl(kind) * 1000
    if (cached && nowMs - cached.at <= maxAgeMs && maxAgeMs > 0) return cached as unknown as Fetched<T>
    if (!this.source) {
      if (kind === 'status' || !cached)
        throw new TrustSourceUnavailable(
          cached
            ? `the ${kind} data in the trust snapshot is older than the configured max-age`
            : `the trust snapshot holds no ${kind} for ${key}`,
        )
      return cached as unknown as Fetched<T>
    }
    const id = `${kind}|${key}`
    const running = this.#inflight.get(id)
    if (running) return (await running) as Fetched<T> | undefined
    const source = this.source
    const promise = (async () => {
      const value = await load(source)
      if (value === undefined) {
        entries.delete(key)
        return undefined
      }
      const fetchedAt = kind === 'status' ? (value as Fetched<string>).fetchedAt : this.#now()
      const stored = {
        kind,
        key,
        value: kind === 'status' ? (value as Fetched<string>).value : value,
        fetchedAt: fetchedAt.toISOString(),
        at: fetchedAt.getTime(),
      }
      if (entries.size > 50_000) entries.clear()
      entries.set(key, stored)
      return stored as unknown as Fetched<T>
    })()
    this.#inflight.set(id, promise)
    try {
      return await promise
    } finally {
      this.#inflight.delete(id)
    }
  }

  async resolveDid(did: string, validAt?: Date): Promise<DidDocument | undefined> {
    const key = validAt ? `${did}@${validAt.toISOString()}` : did
    return (await this.#get('did', key, (s) => s.resolveDid(did, validAt)))?.value
  }

  async readAttribute(url: string): Promise<TirAttributeRecord | undefined> {
    return (await this.#get('attribute', url, (s) => s.readAttribute(url)))?.value
  }

  async readSchema(url: string): Promise<Record<string, unknown> | undefined> {
    return (await this.#get('schema', url, (s) => s.readSchema(url)))?.value
  }

  async readStatusList(url: string): Promise<Fetched<string> | undefined> {
    const entry = (await this.#get<Fetched<string>>('status', url, (s) => s.readStatusList(url))) as
      | (TrustCacheEntry & { at: number })
      | undefined
    return entry ? { value: entry.value as string, fetchedAt: new Date(entry.at) } : undefined
  }

  async readAnchor(hashHex: string): Promise<AnchorRecord | undefined> {
    return (await this.#get('anchor', hashHex.toLowerCase(), (s) => s.readAnchor(hashHex)))?.value
  }
}

function reviveAnchor(value: unknown): AnchorRecord {
  const record = value as AnchorRecord & { timestamp: string | Date }
  return { ...record, timestamp: new Date(record.timestamp) }
}
