import type { Logger } from '@flora/service-kit'
import { LedgerUnavailable, Revert } from '../errors.ts'
import type { RawSql, Statement } from '../state/raw-sql.ts'
import type { StateHash } from '../state/state-hash.ts'
import { journaled, StateJournal } from '../state/state-journal.ts'
import type { LedgerDb, LedgerTx } from '../types.ts'
import { blockHashOf, type BlockHeader, type ReceiptLeaf, transactionsRootOf } from './block-header.ts'
import type { ExecutionEnv, MethodTable, RegistryMethod } from './execution.ts'
import { isDatabaseFault, revertReasonOf } from './failure-cause.ts'
import type { Mempool } from './mempool.ts'
import type { NodeKey } from './node-key.ts'
import type { PendingTransaction } from './pending.ts'

export type { PendingTransaction } from './pending.ts'

export interface BlockProducerOptions {
  db: LedgerDb
  key: NodeKey
  methods: MethodTable
  intervalMs: number
  maxBlockTxs: number
  logger: Logger
  sql: RawSql
  mempool: Mempool
  /** Does the database answer? Tells an outage from a transaction whose execution fails. */
  databaseAnswers: () => Promise<boolean>
  /** Called after each committed block (cache invalidation). */
  onBlock?: (block: { number: number; hash: string; txs: PendingTransaction[] }) => void
  now?: () => number
}

/** The committed chain head and the registry state it leaves. */
export interface ChainHead {
  number: number
  hash: string
  state: StateHash
}

interface BlockContext {
  number: number
  timestamp: number
}

/** A block ready to write: its header, hash, signature and the state it leaves. */
interface SealedBlock extends ChainHead {
  header: BlockHeader
  signature: string
  txCount: number
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

/** First retry after a failed block write, doubling up to the maximum. */
const RETRY_FIRST_MS = 100
const RETRY_MAX_MS = 5000
/**
 * A transaction whose own block failed this many times while the database answered is recorded
 * as reverted with an internal error, so that one transaction the node cannot execute does not
 * stop the chain. Never for a database fault (see `isDatabaseFault`): an outage only delays blocks.
 */
const FAILURES_BEFORE_INTERNAL_REVERT = 3
const INTERNAL_ERROR = 'internal error while executing the transaction'

/**
 * Cuts blocks: accepted transactions (already durable in the mempool) are executed in order, each
 * yielding a receipt (status 1, or 0 with `revertReason`), and the block (RFC 9162 Merkle root of
 * the receipts, parent hash, state root, node signature) is committed atomically with them, their
 * state changes and the removal of their mempool rows. Blocks made only of methods with a
 * `prepare` fast path are written with one batch transaction; others run check/apply inside an
 * interactive transaction.
 *
 * A failed write changes nothing: the transactions stay first in line, the node reports the
 * failure (`assertHealthy`) and retries with a growing delay until the database takes the block.
 * When a batch fails while the database answers and the failure is not the database's (see
 * `isDatabaseFault`: unreachable, timed out, full, locked...), its transactions are retried one
 * per block, so that only a transaction that keeps failing on its own is ever recorded as an
 * internal error.
 */
export class BlockProducer {
  private pending: PendingTransaction[] = []
  private timer: NodeJS.Timeout | undefined
  private running: Promise<boolean> | undefined
  private head: ChainHead | undefined
  private closed = false
  private failure: { since: number; attempts: number; error: unknown } | undefined
  /** Transactions still to be committed one per block after a batch failed with the database up. */
  private isolateNext = 0
  private readonly isolatedFailures = new Map<string, number>()
  /** The last block handed to the database (to recognise a commit reported as failed). */
  private lastAttempt: { sealed: SealedBlock; txs: PendingTransaction[] } | undefined
  private readonly now: () => number

  constructor(private readonly options: BlockProducerOptions) {
    this.now = options.now ?? (() => Math.floor(Date.now() / 1000))
  }

  /** Starts from the verified chain head and its state (call once, before anything else). */
  init(head: ChainHead): void {
    this.head = head
  }

  get pendingCount(): number {
    return this.pending.length
  }

  /** The state hash after the head block. */
  get state(): StateHash {
    return this.requireHead().state
  }

  /** Queues transactions a previous process accepted (read back from the mempool). */
  resume(recovered: PendingTransaction[]): void {
    if (recovered.length === 0) return
    this.pending.push(...recovered)
    this.schedule(this.options.intervalMs)
  }

