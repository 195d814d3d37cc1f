import { StateTampered } from '../errors.ts'
import type { StateHash } from '../state/state-hash.ts'
import { scanStateHash } from '../state/state-scan.ts'
import type { LedgerDb } from '../types.ts'

/**
 * The registry tables against the head block's state root (a full scan). A chain written before
 * state commitments existed has no root yet: `committed` is false and the caller anchors one.
 * @throws StateTampered when a state table was edited.
 */
export async function verifyState(
  db: LedgerDb,
  head: { number: number; stateRoot: string },
): Promise<{ state: StateHash; rows: number; committed: boolean }> {
  const { state, rows } = await scanStateHash(db)
  if (!head.stateRoot) return { state, rows, committed: false }
  if (state.digest() !== head.stateRoot)
    throw new StateTampered(
      `the registry state differs from the state root of block ${head.number}: a DID, TIR, TSR, timestamp or TPR row was edited`,
      head.number,
    )
  return { state, rows, committed: true }
}

/**
 * Account nonces are derived data: each account's next nonce is one past the highest nonce among
 * its transactions in blocks (which the chain check covers). A rewound nonce would let an old
 * signed transaction be sent again.
 * @throws StateTampered naming the first account that differs.
 */
export async function verifyAccountNonces(db: LedgerDb): Promise<void> {
  const derived = await db.ledgerTransaction.groupBy({ by: ['fromAddress'], _max: { nonce: true } })
  const expected = new Map(derived.map((row) => [row.fromAddress, (row._max.nonce ?? -1) + 1]))
  const stored = await db.accountNonce.findMany()
  const fail = (address: string) =>
    new StateTampered(`account nonce of ${address} differs from its transactions in blocks`, -1)
  if (stored.length !== expected.size) {
    const missing = [...expected.keys()].find((address) => !stored.some((row) => row.address === address))
    throw fail(missing ?? stored.find((row) => !expected.has(row.address))?.address ?? '?')
  }
  for (const row of stored) if (expected.get(row.address) !== row.nonce) throw fail(row.address)
}
