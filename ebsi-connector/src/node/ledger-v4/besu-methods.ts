import { Transaction } from 'ethers'
import { toQuantity } from '../../core/index.ts'
import { InvalidRequest } from '../errors.ts'
import type { LedgerDb } from '../types.ts'

type Row = Awaited<ReturnType<LedgerDb['ledgerTransaction']['findUnique']>> & {}

const EMPTY_BLOOM = `0x${'0'.repeat(512)}`

const hashParam = (params: unknown[]): string => {
  const hash = params[0]
  if (params.length < 1 || typeof hash !== 'string' || !/^0x[0-9a-fA-F]{64}$/.test(hash))
    throw new InvalidRequest('params[0] must be a 32-byte transaction hash')
  return hash.toLowerCase()
}

async function blockHashOf(db: LedgerDb, number: number): Promise<string> {
  return (await db.ledgerBlock.findUnique({ where: { number }, select: { hash: true } }))?.hash ?? ''
}

/** Besu receipt object; `status` 0x1 only once the tx is in a persisted block, else 0x0 + revertReason. */
export function receiptOf(row: Row, blockHash: string) {
  return {
    transactionHash: row.hash,
    transactionIndex: toQuantity(row.txIndex),
    blockHash,
    blockNumber: toQuantity(row.blockNumber),
    from: row.fromAddress.toLowerCase(),
    to: row.toAddress.toLowerCase(),
    cumulativeGasUsed: '0x0',
    gasUsed: '0x0',
    effectiveGasPrice: '0x0',
    contractAddress: null,
    logs: [],
    logsBloom: EMPTY_BLOOM,
    type: '0x0',
    status: row.status === 1 ? '0x1' : '0x0',
    ...(row.status === 1 ? {} : { revertReason: row.revertReason ?? 'reverted' }),
  }
}

/** Besu transaction object decoded from the stored raw transaction. */
export function transactionOf(row: Row, blockHash: string) {
  const tx = Transaction.from(row.raw)
  return {
    hash: row.hash,
    blockHash,
    blockNumber: toQuantity(row.blockNumber),
    transactionIndex: toQuantity(row.txIndex),
    from: row.fromAddress.toLowerCase(),
    to: row.toAddress.toLowerCase(),
    input: tx.data,
    nonce: toQuantity(tx.nonce),
    gas: toQuantity(tx.gasLimit),
    gasPrice: toQuantity(tx.gasPrice ?? 0n),
    value: toQuantity(tx.value),
    chainId: toQuantity(tx.chainId),
    type: '0x0',
    v: toQuantity(tx.signature?.networkV ?? BigInt(tx.signature?.v ?? 0)),
    r: tx.signature?.r ?? '0x0',
    s: tx.signature?.s ?? '0x0',
  }
}

/** The public read methods of the Ledger API's Besu proxy. `null` = unknown/pending (as Besu). */
export const besuMethods: Record<string, (db: LedgerDb, params: unknown[]) => Promise<unknown>> = {
  async eth_getTransactionReceipt(db, params) {
    const row = await db.ledgerTransaction.findUnique({ where: { hash: hashParam(params) } })
    return row ? receiptOf(row, await blockHashOf(db, row.blockNumber)) : null
  },
  async eth_getTransactionByHash(db, params) {
    const row = await db.ledgerTransaction.findUnique({ where: { hash: hashParam(params) } })
    return row ? transactionOf(row, await blockHashOf(db, row.blockNumber)) : null
  },
  async eth_getBlockByNumber(db, params) {
    const tag = params[0]
    const full = params[1] === true
    if (params[1] !== undefined && typeof params[1] !== 'boolean')
      throw new InvalidRequest('params[1] must be a boolean')
    let block: Awaited<ReturnType<LedgerDb['ledgerBlock']['findFirst']>>
    if (tag === 'latest' || tag === 'pending' || tag === 'safe' || tag === 'finalized') {
      block = await db.ledgerBlock.findFirst({ orderBy: { number: 'desc' } })
    } else if (tag === 'earliest') {
      block = await db.ledgerBlock.findUnique({ where: { number: 0 } })
    } else if (typeof tag === 'string' && /^0x[0-9a-fA-F]{1,8}$/.test(tag)) {
      const number = Number.parseInt(tag, 16)
      block = number <= 2_147_483_647 ? await db.ledgerBlock.findUnique({ where: { number } }) : null
    } else throw new InvalidRequest('params[0] must be a block number (0x…) or a tag')
    if (!block) return null
    const txs = await db.ledgerTransaction.findMany({
      where: { blockNumber: block.number },
      orderBy: { txIndex: 'asc' },
    })
    return {
      number: toQuantity(block.number),
      hash: block.hash,
      parentHash: block.parentHash,
      transactionsRoot: block.transactionsRoot,
      timestamp: toQuantity(block.timestamp),
      miner: '0x0000000000000000000000000000000000000000',
      gasLimit: '0x0',
      gasUsed: '0x0',
      size: toQuantity(txs.length),
      extraData: `0x${Buffer.from(JSON.stringify({ signerKid: block.signerKid, signature: block.signature })).toString('hex')}`,
      transactions: full ? txs.map((row) => transactionOf(row, block.hash)) : txs.map((row) => row.hash),
      uncles: [],
    }
  },
}