  /**
   * Accepts a transaction: persisted before this resolves, then queued for the next block.
   * @throws LedgerUnavailable when it cannot be persisted (nothing is queued then).
   */
  async accept(tx: PendingTransaction): Promise<void> {
    if (this.closed)
      throw new LedgerUnavailable('the ledger node is shutting down; send the transaction again later')
    try {
      await this.options.mempool.persist(tx, () => {
        this.pending.push(tx)
        this.schedule(this.options.intervalMs)
      })
    } catch (error) {
      this.options.logger.error({ err: error }, 'an accepted transaction could not be recorded')
      throw new LedgerUnavailable(
        'the ledger cannot record transactions now (its database is unavailable); send the transaction again later',
        { cause: error },
      )
    }
  }

  /** @throws Error describing the failure while blocks cannot be written (for /health). */
  assertHealthy(): void {
    if (!this.failure) return
    const { attempts, since } = this.failure
    throw new Error(
      `${attempts} block attempt${attempts === 1 ? '' : 's'} failed since ${new Date(since).toISOString()}; ` +
        `${this.pending.length} accepted transaction${this.pending.length === 1 ? '' : 's'} wait for their block`,
    )
  }

  /**
   * Waits until everything accepted so far is in a committed block.
   * @throws the error of a failed block write (the transactions stay queued and are retried).
   */
  async flush(): Promise<void> {
    while (this.pending.length > 0 || this.running) {
      if (this.running) {
        await this.running
        continue
      }
      if (this.timer) clearTimeout(this.timer)
      this.timer = undefined
      if (!(await this.run())) throw this.failure?.error ?? new Error('block write failed')
    }
  }

  /**
   * Stops cutting blocks after a last flush. Transactions that cannot be written now stay in the
   * mempool and are executed by the next start.
   */
  async close(): Promise<void> {
    this.closed = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    await this.options.mempool.idle()
    try {
      await this.flush()
    } catch (error) {
      this.options.logger.warn(
        { err: error, waiting: this.pending.length },
        'closing with accepted transactions not yet in a block: they stay recorded and are executed on the next start',
      )
    }
  }

  /**
   * Writes a block without transactions whose state changes are made by `apply` (configuration
   * applied at start, such as TPR admins). No block is written when `apply` changes nothing,
   * unless `always` (the first state commitment of a chain from an earlier version).
   * @returns whether a block was written.
   */
  async writeSystemBlock(
    apply: (tx: LedgerTx) => Promise<void>,
    options: { always?: boolean } = {},
  ): Promise<boolean> {
    if (this.running || this.pending.length > 0)
      throw new Error('system blocks are written before transactions resume')
    const head = this.requireHead()
    const journal = new StateJournal()
    const block: BlockContext = { number: head.number + 1, timestamp: Math.max(this.now(), 0) }
    let sealed: SealedBlock | undefined
    await this.options.db.$transaction(async (client) => {
      await apply(journaled(client as unknown as LedgerTx, journal))
      if (journal.size === 0 && !options.always) return
      sealed = this.seal([], [], block, head, journal)
      for (const write of this.blockWrites(client as unknown as LedgerTx, [], [], sealed)) await write
    })
    if (!sealed) return false
    this.committed(sealed, [])
    return true
  }

  private requireHead(): ChainHead {
    if (!this.head) throw new Error('block producer not initialised')
    return this.head
  }

  private schedule(delay: number): void {
    if (this.timer || this.running || this.closed) return
    this.timer = setTimeout(() => {
      this.timer = undefined
      if (!this.running && this.pending.length > 0) void this.run()
    }, delay)
  }

  private retryDelay(): number {
    const attempts = this.failure?.attempts ?? 1
    return Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** Math.min(attempts - 1, 16))
  }

  /** One block attempt; never rejects (a failure is recorded and retried). */
  private run(): Promise<boolean> {
    const run = this.attempt().finally(() => {
      this.running = undefined
      if (this.pending.length > 0) this.schedule(this.failure ? this.retryDelay() : this.options.intervalMs)
    })
    this.running = run
    return run
  }

