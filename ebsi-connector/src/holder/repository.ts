/** An inclusion proof as the issuer delivers it (RFC 9162, leaf = salt ‖ SHA-256(credential JWT)). */
export interface InclusionProof {
  leaf: string
  leafIndex: number
  treeSize: number
  proof: string[]
  root: string
  ledger?: { txHash?: string; timestampId?: string; blockNumber?: number }
  anchoredAt?: string
}

/** A credential the wallet holds. */
export interface StoredCredential {
  id: string
  holderDid: string
  jwt: string
  types: string[]
  issuer: string
  receivedAt: Date
  /** Where to poll the inclusion proof while the batch is not anchored. */
  anchoringUri?: string
  inclusionProof?: InclusionProof
}

/**
 * Where received credentials and their inclusion proofs are kept (the wallet's database, or memory
 * in tests). Injected, so the holder module has no storage of its own.
 */
export interface HolderCredentialRepository {
  save(credential: StoredCredential): Promise<void>
  list(holderDid: string): Promise<StoredCredential[]>
  saveInclusionProof(id: string, proof: InclusionProof): Promise<void>
}

/** An in-memory repository (tests, the pilot's scripted wallets). */
export class InMemoryHolderRepository implements HolderCredentialRepository {
  readonly #items = new Map<string, StoredCredential>()
  async save(credential: StoredCredential): Promise<void> {
    this.#items.set(credential.id, structuredClone(credential))
  }
  async list(holderDid: string): Promise<StoredCredential[]> {
    return [...this.#items.values()].filter((c) => c.holderDid === holderDid).map((c) => structuredClone(c))
  }
  async saveInclusionProof(id: string, proof: InclusionProof): Promise<void> {
    const item = this.#items.get(id)
    if (item) item.inclusionProof = structuredClone(proof)
  }
}
