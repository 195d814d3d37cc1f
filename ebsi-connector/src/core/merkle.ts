import { createHash, hash } from 'node:crypto'

/**
 * RFC 9162 (Certificate Transparency v2) Merkle tree over byte strings, SHA-256:
 * leaf = H(0x00 ‖ leaf), node = H(0x01 ‖ left ‖ right), empty tree = H("").
 * Used for block transaction roots and by the anchoring batches.
 */
// One-shot hashing of a prefixed copy: a Hash object per node cost more than the SHA-256 itself,
// and verifiers hash a whole inclusion path per credential, anchoring batches 2n nodes per tree.
const nodeInput = Buffer.alloc(65)

function sha256(input: Uint8Array): Uint8Array {
  const digest = hash('sha256', input, 'buffer') as unknown as Buffer
  return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength)
}

export function merkleLeafHash(leaf: Uint8Array): Uint8Array {
  const input = Buffer.allocUnsafe(leaf.length + 1)
  input[0] = 0x00
  input.set(leaf, 1)
  return sha256(input)
}

export function merkleNodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  if (left.length !== 32 || right.length !== 32)
    return sha256(Buffer.concat([Buffer.from([0x01]), left, right]))
  nodeInput[0] = 0x01
  nodeInput.set(left, 1)
  nodeInput.set(right, 33)
  return sha256(nodeInput)
}

/** MTH(D[n]) of RFC 9162 §2.1.1. */
export function merkleRoot(leaves: readonly Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return new Uint8Array(createHash('sha256').digest())
  let level = leaves.map(merkleLeafHash)
  // Bottom-up pairing with the odd node promoted yields the same root as the recursive split.
  while (level.length > 1) {
    const next: Uint8Array[] = []
    for (let i = 0; i < level.length; i += 2) {
      const left = level[i] as Uint8Array
      const right = level[i + 1]
      next.push(right ? merkleNodeHash(left, right) : left)
    }
    level = next
  }
  return level[0] as Uint8Array
}

/** Inclusion proof PATH(m, D[n]) of RFC 9162 §2.1.3.1 (sibling hashes, leaf to root). */
export function merkleInclusionProof(leaves: readonly Uint8Array[], index: number): Uint8Array[] {
  if (!Number.isInteger(index) || index < 0 || index >= leaves.length)
    throw new RangeError('leaf index out of range')
  return path(index, leaves.map(merkleLeafHash))
}

function path(m: number, hashes: Uint8Array[]): Uint8Array[] {
  const n = hashes.length
  if (n <= 1) return []
  const k = largestPowerOfTwoBelow(n)
  if (m < k) return [...path(m, hashes.slice(0, k)), subtreeRoot(hashes.slice(k))]
  return [...path(m - k, hashes.slice(k)), subtreeRoot(hashes.slice(0, k))]
}

function subtreeRoot(hashes: Uint8Array[]): Uint8Array {
  if (hashes.length === 1) return hashes[0] as Uint8Array
  const k = largestPowerOfTwoBelow(hashes.length)
  return merkleNodeHash(subtreeRoot(hashes.slice(0, k)), subtreeRoot(hashes.slice(k)))
}

function largestPowerOfTwoBelow(n: number): number {
  let k = 1
  while (k * 2 < n) k *= 2
  return k
}

/**
 * The root an inclusion proof leads to (RFC 9162 §2.1.3.2), or undefined when the proof does not fit
 * a tree of `treeSize` leaves.
 */
export function merkleRootFromInclusionProof(
  leaf: Uint8Array,
  index: number,
  treeSize: number,
  proof: readonly Uint8Array[],
): Uint8Array | undefined {
  if (!Number.isInteger(index) || !Number.isInteger(treeSize) || index < 0 || index >= treeSize)
    return undefined
  let fn = index
  let sn = treeSize - 1
  let r = merkleLeafHash(leaf)
  for (const p of proof) {
    if (sn === 0) return undefined
    if (fn % 2 === 1 || fn === sn) {
      r = merkleNodeHash(p, r)
      while (fn % 2 === 0 && fn !== 0) {
        fn >>= 1
        sn >>= 1
      }
    } else {
      r = merkleNodeHash(r, p)
    }
    fn >>= 1
    sn >>= 1
  }
  return sn === 0 ? r : undefined
}

/**
 * Verifies an inclusion proof (RFC 9162 §2.1.3.2).
 * @returns true when `leaf` at `index` of a tree of `treeSize` leaves has root `root`.
 */
export function verifyMerkleInclusion(
  leaf: Uint8Array,
  index: number,
  treeSize: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  const computed = merkleRootFromInclusionProof(leaf, index, treeSize, proof)
  return computed !== undefined && Buffer.from(computed).equals(Buffer.from(root))
}

/**
 * Every level of a perfect tree (power-of-two leaf count), leaf hashes first, root last. For such a
 * tree the RFC 9162 root equals `merkleRoot`, and all inclusion proofs of a batch come from the
 * levels in O(log n) each instead of O(n) — what anchoring batches of thousands of leaves need.
 */
export function merkleLevels(leaves: readonly Uint8Array[]): Uint8Array[][] {
  if (leaves.length === 0 || (leaves.length & (leaves.length - 1)) !== 0)
    throw new RangeError('a perfect tree needs a power-of-two number of leaves')
  const levels: Uint8Array[][] = [leaves.map(merkleLeafHash)]
  while ((levels[levels.length - 1] as Uint8Array[]).length > 1) {
    const below = levels[levels.length - 1] as Uint8Array[]
    const next: Uint8Array[] = []
    for (let i = 0; i < below.length; i += 2)
      next.push(merkleNodeHash(below[i] as Uint8Array, below[i + 1] as Uint8Array))
    levels.push(next)
  }
  return levels
}

/** The root of `merkleLevels`. */
export const merkleRootOfLevels = (levels: readonly Uint8Array[][]): Uint8Array =>
  (levels[levels.length - 1] as Uint8Array[])[0] as Uint8Array

/** Inclusion proof of leaf `index` from `merkleLevels`: sibling hashes from the leaf level up. */
export function merkleInclusionProofFromLevels(levels: readonly Uint8Array[][], index: number): Uint8Array[] {
  const proof: Uint8Array[] = []
  let i = index
  for (let level = 0; level < levels.length - 1; level++) {
    proof.push((levels[level] as Uint8Array[])[i ^ 1] as Uint8Array)
    i >>= 1
  }
  return proof
}
