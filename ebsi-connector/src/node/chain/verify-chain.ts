import { createPublicKey } from 'node:crypto'
import { keccak256 } from 'ethers'
import { ChainTampered } from '../errors.ts'
import type { LedgerDb } from '../types.ts'
import { blockHashOf, transactionsRootOf, ZERO_HASH } from './block-header.ts'
import { NODE_KEY_OWNER, verifyNodeSignature } from './node-key.ts'

/**
 * Re-verifies the chain from genesis: each block's hash over its header, the link to its parent,
 * the Merkle root over its receipts, each transaction's hash over its raw bytes, and the node's
 * signature. Reads in pages so that long chains do not load at once.
 * @returns the number of blocks verified.
 * @throws ChainTampered naming the first block that fails.
 */
export async function verifyChain(db: LedgerDb): Promise<{ blocks: number; transactions: number }> {
  const keys = await db.storedKey.findMany({ where: { owner: NODE_KEY_OWNER } })
  const publicKeys = new Map(
    keys.map((key) => [
      key.kid,
      createPublicKey({
        key: JSON.parse(key.publicKeyHex) as Record<string, string> & { kty: string },
        format: 'jwk',
      }),
    ]),
  )
  let parentHash = ZERO_HASH
  let expected = 0
  let transactions = 0
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
      const hash = blockHashOf({
        number: block.number,
        parentHash: block.parentHash,
        transactionsRoot: block.transactionsRoot,
        timestamp: block.timestamp,
        txCount: block.txCount,
        genesisDigest: block.genesisDigest,
        signerKid: block.signerKid,
      })
      if (hash !== block.hash) throw fail('header does not hash to the block hash')
      const key = publicKeys.get(block.signerKid)
      if (!key || !verifyNodeSignature(key, Buffer.from(hash.slice(2), 'hex'), block.signature))
        throw fail('node signature invalid')
      parentHash = block.hash
      expected += 1
      transactions += list.length
    }
  }
  if (expected === 0) throw new ChainTampered('no genesis block', 0)
  return { blocks: expected, transactions }
}
