import type { Logger } from '@flora/service-kit'
import { type DecodedRegistryCall, EbsiCoreError, type RegistryName } from '../../core/index.ts'
import { LedgerError } from '../errors.ts'
import type { RawSql, Statement } from '../state/raw-sql.ts'
import type { LedgerDb, LedgerTx } from '../types.ts'
import { blockHashOf, type BlockHeader, type ReceiptLeaf, transactionsRootOf } from './block-header.ts'
import type { ExecutionEnv, MethodTable, RegistryMethod } from './execution.ts'
import type { NodeKey } from './node-key.ts'

/** A transaction accepted by sendSignedTransaction and waiting for its block. */
export interface PendingTransaction {
  hash: string
  raw: string
  from: string
  to: string
  nonce: number
  registry: RegistryName
  call: DecodedRegistryCall
  sender: string
  scope: string
  isAdmin: boolean
}

export interface BlockProducerOptions {
  db: LedgerDb
  key: NodeKey
  methods: MethodTable
  intervalMs: number
  maxBlockTxs: number
  logger: Logger
  sql: RawSql
  /** Called after each committed block (cache invalidation). */
  onBlock?: (block: { number: number; hash: string; txs: PendingTransaction[] }) => void
  now?: () => number
}

interface BlockContext {
  number: number
  timestamp: number
}

const TX_COLUMNS = [
  'hash',
  'blockNumber',
  'txIndex',
  'fromAddress',
  'toAddress',
  'nonce',
  'registry',
  'method',
  'sender',
  'raw',
  'status',
  'revertReason',
]

/**
 * Cuts blocks: pending transactions are executed in order, each yielding a receipt (status 1, or 0
 * with `revertReason`), and the block (RFC 9162 Merkle root of the receipts, parent hash, node
 * signature) is committed atomically with them and their state changes. Many writes share a block.
 * Blocks made only of methods with a `prepare` fast path are written with one batch transaction;
 * others run check/apply inside an interactive transaction.
 */
export class BlockProducer {
  private pending: PendingTransaction[] = []
  private timer: NodeJS.Timeout | undefined
  private running: Promise<void> | undefined
  private head: { number: number; hash: string } | undefined
  private closed = false
  private readonly now: () => number

  constructor(private readonly options: BlockProducerOptions) {
    this.now = options.now ?? (() => Math.floor(Date.now() / 1000))
  }

  /** Loads the chain head (call once before submitting). */
  async init(): Promise<void> {
    const last = await this.options.db.ledgerBlock.findFirst({ orderBy: { number: 'desc' } })
    if (!last) throw new Error('the ledger has no genesis block')
    this.head = { number: last.number, hash: last.hash }
  }

  get pendingCount(): number {
    return this.pending.length
  }

  submit(tx: PendingTransaction): void {
    if (this.closed) throw new Error('block producer closed')
    this.pending.push(tx)
    this.schedule()
  }

  /** Waits until everything submitted so far is in a committed block. */
  async flush(): Promise<void> {
    while (this.pending.length > 0 || this.running) {
      if (this.running) await this.running
      else await this.cut()
    }
  }

  async close(): Promise<void> {
    await this.flush()
    this.closed = true
    if (this.timer) clearTimeout(this.timer)
  }

  private schedule(): void {
    if (this.timer || this.running) return
    this.timer = setTimeout(() => {
      this.timer = undefined
      void this.cut()
    }, this.options.intervalMs)
  }

  private async cut(): Promise<void> {
    if (this.running || this.pending.length === 0) return
    const batch = this.pending.splice(0, this.options.maxBlockTxs)
    this.running = this.commitBlock(batch)
      .catch(async (error) => {
        this.options.logger.error({ err: error }, 'block failed; retrying its transactions one per block')
        for (const tx of batch) await this.commitBlock([tx], true)
      })
      .finally(() => {
        this.running = undefined
        if (this.pending.length > 0) this.schedule()
      })
    await this.running
  }

  private methodOf(tx: PendingTransaction): RegistryMethod | undefined {
    return this.options.methods[tx.registry]?.[tx.call.method]
  }

