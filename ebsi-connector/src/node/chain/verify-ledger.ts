import type { StateHash } from '../state/state-hash.ts'
import type { LedgerDb } from '../types.ts'
import type { PinnedNodeKey } from './node-key-pin.ts'
import { verifyChain, verifyHead } from './verify-chain.ts'
import { verifyAccountNonces, verifyState } from './verify-state.ts'

export interface VerifiedLedger {
  head: { number: number; hash: string; stateRoot: string }
  /** The state hash of the tables, equal to the head's state root when `committed`. */
  state: StateHash
  /** False on a chain from before state commitments (no root to compare with yet). */
  committed: boolean
  stateRows: number
  /** Set when the chain was walked from genesis. */
  walked?: { blocks: number; transactions: number }
}

/**
 * What the node checks before it serves anything: the chain from genesis (`walk`; else the head
 * block alone), every block signed by the pinned key, the registry tables against the head's state
 * root, and the account nonces against the transactions.
 * @throws ChainTampered (StateTampered for the tables and nonces)
 */
export async function verifyLedger(
  db: LedgerDb,
  pinned: PinnedNodeKey,
  options: { walk: boolean },
): Promise<VerifiedLedger> {
  let walked: VerifiedLedger['walked']
  let head: VerifiedLedger['head']
  if (options.walk) {
    const result = await verifyChain(db, pinned)
    walked = { blocks: result.blocks, transactions: result.transactions }
    head = result.head
  } else head = await verifyHead(db, pinned)
  const { state, rows, committed } = await verifyState(db, head)
  await verifyAccountNonces(db)
  return { head, state, committed, stateRows: rows, walked }
}
