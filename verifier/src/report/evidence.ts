import type { CredentialOutcome } from '../pipeline/run.ts'
import { rememberedPer } from '../pipeline/memo.ts'
import type { StepResult } from '../pipeline/types.ts'

/** One accreditation chain: the links from the issuer's TIR attribute up to the trust anchor. */
export interface ChainEvidence {
  trustAnchor: unknown
  jurisdiction: unknown
  links: unknown[]
}

/** One status list as it was used: where it was read, when, and how old it was at the check. */
export interface StatusListEvidence {
  url: string
  fetchedAt: unknown
  ageSeconds: unknown
}

/** One anchored batch root on the ledger. */
export interface AnchorEvidence {
  root: unknown
  anchoredAt: unknown
  blockNumber: unknown
  transactionHash: unknown
}

/**
 * Trust evidence the credentials of a report share, each item once. A case's credentials mostly
 * come from a handful of authorities under one accreditation chain, read one status list per
 * authority and purpose, and were anchored in few batches; written out per credential these were
 * about half of a 15-credential report (its size is paid in serialising, storing, sending and
 * reading it). Steps refer to items by their index: accreditation `chain`, status `entries[].list`,
 * anchoring `anchor`.
 */
export interface ReportEvidence {
  accreditationChains: ChainEvidence[]
  statusLists: StatusListEvidence[]
  anchors: AnchorEvidence[]
}

/**
 * Appends items once and gives their index. Items are looked up by a primary key, then told apart
 * by `same` (a few candidates at most): no combined key string to build for every lookup.
 */
class Interned<T> {
  readonly items: T[] = []
  readonly #byKey = new Map<string, number[]>()

  constructor(private readonly same: (item: T, other: T) => boolean) {}

  indexOf(key: string, candidate: T): number {
    const indexes = this.#byKey.get(key)
    if (indexes) for (const index of indexes) if (this.same(this.items[index]!, candidate)) return index
    const index = this.items.push(candidate) - 1
    if (indexes) indexes.push(index)
    else this.#byKey.set(key, [index])
    return index
  }
}

const CHAIN_KEYS = new Set(['trustAnchor', 'jurisdiction', 'chain'])
const LIST_KEYS = new Set(['listUrl', 'fetchedAt', 'ageSeconds'])
const ANCHOR_KEYS = new Set(['root', 'anchoredAt', 'blockNumber', 'transactionHash'])

/** The other keys of `details` (object rest syntax is several times slower in V8, on a hot path). */
function without(details: Record<string, unknown>, keys: ReadonlySet<string>): Record<string, unknown> {
  const rest: Record<string, unknown> = {}
  for (const key in details) if (!keys.has(key)) rest[key] = details[key]
  return rest
}

/**
 * Identifies a chain by its anchor, jurisdiction and links. The accreditation step hands out the
 * same details object while its cached chain stays current, so the key is kept per object.
 */
const chainKey = rememberedPer((details: Record<string, unknown>) => {
  const links = details.chain as { attributeUrl?: unknown }[]
  return `${String(details.trustAnchor)} ${String(details.jurisdiction)} ${links.map((l) => String(l.attributeUrl)).join(' ')}`
})

/**
 * The credentials with their accreditation chains, status lists and anchors moved into one shared
 * {@link ReportEvidence}. The pipeline outcome itself is left as it is (steps stay self-contained);
 * only the report's copy refers to the evidence. Details of other shapes (failures, say) stay inline.
 */
export function shareEvidence(credentials: readonly CredentialOutcome[]): {
  credentials: CredentialOutcome[]
  evidence: ReportEvidence
} {
  const chains = new Interned<ChainEvidence>(() => true) // its key names the whole chain
  const lists = new Interned<StatusListEvidence>((a, b) => a.fetchedAt === b.fetchedAt)
  const anchors = new Interned<AnchorEvidence>((a, b) => a.transactionHash === b.transactionHash)

  const compact = (step: StepResult): StepResult => {
    const d = step.details
    if (step.step === 'accreditation' && Array.isArray(d.chain)) {
      const chain = chains.indexOf(chainKey(d), {
        trustAnchor: d.trustAnchor,
        jurisdiction: d.jurisdiction,
        links: d.chain as unknown[],
      })
      return { ...step, details: { ...without(d, CHAIN_KEYS), chain } }
    }
    if (step.step === 'status' && Array.isArray(d.entries) && d.entries.length > 0) {
      const entries = (d.entries as Record<string, unknown>[]).map((entry) => {
        const url = entry.listUrl
        if (typeof url !== 'string') return entry
        const list = lists.indexOf(url, { url, fetchedAt: entry.fetchedAt, ageSeconds: entry.ageSeconds })
        return { ...without(entry, LIST_KEYS), list }
      })
      return { ...step, details: { ...d, entries } }
    }
    if (step.step === 'anchoring' && step.outcome === 'passed' && typeof d.root === 'string') {
      const anchor = anchors.indexOf(d.root, {
        root: d.root,
        anchoredAt: d.anchoredAt,
        blockNumber: d.blockNumber,
        transactionHash: d.transactionHash,
      })
      return { ...step, details: { ...without(d, ANCHOR_KEYS), anchor } }
    }
    return step
  }

  return {
    credentials: credentials.map((c) => ({ ...c, steps: c.steps.map(compact) })),
    evidence: { accreditationChains: chains.items, statusLists: lists.items, anchors: anchors.items },
  }
}
