import { canonicalJson, merkleRoot, sha256Hex } from '../../core/index.ts'

/** What a block commits to; `hash` = sha256 of its canonical JSON. */
export interface BlockHeader {
  number: number
  parentHash: string
  transactionsRoot: string
  timestamp: number
  txCount: number
  genesisDigest: string
  signerKid: string
  /**
   * Digest of the registry state after the block (see state/state-hash.ts). Empty on blocks
   * written before state commitments existed; their header hashes without the member, as it did.
   */
  stateRoot: string
}

/** A receipt as it enters the block's Merkle tree (so receipts cannot be edited either). */
export interface ReceiptLeaf {
  hash: string
  status: number
  revertReason: string | null
}

export const ZERO_HASH = `0x${'0'.repeat(64)}`

export function receiptLeafBytes(leaf: ReceiptLeaf): Uint8Array {
  return new TextEncoder().encode(
    canonicalJson({
      hash: leaf.hash.toLowerCase(),
      status: leaf.status,
      revertReason: leaf.revertReason ?? null,
    }),
  )
}

/** RFC 9162 Merkle root (0x hex) over the block's receipts in transaction order. */
export function transactionsRootOf(leaves: readonly ReceiptLeaf[]): string {
  return `0x${Buffer.from(merkleRoot(leaves.map(receiptLeafBytes))).toString('hex')}`
}

export function blockHashOf(header: BlockHeader): string {
  const { stateRoot, ...legacy } = header
  return `0x${sha256Hex(canonicalJson(stateRoot ? { ...legacy, stateRoot } : legacy))}`
}

/** The header members of a stored block row (drops `hash` and `signature`). */
export function headerOf(row: BlockHeader & { hash?: string; signature?: string }): BlockHeader {
  return {
    number: row.number,
    parentHash: row.parentHash,
    transactionsRoot: row.transactionsRoot,
    timestamp: row.timestamp,
    txCount: row.txCount,
    genesisDigest: row.genesisDigest,
    signerKid: row.signerKid,
    stateRoot: row.stateRoot,
  }
}
