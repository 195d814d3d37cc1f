/**
 * What the verification pipeline reads from the outside world, behind narrow interfaces so that
 * the steps stay pure: the ledger over HTTP, a cache in front of it, or an imported trust snapshot.
 * Every method returns `undefined` for "the source answered: no such thing" and throws
 * {@link TrustSourceUnavailable} when the source could not answer (which a step reports as
 * "cannot be established", never as valid).
 */

/** A DID document (only the members the pipeline reads). */
export interface DidDocument {
  id: string
  verificationMethod?: { id: string; type?: string; controller?: string; publicKeyJwk?: Record<string, unknown> }[]
  assertionMethod?: (string | { id: string })[]
  authentication?: (string | { id: string })[]
  [member: string]: unknown
}

/** A TIR attribute (`GET …/issuers/{did}/attributes/{id}`). */
export interface TirAttributeRecord {
  did: string
  attribute: { hash: string; body: string; issuerType: string; tao: string; rootTao: string }
}

/** A timestamp of the Timestamp API (an anchored Merkle root). */
export interface AnchorRecord {
  hash: string
  timestampedBy: string
  blockNumber: number
  /** When the ledger recorded it. */
  timestamp: Date
  transactionHash: string
}

/** A fetched document with the time it was fetched (status data shows its age). */
export interface Fetched<T> {
  value: T
  fetchedAt: Date
}

/** The readers the pipeline depends on. */
export interface TrustReaders {
  /** Resolves a did:ebsi (as of `validAt` when given) from the DID Registry. */
  resolveDid(did: string, validAt?: Date): Promise<DidDocument | undefined>
  /** Reads a TIR attribute by its URL (a credential's termsOfUse). */
  readAttribute(url: string): Promise<TirAttributeRecord | undefined>
  /** Reads a JSON schema from the TSR by its URL. */
  readSchema(url: string): Promise<Record<string, unknown> | undefined>
  /** Reads a StatusList2021Credential JWT by its URL (through the issuer's TIR proxy). */
  readStatusList(url: string): Promise<Fetched<string> | undefined>
  /** Looks up an anchored hash (0x hex) on the Timestamp API. */
  readAnchor(hashHex: string): Promise<AnchorRecord | undefined>
}
