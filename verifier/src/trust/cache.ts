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
  readonly #entries: Record<TrustEntryKind, Map<string, Entry>> = {
    did: new Map(),
    attribute: new Map(),
    schema: new Map(),
    status: new Map(),
    anchor: new Map(),
  }
  readonly #inflight = new Map<string, Promise<unknown>>()
  /** Milliseconds now: the injected clock's (tests) or Date.now, which allocates nothing. */
  readonly #nowMs: () => number
  source: TrustReaders | undefined
  options: TrustCacheOptions

  constructor(source: TrustReaders | undefined, options: TrustCacheOptions) {
    this.source = source
    this.options = options
    const now = options.now
    this.#nowMs = now ? () => now().getTime() : Date.now
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
      [...entries.values()].map(({ kind, key, value, fetchedAt }) => ({ kind, key, value, fetchedAt })),
    )
  }

  /** Loads entries (from a verified snapshot), keeping their original fetch times. */
  load(entries: readonly TrustCacheEntry[]): void {
    for (const entry of entries) {
      const at = Date.parse(entry.fetchedAt)
      if (Number.isNaN(at)) continue
      const value = entry.kind === 'anchor' ? reviveAnchor(entry.value) : entry.value
      // an anchor time no Date holds would fail the anchoring step with a RangeError: not loaded
      if (value === undefined) continue
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

  /**
   * The cached entry while it is fresh; undefined when it must be fetched. Offline, status data past
   * the max-age and anything never cached throw: they cannot be established.
   */
  #fresh(kind: TrustEntryKind, key: string): Entry | undefined {
    const cached = this.#entries[kind].get(key)
    const maxAgeMs = this.#ttl(kind) * 1000
    if (cached && maxAgeMs > 0 && this.#nowMs() - cached.at <= maxAgeMs) return cached
    if (this.source) return undefined
    if (kind === 'status' || !cached)
      throw new TrustSourceUnavailable(
        cached
          ? `the ${kind} data in the trust snapshot is older than the configured max-age`
          : `the trust snapshot holds no ${kind} for ${key}`,
      )
    return cached
  }

  /**
   * A fresh cached answer as a settled promise, or undefined when it must be fetched. Cache hits are
   * most of a re-checked case's reads (several per credential), so they take no async function,
   * no loader closure and no further awaits.
   */
  #cached<T>(kind: TrustEntryKind, key: string, pick: (entry: Entry) => T): Promise<T> | undefined {
    let hit: Entry | undefined
    try {
      hit = this.#fresh(kind, key)
    } catch (error) {
      return Promise.reject(error)
    }
    return hit && Promise.resolve(pick(hit))
  }

  /** Fetches from the source (one request per key at a time) and caches a found answer. */
  async #fetch<T>(kind: TrustEntryKind, key: string, load: (source: TrustReaders) => Promise<T | undefined>) {
    const id = `${kind}|${key}`
    const running = this.#inflight.get(id)
    if (running) return (await running) as Entry | undefined
    const source = this.source!
    const entries = this.#entries[kind]
    const promise = (async () => {
      const value = await load(source)
      if (value === undefined) {
        entries.delete(key)
        return undefined
      }
      const fetchedAt = kind === 'status' ? (value as Fetched<string>).fetchedAt : new Date(this.#nowMs())
      const stored: Entry = {
        kind,
        key,
        value: kind === 'status' ? (value as Fetched<string>).value : value,
        fetchedAt: fetchedAt.toISOString(),
        at: fetchedAt.getTime(),
      }
      if (entries.size > 50_000) entries.clear()
      entries.set(key, stored)
      return stored
    })()
    this.#inflight.set(id, promise)
    try {
      return await promise
    } finally {
      this.#inflight.delete(id)
    }
  }

  resolveDid(did: string, validAt?: Date): Promise<DidDocument | undefined> {
    const key = validAt ? `${did}@${validAt.toISOString()}` : did
    return (
      this.#cached('did', key, entryValue<DidDocument>) ??
      this.#fetch('did', key, (s) => s.resolveDid(did, validAt)).then(optional(entryValue<DidDocument>))
    )
  }

  readAttribute(url: string): Promise<TirAttributeRecord | undefined> {
    return (
      this.#cached('attribute', url, entryValue<TirAttributeRecord>) ??
      this.#fetch('attribute', url, (s) => s.readAttribute(url)).then(optional(entryValue<TirAttributeRecord>))
    )
  }

  readSchema(url: string): Promise<Record<string, unknown> | undefined> {
    return (
      this.#cached('schema', url, entryValue<Record<string, unknown>>) ??
      this.#fetch('schema', url, (s) => s.readSchema(url)).then(optional(entryValue<Record<string, unknown>>))
    )
  }

  readStatusList(url: string): Promise<Fetched<string> | undefined> {
    return (
      this.#cached('status', url, fetchedOf) ??
      this.#fetch('status', url, (s) => s.readStatusList(url)).then(optional(fetchedOf))
    )
  }

  readAnchor(hashHex: string): Promise<AnchorRecord | undefined> {
    const key = hashHex.toLowerCase()
    return (
      this.#cached('anchor', key, entryValue<AnchorRecord>) ??
      this.#fetch('anchor', key, (s) => s.readAnchor(hashHex)).then(optional(entryValue<AnchorRecord>))
    )
  }
}

type Entry = TrustCacheEntry & { at: number; fetched?: Fetched<string> }

const entryValue = <T>(entry: Entry): T => entry.value as T

/** A status list with its fetch time, made once per cached entry (readers must not change it). */
function fetchedOf(entry: Entry): Fetched<string> {
  entry.fetched ??= Object.freeze({ value: entry.value as string, fetchedAt: new Date(entry.at) })
  return entry.fetched
}

const optional =
  <T>(pick: (entry: Entry) => T) =>
  (entry: Entry | undefined): T | undefined =>
    entry && pick(entry)

/** undefined when the stored time is no date (the entry is then not used). */
function reviveAnchor(value: unknown): AnchorRecord | undefined {
  const record = value as AnchorRecord & { timestamp: string | Date }
  const timestamp = new Date(record.timestamp)
  return Number.isNaN(timestamp.getTime()) ? undefined : { ...record, timestamp }
}