  private async attempt(): Promise<boolean> {
    let batch: PendingTransaction[] = []
    try {
      if (this.failure) await this.resync()
      batch = this.pending.slice(0, this.isolateNext > 0 ? 1 : this.options.maxBlockTxs)
      if (batch.length === 0) {
        this.recovered()
        return true
      }
      const only = batch.length === 1 ? (batch[0] as PendingTransaction) : undefined
      const revert =
        only !== undefined && (this.isolatedFailures.get(only.hash) ?? 0) >= FAILURES_BEFORE_INTERNAL_REVERT
      if (revert)
        this.options.logger.error(
          { tx: only?.hash },
          'a transaction failed to execute on its own repeatedly while the database answered; recording it as reverted',
        )
      await this.commitBlock(batch, revert)
      this.isolateNext = Math.max(0, this.isolateNext - batch.length)
      for (const tx of batch) this.isolatedFailures.delete(tx.hash)
      this.recovered()
      return true
    } catch (error) {
      const attempts = (this.failure?.attempts ?? 0) + 1
      this.failure = { since: this.failure?.since ?? Date.now(), attempts, error }
      this.options.logger.error(
        { err: error, attempts, waiting: this.pending.length },
        'block write failed; its transactions stay accepted and are retried',
      )
      if (batch.length > 0 && !isDatabaseFault(error) && (await this.options.databaseAnswers())) {
        if (batch.length > 1) this.isolateNext = Math.max(this.isolateNext, batch.length)
        else {
          const hash = (batch[0] as PendingTransaction).hash
          this.isolatedFailures.set(hash, (this.isolatedFailures.get(hash) ?? 0) + 1)
        }
      }
      return false
    }
  }

  private recovered(): void {
    if (!this.failure) return
    this.options.logger.warn({ attempts: this.failure.attempts }, 'block writes recovered')
    this.failure = undefined
  }

  /**
   * After a failure: a commit can succeed although the database reported an error (the
   * connection dropped after COMMIT). The stored head tells; the queue is brought in line with it.
   */
  private async resync(): Promise<void> {
    const head = this.requireHead()
    const stored = await this.options.db.ledgerBlock.findFirst({
      orderBy: { number: 'desc' },
      select: { number: true, hash: true },
    })
    if (!stored || (stored.number === head.number && stored.hash === head.hash)) return
    const last = this.lastAttempt
    if (last && stored.number === last.sealed.number && stored.hash === last.sealed.hash) {
      this.committed(last.sealed, last.txs)
      return
    }
    throw new Error(`the chain head moved to block ${stored.number} outside this block producer`)
  }

  private methodOf(tx: PendingTransaction): RegistryMethod | undefined {
    return this.options.methods[tx.registry]?.[tx.call.method]
  }

  private async commitBlock(batch: PendingTransaction[], revert: boolean): Promise<void> {
    const head = this.requireHead()
    const block: BlockContext = { number: head.number + 1, timestamp: Math.max(this.now(), 0) }
    const { db } = this.options
    const journal = new StateJournal()
    if (!revert && batch.every((tx) => this.methodOf(tx)?.prepare)) {
      // fast path: reads now (this producer is the only writer), all writes in one batch transaction
      const { receipts, statements } = await this.executeRuns(db, batch, block, journal)
      const sealed = this.seal(batch, receipts, block, head, journal)
      const writes = this.blockWrites(db, batch, receipts, sealed)
      this.lastAttempt = { sealed, txs: batch }
      await db.$transaction([...statements, ...writes] as never)
      this.committed(sealed, batch)
      return
    }
    let sealed: SealedBlock | undefined
    await db.$transaction(
      async (client) => {
        const tx = journaled(client as unknown as LedgerTx, journal)
        const receipts: ReceiptLeaf[] = []
        for (const pending of batch) {
          if (revert) receipts.push({ hash: pending.hash, status: 0, revertReason: INTERNAL_ERROR })
          else if (this.methodOf(pending)?.prepare) {
            const run = await this.executeRuns(tx, [pending], block, journal)
            for (const statement of run.statements) await statement
            receipts.push(...run.receipts)
          } else receipts.push(await this.execute(tx, pending, block, journal))
        }
        sealed = this.seal(batch, receipts, block, head, journal)
        this.lastAttempt = { sealed, txs: batch }
        for (const write of this.blockWrites(tx, batch, receipts, sealed)) await write
      },
      { timeout: 120_000, maxWait: 120_000 },
    )
    if (sealed) this.committed(sealed, batch)
  }

  private committed(sealed: SealedBlock, txs: PendingTransaction[]): void {
    this.head = { number: sealed.number, hash: sealed.hash, state: sealed.state }
    if (txs.length > 0) {
      if (this.pending[0] !== txs[0]) throw new Error('block producer queue out of order')
      this.pending.splice(0, txs.length)
    }
    this.lastAttempt = undefined
    this.options.onBlock?.({ number: sealed.number, hash: sealed.hash, txs })
  }

