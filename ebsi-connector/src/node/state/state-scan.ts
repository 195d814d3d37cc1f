import type { LedgerDb, LedgerTx } from '../types.ts'
import { StateHash } from './state-hash.ts'
import { STATE_TABLES, stateElement } from './state-tables.ts'

const PAGE = 5000

type Scannable = Record<string, { findMany(args: unknown): Promise<Record<string, unknown>[]> }>

/**
 * The state hash of the registry tables as they are now: every row of every state table, read in
 * primary-key pages through the same client shapes the journal records.
 * @returns the hash and the number of rows it covers.
 */
export async function scanStateHash(db: LedgerDb | LedgerTx): Promise<{ state: StateHash; rows: number }> {
  const state = StateHash.empty()
  let rows = 0
  for (const { table, delegate, key } of STATE_TABLES) {
    const model = (db as unknown as Scannable)[delegate]
    if (!model) throw new Error(`no Prisma delegate ${delegate}`)
    const orderBy = key.map((column) => ({ [column]: 'asc' }))
    for (let skip = 0; ; skip += PAGE) {
      const page = await model.findMany({ orderBy, skip, take: PAGE })
      for (const row of page) state.add(stateElement(table, row))
      rows += page.length
      if (page.length < PAGE) break
    }
  }
  return { state, rows }
}