  private async commitBlock(batch: PendingTransaction[], isolate = false): Promise<void> {
    const head = this.head
    if (!head) throw new Error('block producer not initialised')
    const block: BlockContext = { number: head.number + 1, timestamp: Math.max(this.now(), 0) }
    const { db } = this.options
    if (!isolate && batch.every((tx) => this.methodOf(tx)?.prepare)) {
      // fast path: reads now (this producer is the only writer), all writes in one batch transaction
      const { receipts, statements } = await this.executeRuns(db, batch, block)
      const { hash, writes } = this.blockWrites(db, batch, receipts, block, head.hash)
      await db.$transaction([...statements, ...writes] as never)
      this.committed(block.number, hash, batch)
      return
    }
    let committedHash = ''
    await db.$transaction(
      async (client) => {
        const tx = client as unknown as LedgerTx
        const receipts: ReceiptLeaf[] = []
        for (const pending of batch) {
          if (isolate)
            receipts.push({
              hash: pending.hash,
              status: 0,
              revertReason: 'internal error while executing the transaction',
            })
          else if (this.methodOf(pending)?.prepare) {
            const run = await this.executeRuns(tx, [pending], block)
            for (const statement of run.statements) await statement
            receipts.push(...run.receipts)
          } else receipts.push(await this.execute(tx, pending, block))
        }
        const { hash, writes } = this.blockWrites(tx, batch, receipts, block, head.hash)
        for (const write of writes) await write
        committedHash = hash
      },
      { timeout: 120_000, maxWait: 120_000 },
    )
    this.committed(block.number, committedHash, batch)
  }

  private committed(number: number, hash: string, txs: PendingTransaction[]): void {
    this.head = { number, hash }
    this.options.onBlock?.({ number, hash, txs })
  }

  /** Runs of consecutive calls of one method through its `prepare`. */
  private async executeRuns(db: LedgerTx | LedgerDb, batch: PendingTransaction[], block: BlockContext) {
    const overlay = new Map<string, unknown>()
    const receipts: ReceiptLeaf[] = []
    const statements: Statement[] = []
    for (let i = 0; i < batch.length; ) {
      const first = batch[i] as PendingTransaction
      let end = i + 1
      while (
        end < batch.length &&
        batch[end]?.registry === first.registry &&
        batch[end]?.call.method === first.call.method
      )
        end += 1
      const run = batch.slice(i, end)
      const prepared = await this.methodOf(first)?.prepare?.(
        db,
        run.map((pending) => ({ call: pending.call, env: this.envOf(pending, block) })),
        overlay,
      )
      run.forEach((pending, index) => {
        const reason = prepared?.reasons[index] ?? null
        receipts.push({ hash: pending.hash, status: reason === null ? 1 : 0, revertReason: reason })
      })
      statements.push(...(prepared?.statements ?? []))
      i = end
    }
    return { receipts, statements }
  }

  /** The writes every block makes: receipts, account nonces, the signed block itself. */
  private blockWrites(
    db: LedgerTx | LedgerDb,
    batch: PendingTransaction[],
    receipts: ReceiptLeaf[],
    block: BlockContext,
    parentHash: string,
  ) {
    const { sql, key } = this.options
    const nonces = new Map<string, number>()
    for (const pending of batch) nonces.set(pending.from, pending.nonce + 1)
    const header: BlockHeader = {
      number: block.number,
      parentHash,
      transactionsRoot: transactionsRootOf(receipts),
      timestamp: block.timestamp,
      txCount: batch.length,
      genesisDigest: '',
      signerKid: key.kid,
    }
    const hash = blockHashOf(header)
    const writes: Statement[] = [
      sql.insertStatement(
        db,
        'LedgerTransaction',
        TX_COLUMNS,
        batch.map((pending, index) => [
          pending.hash,
          block.number,
          index,
          pending.from,
          pending.to,
          pending.nonce,
          pending.registry,
          pending.call.method,
          pending.sender,
          pending.raw,
          receipts[index]?.status ?? 0,
          receipts[index]?.revertReason ?? null,
        ]),
      ),
      sql.insertStatement(
        db,
        'AccountNonce',
        ['address', 'nonce'],
        [...nonces],
        ' ON CONFLICT ("address") DO UPDATE SET "nonce" = excluded."nonce"',
      ),
      db.ledgerBlock.create({
        data: { ...header, hash, signature: key.sign(Buffer.from(hash.slice(2), 'hex')) },
      }),
    ]
    return { hash, writes }
  }

  private envOf(pending: PendingTransaction, block: BlockContext): ExecutionEnv {
    return {
      now: block.timestamp,
      blockNumber: block.number,
      txHash: pending.hash,
      from: pending.from,
      sender: pending.sender,
      scope: pending.scope,
      isAdmin: pending.isAdmin,
      sql: this.options.sql,
    }
  }

  private async execute(
    tx: LedgerTx,
    pending: PendingTransaction,
    block: BlockContext,
  ): Promise<ReceiptLeaf> {
    const method = this.methodOf(pending)
    if (!method)
      return { hash: pending.hash, status: 0, revertReason: `unknown method ${pending.call.method}` }
    const env = this.envOf(pending, block)
    try {
      await method.check(tx, pending.call, env)
    } catch (error) {
      if (error instanceof LedgerError || error instanceof EbsiCoreError)
        return { hash: pending.hash, status: 0, revertReason: error.message }
      throw error
    }
    await method.apply(tx, pending.call, env)
    return { hash: pending.hash, status: 1, revertReason: null }
  }
}
