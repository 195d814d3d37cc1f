import { keccak256 } from 'ethers'
import { ChainTampered } from '../errors.ts'
import type { LedgerDb } from '../types.ts'
import { blockHashOf, headerOf, transactionsRootOf, ZERO_HASH } from './block-header.ts'
import { verifyNodeSignature } from './node-key.ts'
import type { PinnedNodeKey } from './node-key-pin.ts'

type BlockRow = NonNullable<Awaited<ReturnType<LedgerDb['ledgerBlock']['findFirst']>>>

/**
 * A block's own checks: its hash over its header, and the pinned node key's signature (the kid
 * must name that key; keys found in the database are never trusted).
 */
export function checkBlockSeal(block: BlockRow, pinned: PinnedNodeKey): void {
  const fail = (why: string) => new ChainTampered(`block ${block.number}: ${why}`, block.number)
  const hash = blockHashOf(headerOf(block))
  if (hash !== block.hash) throw fail('header does not hash to the block hash')
  if (block.signerKid !== pinned.kid) throw fail(`signed by ${block.signerKid}, not by the pinned node key`)
  if (!verifyNodeSignature(pinned.publicKey, Buffer.from(hash.slice(2), 'hex'), block.signature))
    throw fail('node signature invalid')
}

/**
 * Re-verifies the chain from genesis: each block's hash over its header, the link to its parent,
 * the Merkle root over its receipts, each transaction's hash over its raw bytes, and the pinned
 * node key's signature. Reads in pages so that long chains do not load at once.
 * @returns the number of blocks and transactions verified, and the head block.
 * @throws ChainTampered naming the first block that fails.
 */
export async function verifyChain(
  db: LedgerDb,
  pinned: PinnedNodeKey,
): Promise<{ blocks: number; transactions: number; head: BlockRow }> {
  let parentHash = ZERO_HASH
  let expected = 0
  let transactions = 0
  let head: BlockRow | undefined
  const pageSize = 500
  for (;;) {
    const blocks = await db.ledgerBlock.findMany({
      where: { number: { gte: expected } },
      orderBy: { number: 'asc' },
      take: pageSize,
    })
    if (blocks.length === 0) break
    const txs = await db.ledgerTransaction.findMany({
      where: { blockNumber: { gte: expected, lte: blocks[blocks.length - 1]?.number ?? expected } },
      orderBy: [{ blockNumber: 'asc' }, { txIndex: 'asc' }],
    })
    const byBlock = new Map<number, typeof txs>()
    for (const tx of txs) {
      const list = byBlock.get(tx.blockNumber) ?? []
      list.push(tx)
      byBlock.set(tx.blockNumber, list)
    }
    for (const block of blocks) {
      const fail = (why: string) => new ChainTampered(`block ${block.number}: ${why}`, block.number)
      if (block.number !== expected) throw fail(`missing block ${expected}`)
      if (block.parentHash !== parentHash) throw fail('parent hash does not link to the previous block')
      if (head?.stateRoot && !block.stateRoot) throw fail('state root missing after state commitments began')
      const list = byBlock.get(block.number) ?? []
      if (list.length !== block.txCount) throw fail('transaction count differs')
      list.forEach((tx, index) => {
        if (tx.txIndex !== index) throw fail('transaction order differs')
        if (keccak256(tx.raw) !== tx.hash) throw fail(`transaction ${tx.hash} does not hash to its id`)
      })
      const root = transactionsRootOf(
        list.map((tx) => ({ hash: tx.hash, status: tx.status, revertReason: tx.revertReason })),
      )
      if (root !== block.transactionsRoot) throw fail('Merkle root does not match the receipts')
      checkBlockSeal(block, pinned)
      parentHash = block.hash
      head = block
      expected += 1
      transactions += list.length
    }
  }
  if (!head) throw new ChainTampered('no genesis block', 0)
  return { blocks: expected, transactions, head }
}

/** The head block alone, sealed by the pinned key (the start-up check when the walk is off). */
export async function verifyHead(db: LedgerDb, pinned: PinnedNodeKey): Promise<BlockRow> {
  const head = await db.ledgerBlock.findFirst({ orderBy: { number: 'desc' } })
  if (!head) throw new ChainTampered('no genesis block', 0)
  checkBlockSeal(head, pinned)
  return head
}
