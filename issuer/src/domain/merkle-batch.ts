import { createHash, randomBytes } from 'node:crypto'

/**
 * Anchoring batches: RFC 9162 Merkle trees (leaf = H(0x00 ‖ data), node = H(0x01 ‖ l ‖ r)) over salted
 * credential hashes, padded with random leaves to a power of two no smaller than the configured
 * minimum, so that the anchored root reveals neither which office issued nor how many credentials.
 * For a power-of-two size the RFC 9162 tree is the perfect binary tree, so levels are built once and
 * every inclusion proof is a plain sibling path (verifiable with RFC 9162 §2.1.3.2).
 */

/** The data of one credential's leaf: salt ‖ SHA-256(credential JWT). 64 bytes. */
export function credentialLeafData(salt: Uint8Array, credentialJwt: string): Buffer {
  if (salt.length !== 32) throw new TypeError('leaf salt must be 32 bytes')
  return Buffer.concat([salt, createHash('sha256').update(credentialJwt).digest()])
}

const leafHash = (data: Uint8Array) =>
  createHash('sha256')
    .update(Buffer.from([0]))
    .update(data)
    .digest()
const nodeHash = (l: Uint8Array, r: Uint8Array) =>
  createHash('sha256')
    .update(Buffer.from([1]))
    .update(l)
    .update(r)
    .digest()

/** Size of a padded batch: the next power of two ≥ max(count, minimum). */
export function paddedBatchSize(count: number, minimum: number): number {
  let size = 1
  while (size < Math.max(count, minimum, 1)) size *= 2
  return size
}

/** Pads leaf data with random 64-byte leaves, placed at random positions. Returns the padded list. */
export function padLeaves(
  leaves: readonly Buffer[],
  minimum: number,
): { leaves: Buffer[]; positions: number[] } {
  const size = paddedBatchSize(leaves.length, minimum)
  const all: (Buffer | undefined)[] = new Array(size).fill(undefined)
  // Random placement: a shuffle of positions; real leaves take the first `leaves.length` of them.
  const order = Array.from({ length: size }, (_, i) => i)
  for (let i = size - 1; i > 0; i--) {
    const j = randomBytes(4).readUInt32BE(0) % (i + 1)
    ;[order[i], order[j]] = [order[j]!, order[i]!]
  }
  const positions = leaves.map((leaf, i) => {
    all[order[i]!] = leaf
    return order[i]!
  })
  return { leaves: all.map((leaf) => leaf ?? randomBytes(64)), positions }
}

/** All levels of the tree, leaf hashes first, root last. `leaves.length` must be a power of two. */
export function merkleLevels(leaves: readonly Uint8Array[]): Buffer[][] {
  if (leaves.length === 0 || (leaves.length & (leaves.length - 1)) !== 0)
    throw new RangeError('batch size must be a power of two')
  const levels: Buffer[][] = [leaves.map(leafHash)]
  while (levels[levels.length - 1]!.length > 1) {
    const below = levels[levels.length - 1]!
    const next: Buffer[] = []
    for (let i = 0; i < below.length; i += 2) next.push(nodeHash(below[i]!, below[i + 1]!))
    levels.push(next)
  }
  return levels
}

/** Root of the levels. */
export const merkleRootOf = (levels: Buffer[][]): Buffer => levels[levels.length - 1]![0]!

/** Inclusion proof of leaf `index`: sibling hashes from the leaf level up. */
export function inclusionProof(levels: Buffer[][], index: number): Buffer[] {
  const proof: Buffer[] = []
  let i = index
  for (let level = 0; level < levels.length - 1; level++) {
    proof.push(levels[level]![i ^ 1]!)
    i >>= 1
  }
  return proof
}