  /** Runs of consecutive calls of one method through its `prepare`. */
  private async executeRuns(
    db: LedgerTx | LedgerDb,
    batch: PendingTransaction[],
    block: BlockContext,
    journal: StateJournal,
  ) {
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
      const method = this.methodOf(first)
      // arguments that fail validation revert here; `prepare` sees only valid calls
      const invalid = run.map((pending) => (method ? validationFailure(method, pending) : null))
      const valid = run.filter((_, index) => invalid[index] === null)
      const prepared = await method?.prepare?.(
        db,
        valid.map((pending) => ({ call: pending.call, env: this.envOf(pending, block, journal) })),
        overlay,
      )
      let next = 0
      run.forEach((pending, index) => {
        const reason = invalid[index] ?? prepared?.reasons[next++] ?? null
        receipts.push({ hash: pending.hash, status: reason === null ? 1 : 0, revertReason: reason })
      })
      statements.push(...(prepared?.statements ?? []))
      i = end
    }
    return { receipts, statements }
  }

  /** Header, hash and signature of the next block, with the state it leaves. */
  private seal(
    batch: PendingTransaction[],
    receipts: ReceiptLeaf[],
    block: BlockContext,
    parent: ChainHead,
    journal: StateJournal,
  ): SealedBlock {
    const { key } = this.options
    const state = journal.appliedTo(parent.state)
    const header: BlockHeader = {
      number: block.number,
      parentHash: parent.hash,
      transactionsRoot: transactionsRootOf(receipts),
      timestamp: block.timestamp,
      txCount: batch.length,
      genesisDigest: '',
      signerKid: key.kid,
      stateRoot: state.digest(),
    }
    const hash = blockHashOf(header)
    return {
      number: block.number,
      hash,
      state,
      header,
      signature: key.sign(Buffer.from(hash.slice(2), 'hex')),
      txCount: batch.length,
    }
  }

  /** The writes every block makes: receipts, account nonces, mempool removal, the signed block. */
  private blockWrites(
    db: LedgerTx | LedgerDb,
    batch: PendingTransaction[],
    receipts: ReceiptLeaf[],
    sealed: SealedBlock,
  ): Statement[] {
    const { sql, mempool } = this.options
    const writes: Statement[] = []
    if (batch.length > 0) {
      const nonces = new Map<string, number>()
      for (const pending of batch) nonces.set(pending.from, pending.nonce + 1)
      writes.push(
        sql.insertStatement(
          db,
          'LedgerTransaction',
          TX_COLUMNS,
          batch.map((pending, index) => [
            pending.hash,
            sealed.number,
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
        mempool.removeStatement(
          db,
          batch.map((pending) => pending.hash),
        ),
      )
    }
    writes.push(
      db.ledgerBlock.create({ data: { ...sealed.header, hash: sealed.hash, signature: sealed.signature } }),
    )
    return writes
  }

  private envOf(pending: PendingTransaction, block: BlockContext, journal: StateJournal): ExecutionEnv {
    return {
      now: block.timestamp,
      blockNumber: block.number,
      txHash: pending.hash,
      from: pending.from,
      sender: pending.sender,
      scope: pending.scope,
      isAdmin: pending.isAdmin,
      sql: this.options.sql,
      journal,
    }
  }

  private async execute(
    tx: LedgerTx,
    pending: PendingTransaction,
    block: BlockContext,
    journal: StateJournal,
  ): Promise<ReceiptLeaf> {
    const method = this.methodOf(pending)
    if (!method)
      return { hash: pending.hash, status: 0, revertReason: `unknown method ${pending.call.method}` }
    const env = this.envOf(pending, block, journal)
    const invalid = validationFailure(method, pending)
    if (invalid !== null) return { hash: pending.hash, status: 0, revertReason: invalid }
    try {
      await method.check(tx, pending.call, env)
    } catch (error) {
      const reason = revertReasonOf(error)
      if (reason === undefined) throw error
      return { hash: pending.hash, status: 0, revertReason: reason }
    }
    await method.apply(tx, pending.call, env)
    return { hash: pending.hash, status: 1, revertReason: null }
  }
}

/**
 * Why the arguments of a transaction fail its method's state-free rules (null when they pass).
 * Those rules ran when it was accepted; they run again because the mempool may hold transactions
 * accepted by an earlier version of the node.
 */
function validationFailure(method: RegistryMethod, pending: PendingTransaction): string | null {
  try {
    method.validate(pending.call.args)
    return null
  } catch (error) {
    if (error instanceof Revert) return error.message
    throw error
  }
}
