import { randomUUID } from 'node:crypto'
import {
  type AnchoringProof,
  merkleInclusionProofFromLevels,
  merkleLevels,
  merkleRootOfLevels,
} from '@flora/ebsi-connector/core'
import { padLeaves } from '../domain/merkle-batch.ts'
import type { IssuerContext } from '../services/context.ts'
import type { ProofRow } from '../store/hot-store.ts'

/** The anchoring evidence delivered to the wallet with (or after) its credential: core's contract. */
export type InclusionProof = AnchoringProof & {
  ledger: { txHash: string; timestampId: string; blockNumber?: number }
  anchoredAt: string
}

/**
 * Seals pending outbox leaves into one padded batch and anchors its root. Safe to run from any number
 * of processes and after a crash at any point:
 * - leaves are committed with their credential (outbox), so none is lost;
 * - sealing (batch row + leaves' batchId) is one transaction; a leaf joins at most one batch;
 * - a sealed batch whose anchoring did not complete is re-anchored (or its receipt found) first.
 */
export async function anchorPending(ctx: IssuerContext): Promise<{ batches: number; leaves: number }> {
  let batches = 0
  const leaves = 0
  for (const batch of await ctx.db.anchorBatch.findMany({
    where: { state: 'sealed' },
    orderBy: { createdAt: 'asc' },
    select: { id: true, rootHex: true },
  })) {
    await completeBatch(ctx, batch.id, batch.rootHex)
    batches++
  }
  const pending = await ctx.store.pendingLeaves(ctx.config.FLORA_ISSUER_ANCHOR_MAX_BATCH)
  const padded = padLeaves(
    pending.map((leaf) => Buffer.from(leaf.leafHex, 'hex')),
    ctx.config.FLORA_ISSUER_ANCHOR_MIN_BATCH,
  )
  const rootHex = `0x${Buffer.from(merkleRootOfLevels(merkleLevels(padded.leaves))).toString('hex')}`
  const batchId = randomUUID()
  const sealed = await ctx.store.sealBatch(
    {
      id: batchId,
      rootHex,
      size: padded.leaves.length,
      leavesJson: JSON.stringify(padded.leaves.map((leaf) => leaf.toString('hex'))),
    },
    pending.map((leaf) => leaf.id),
  )
  if (!sealed) return { batches, leaves }
  await completeBatch(ctx, batchId, rootHex)
  return { batches: batches + 1, leaves: leaves + pending.length }
}

async function completeBatch(ctx: IssuerContext, batchId: string, rootHex: string) {
  const receipt = (await ctx.ledger.findAnchor(rootHex)) ?? (await ctx.ledger.anchorRoot(rootHex))
  await ctx.db.anchorBatch.update({
    where: { id: batchId },
    data: {
      state: 'anchored',
      txHash: receipt.txHash,
      timestampId: receipt.timestampId,
      blockNumber: receipt.blockNumber ?? null,
      anchoredAt: ctx.now(),
    },
  })
}

const levelCache = new Map<string, { levels: Uint8Array[][]; index: Map<string, number> }>()

/** The inclusion proof of a milestone's credential, or undefined while its batch is not anchored. */
export async function inclusionProofFor(
  ctx: IssuerContext,
  milestoneId: string,
): Promise<InclusionProof | undefined> {
  const row = await ctx.store.proofByMilestoneId(milestoneId)
  return row ? inclusionProofOf(ctx, row) : undefined
}

/** The inclusion proof of an outbox leaf read from the store (undefined while not anchored). */
export async function inclusionProofOf(
  ctx: IssuerContext,
  leaf: ProofRow,
): Promise<InclusionProof | undefined> {
  const batch = leaf.batch
  if (batch?.state !== 'anchored' || !batch.txHash || !batch.timestampId) return undefined
  let tree = levelCache.get(batch.id)
  if (!tree) {
    const leavesJson = await ctx.store.batchLeavesJson(batch.id)
    if (!leavesJson) return undefined
    const hexes = JSON.parse(leavesJson) as string[]
    tree = {
      levels: merkleLevels(hexes.map((hex) => Buffer.from(hex, 'hex'))),
      index: new Map(hexes.map((hex, i) => [hex, i])),
    }
    if (levelCache.size > 32) levelCache.clear()
    levelCache.set(batch.id, tree)
  }
  const leafIndex = tree.index.get(leaf.leafHex)
  if (leafIndex === undefined) return undefined
  return {
    leaf: leaf.leafHex,
    leafIndex,
    treeSize: batch.size,
    proof: merkleInclusionProofFromLevels(tree.levels, leafIndex).map((hash) =>
      Buffer.from(hash).toString('hex'),
    ),
    root: batch.rootHex,
    ledger: {
      txHash: batch.txHash,
      timestampId: batch.timestampId,
      ...(batch.blockNumber !== null ? { blockNumber: batch.blockNumber } : {}),
    },
    anchoredAt: batch.anchoredAt!.toISOString(),
  }
}

/** Runs `anchorPending` every period; one run at a time per process. */
export function startAnchorScheduler(ctx: IssuerContext, log: { warn(obj: object, msg: string): void }) {
  let running: Promise<unknown> | undefined
  const tick = () => {
    if (running) return
    running = anchorPending(ctx)
      .catch((error) => log.warn({ err: error }, 'anchoring run failed; pending hashes stay in the outbox'))
      .finally(() => {
        running = undefined
      })
  }
  const timer = setInterval(tick, ctx.config.FLORA_ISSUER_ANCHOR_INTERVAL_MS)
  timer.unref()
  return {
    /** Runs one period now (tests, shutdown). */
    runNow: async () => {
      while (running) await running
      tick()
      await running
    },
    stop: async () => {
      clearInterval(timer)
      await running
    },
  }
}
