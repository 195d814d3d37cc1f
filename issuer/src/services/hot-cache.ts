/**
 * Process-local caches of facts that never change once written (a case's holder DID, a grant, an
 * offer's immutable fields) and of the case chain head (validated on every write by compare-and-set).
 * They spare the hot issuance path its database reads; every cache miss falls back to the database,
 * so several issuer processes on one database stay correct. Nothing another instance may change is
 * decided from them: the transaction-code counter and an offer's state are read from the database.
 */

export interface CachedOffer {
  id: string
  caseId: string
  authorityId: string
  type: string
  claimsJson: string
  delivery: string
  holderDid: string
  txCodeHash: string
  offerExpiresAt: Date
  /** Set when this process issued its credential (a hint; the database guard decides). */
  issued?: boolean
}

const LIMIT = 200_000
const bounded = <K, V>() => {
  const map = new Map<K, V>()
  return {
    get: (key: K) => map.get(key),
    set: (key: K, value: V) => {
      if (map.size >= LIMIT) map.clear()
      map.set(key, value)
    },
    delete: (key: K) => map.delete(key),
    clear: () => map.clear(),
  }
}

export const offersById = bounded<string, CachedOffer>()
export const casesById = bounded<string, { holderDid: string; openedBy: string }>()
export const grants = bounded<string, true>()
export const caseHeads = bounded<string, { headHash: string | null; headVersion: number }>()

export function rememberOffer(offer: CachedOffer): void {
  offersById.set(offer.id, offer)
}

/** Drops every cache (tests that change rows behind the service's back). */
export function clearHotCaches(): void {
  for (const cache of [offersById, casesById, grants, caseHeads]) cache.clear()
}
