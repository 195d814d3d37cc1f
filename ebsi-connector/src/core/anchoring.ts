import { createHash } from 'node:crypto'

/**
 * The anchoring contract between the issuer (who batches and anchors), the case wallet (who keeps
 * the proof beside the credential) and the verifier (who checks it against the ledger). A leaf is
 * salt ‖ SHA-256(credential JWT): the salt keeps the leaf from being recomputed by anyone holding
 * only the credential's hash, and the ledger sees one RFC 9162 root per anchoring period.
 */
export interface AnchoringProof {
  /** Hex (optionally 0x) of the 64-byte leaf data. */
  leaf: string
  leafIndex: number
  treeSize: number
  /** Sibling hashes from the leaf level up, hex. */
  proof: string[]
  /** The anchored root, hex. */
  root: string
  /** The issuer's claims about where the root was anchored; a verifier reads the ledger itself. */
  ledger?: { txHash?: string; timestampId?: string; blockNumber?: number }
  anchoredAt?: string
}

export const ANCHORING_SALT_BYTES = 32

/** The leaf data of one credential: salt ‖ SHA-256(credential JWT). 64 bytes. */
export function credentialLeafData(salt: Uint8Array, credentialJwt: string): Buffer {
  if (salt.length !== ANCHORING_SALT_BYTES) throw new TypeError('leaf salt must be 32 bytes')
  return Buffer.concat([salt, createHash('sha256').update(credentialJwt).digest()])
}

/** Whether leaf data belongs to this credential (its last 32 bytes are SHA-256 of the JWT). */
export function leafCommitsToCredential(leafHex: string, credentialJwt: string): boolean {
  return leafCommitsToDigest(leafHex, createHash('sha256').update(credentialJwt).digest('hex'))
}

/** {@link leafCommitsToCredential} with the JWT's SHA-256 (hex) already computed. */
export function leafCommitsToDigest(leafHex: string, credentialSha256Hex: string): boolean {
  const leaf = leafHex.replace(/^0x/i, '').toLowerCase()
  return leaf.length === 128 && leaf.endsWith(credentialSha256Hex)
}
