import type { DecodedRegistryCall, RegistryName } from '../../core/index.ts'
import type { RawSql, Statement } from '../state/raw-sql.ts'
import type { StateJournal } from '../state/state-journal.ts'
import type { LedgerDb, LedgerTx } from '../types.ts'

/** Facts a state rule may depend on besides the call itself. */
export interface ExecutionEnv {
  /** Block time (unix seconds); at build time the current time. */
  now: number
  blockNumber: number
  txHash: string
  /** Signer address (EIP-55). */
  from: string
  /** The access token's subject DID. */
  sender: string
  /** The access token's custom scope (e.g. "didr_write"). */
  scope: string
  /** True when `from` holds TPR admin attributes (the operator / Support Office role). */
  isAdmin: boolean
  /** Raw statements for this node's database (hot paths). */
  sql: RawSql
  /**
   * Inside a block: the block's state journal. Model writes through the block's client are
   * recorded by it; rows a method writes with raw SQL it must record here itself.
   */
  journal?: StateJournal
}

/**
 * One registry function's rules: `validate` judges the decoded arguments alone, `check` reads the
 * state and throws `Revert` when the call must fail; `apply` writes (it runs only after `validate`
 * and `check` passed, in the same database transaction).
 */
export interface RegistryMethod {
  /** Scopes whose tokens may call it (as each EBSI registry API lists them). */
  scopes: readonly string[]
  /**
   * The rules that need no state: type, range, size and format of every decoded argument (an ABI
   * `uint256` holds up to 2^256, a `string` or `bytes` anything the transaction can carry). Run at
   * build, before a sent transaction is accepted (a failure answers 400) and before it is executed
   * (a failure reverts it): `check`, `apply` and `prepare` only ever see arguments that passed.
   * @throws Revert
   */
  validate(args: DecodedRegistryCall['args']): void
  check(db: LedgerTx | LedgerDb, call: DecodedRegistryCall, env: ExecutionEnv): Promise<void>
  apply(tx: LedgerTx, call: DecodedRegistryCall, env: ExecutionEnv): Promise<void>
  /**
   * Optional fast path: checks a run of calls of this method with a few reads and returns, per
   * call, its revert reason (or null) plus the lazy write statements of the successful ones — same
   * semantics as check+apply one by one. `overlay` carries facts between runs of one block.
   */
  prepare?(
    db: LedgerTx | LedgerDb,
    items: { call: DecodedRegistryCall; env: ExecutionEnv }[],
    overlay: Map<string, unknown>,
  ): Promise<{ reasons: (string | null)[]; statements: Statement[] }>
}

export type RegistryMethods = Record<string, RegistryMethod>

/** All registries' methods, filled by server.ts. */
export type MethodTable = Record<RegistryName, RegistryMethods>
