import { CredentialRejected } from './errors.ts'

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
 * in tests). Injected, so the holder module has no storage of its own. A credential is kept per
 * holder: the same credential id under another holder is another entry, never the same one moved.
 */
export interface HolderCredentialRepository {
  save(credential: StoredCredential): Promise<void>
  list(holderDid: string): Promise<StoredCredential[]>
  saveInclusionProof(holderDid: string, id: string, proof: InclusionProof): Promise<void>
}

/** An in-memory repository (tests, the pilot's scripted wallets). */
export class InMemoryHolderRepository implements HolderCredentialRepository {
  readonly #items = new Map<string, StoredCredential>()
  async save(credential: StoredCredential): Promise<void> {
    const key = JSON.stringify([credential.holderDid, credential.id])
    const held = this.#items.get(key)
    if (held && held.jwt !== credential.jwt)
      throw new CredentialRejected('conflict', 'another credential with this id is already held')
    this.#items.set(key, structuredClone(credential))
  }
  async list(holderDid: string): Promise<StoredCredential[]> {
    return [...this.#items.values()].filter((c) => c.holderDid === holderDid).map((c) => structuredClone(c))
  }
  async saveInclusionProof(holderDid: string, id: string, proof: InclusionProof): Promise<void> {
    const item = this.#items.get(JSON.stringify([holderDid, id]))
    if (item) item.inclusionProof = structuredClone(proof)
  }
}
