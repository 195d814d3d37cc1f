import type { LedgerTx } from '../types.ts'
import type { StateHash } from './state-hash.ts'
import { STATE_TABLE_OF_DELEGATE, type StateTable, stateElement } from './state-tables.ts'

type Row = Record<string, unknown>

/**
 * The registry rows one block attempt inserted and removed (an update is a removal of the old row
 * and an insertion of the new one). The block's state root is the previous state hash with these
 * folded in; a failed attempt's journal is dropped with it.
 */
export class StateJournal {
  private readonly changes: { table: StateTable; row: Row; added: boolean }[] = []

  inserted(table: StateTable, row: Row): void {
    this.changes.push({ table, row, added: true })
  }

  removed(table: StateTable, row: Row): void {
    this.changes.push({ table, row, added: false })
  }

  /** Rows written by raw SQL: one object per row from the column names and values. */
  insertedRows(table: StateTable, columns: readonly string[], rows: readonly unknown[][]): void {
    for (const values of rows)
      this.inserted(table, Object.fromEntries(columns.map((column, i) => [column, values[i]])))
  }

  get size(): number {
    return this.changes.length
  }

  /** A new state hash: `state` with this journal's changes applied (`state` is left as it was). */
  appliedTo(state: StateHash): StateHash {
    const next = state.clone()
    for (const change of this.changes) {
      const element = stateElement(change.table, change.row)
      if (change.added) next.add(element)
      else next.remove(element)
    }
    return next
  }
}

const READS = new Set([
  'findUnique',
  'findUniqueOrThrow',
  'findFirst',
  'findFirstOrThrow',
  'findMany',
  'count',
  'aggregate',
  'groupBy',
])

/**
 * A transaction client whose writes to registry tables are recorded in `journal`: `create`,
 * `update`, `upsert` and `delete` read the row before (inside the same database transaction) and
 * return the row after. Bulk writes (`createMany`, `updateMany`, `deleteMany`) and `select` on a
 * write are refused: the journal must see every whole row, or the state root would not match the
 * tables at the next start.
 */
export function journaled(tx: LedgerTx, journal: StateJournal): LedgerTx {
  const delegates = new Map<string, unknown>()
  return new Proxy(tx, {
    get(target, property) {
      const value = Reflect.get(target, property)
      const table = typeof property === 'string' ? STATE_TABLE_OF_DELEGATE.get(property) : undefined
      if (!table) return typeof value === 'function' ? value.bind(target) : value
      let wrapped = delegates.get(property as string)
      if (!wrapped) {
        wrapped = journaledDelegate(value as Delegate, table, journal)
        delegates.set(property as string, wrapped)
      }
      return wrapped
    },
  })
}

type Delegate = Record<string, (args: Row) => Promise<Row | null>>

function journaledDelegate(delegate: Delegate, table: StateTable, journal: StateJournal) {
  const call = (name: string, args: Row) =>
    (delegate[name] as (a: Row) => Promise<Row | null>).call(delegate, args)
  const wholeRows = (name: string, args: Row) => {
    if (args.select || args.include || args.omit)
      throw new Error(`${table}.${name} with select/include/omit: the state journal needs whole rows`)
  }
  const before = (args: Row) => call('findUnique', { where: args.where })
  return new Proxy(delegate, {
    get(target, property) {
      if (typeof property !== 'string') return Reflect.get(target, property)
      if (READS.has(property)) return (target[property] as (a: Row) => unknown).bind(target)
      switch (property) {
        case 'create':
          return async (args: Row) => {
            wholeRows(property, args)
            const row = (await call('create', args)) as Row
            journal.inserted(table, row)
            return row
          }
        case 'update':
        case 'upsert':
          return async (args: Row) => {
            wholeRows(property, args)
            const old = await before(args)
            const row = (await call(property, args)) as Row
            if (old) journal.removed(table, old)
            journal.inserted(table, row)
            return row
          }
        case 'delete':
          return async (args: Row) => {
            wholeRows(property, args)
            const row = (await call('delete', args)) as Row
            journal.removed(table, row)
            return row
          }
        default:
          throw new Error(`${table}.${property} is not journaled: write registry rows one at a time`)
      }
    },
  })
}
