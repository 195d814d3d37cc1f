import { randomBytes } from 'node:crypto'

/**
 * Padding of anchoring batches: salted credential leaves (core's `credentialLeafData`) are padded with
 * random leaves to a power of two no smaller than the configured minimum, so that the anchored root
 * reveals neither which office issued nor how many credentials. The power-of-two size makes the
 * RFC 9162 tree perfect, so core's `merkleLevels` builds it once for every proof of the batch.
 */

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
