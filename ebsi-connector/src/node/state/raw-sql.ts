import type { LedgerDb, LedgerTx } from '../types.ts'

/**
 * Hot-path SQL through Prisma's tagged raw queries (placeholders are rendered per provider, so
 * the same text runs on SQLite and PostgreSQL). Prisma's model queries cost ~1 ms of latency each
 * on the driver adapters; the block producer's per-transaction statements use these instead.
 */
function template(parts: readonly string[]): TemplateStringsArray {
  return Object.assign([...parts], { raw: [...parts] }) as unknown as TemplateStringsArray
}

/** `INSERT INTO "<table>" (cols) VALUES (…), (…)` for many rows in one statement. */
/** A lazy statement (Prisma runs it when awaited or inside a batch `$transaction([...])`). */
export type Statement = Promise<unknown>

function insertRowsIn(
  db: LedgerTx | LedgerDb,
  table: string,
  columns: readonly string[],
  rows: readonly unknown[][],
  suffix = '',
): Statement {
  const head = `INSERT INTO ${table} (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (`
  const parts: string[] = [head]
  const values: unknown[] = []
  rows.forEach((row, r) => {
    row.forEach((value, c) => {
      values.push(value)
      if (c < row.length - 1) parts.push(', ')
    })
    parts.push(r < rows.length - 1 ? '), (' : `)${suffix}`)
  })
  return db.$executeRaw(template(parts), ...values)
}

/** `DELETE FROM "<table>" WHERE "<column>" IN (…)` as a lazy statement (values must not be empty). */
function deleteWhereIn(
  db: LedgerTx | LedgerDb,
  table: string,
  column: string,
  values: readonly unknown[],
): Statement {
  const parts = [`DELETE FROM ${table} WHERE "${column}" IN (`, ...values.slice(1).map(() => ', '), ')']
  return db.$executeRaw(template(parts), ...values)
}

/** True when a row with `column = value` exists in `table`. */
async function rowExistsIn(
  db: LedgerTx | LedgerDb,
  table: string,
  column: string,
  value: unknown,
): Promise<boolean> {
  const rows = (await db.$queryRaw(
    template([`SELECT 1 AS "found" FROM ${table} WHERE "${column}" = `, ' LIMIT 1']),
    value,
  )) as unknown[]
  return rows.length > 0
}

/** The values of `column` among `values` that exist in `table` (one statement). */
async function selectExistingIn(
  db: LedgerTx | LedgerDb,
  table: string,
  column: string,
  values: readonly string[],
): Promise<string[]> {
  if (values.length === 0) return []
  const parts = [
    `SELECT "${column}" AS "value" FROM ${table} WHERE "${column}" IN (`,
    ...values.slice(1).map(() => ', '),
    ')',
  ]
  const rows = (await db.$queryRaw(template(parts), ...values)) as { value: string }[]
  return rows.map((row) => row.value)
}

/**
 * Raw statements for one database: tables are qualified with the PostgreSQL schema (raw queries
 * bypass the client's schema setting); on SQLite they are plain.
 */
export class RawSql {
  private readonly waiting = new Map<
    string,
    {
      db: LedgerTx | LedgerDb
      table: string
      column: string
      values: Map<string, ((found: boolean) => void)[]>
      fail: ((e: unknown) => void)[]
    }
  >()
  constructor(private readonly schema?: string) {}

  /**
   * Existence check batched with the other checks of the same tick into one `IN (…)` query
   * (many concurrent build calls share a statement).
   */
  exists(db: LedgerTx | LedgerDb, table: string, column: string, value: string): Promise<boolean> {
    const key = `${table}.${column}`
    let group = this.waiting.get(key)
    if (!group || group.db !== db) {
      if (group) this.flushGroup(key)
      group = { db, table, column, values: new Map(), fail: [] }
      this.waiting.set(key, group)
      setImmediate(() => this.flushGroup(key))
    }
    const current = group
    return new Promise<boolean>((resolve, reject) => {
      const list = current.values.get(value) ?? []
      list.push(resolve)
      current.values.set(value, list)
      current.fail.push(reject)
    })
  }

  private flushGroup(key: string): void {
    const group = this.waiting.get(key)
    if (!group) return
    this.waiting.delete(key)
    const values = [...group.values.keys()]
    void (async () => {
      try {
        const found = new Set<string>()
        for (let i = 0; i < values.length; i += 200) {
          for (const value of await this.selectExisting(
            group.db,
            group.table,
            group.column,
            values.slice(i, i + 200),
          ))
            found.add(value)
        }
        for (const [value, resolvers] of group.values)
          for (const resolve of resolvers) resolve(found.has(value))
      } catch (error) {
        for (const reject of group.fail) reject(error)
      }
    })()
  }
  private table(name: string): string {
    return this.schema ? `"${this.schema}"."${name}"` : `"${name}"`
  }
  async insertRows(
    db: LedgerTx | LedgerDb,
    table: string,
    columns: readonly string[],
    rows: readonly unknown[][],
    suffix = '',
  ): Promise<void> {
    if (rows.length > 0) await insertRowsIn(db, this.table(table), columns, rows, suffix)
  }
  /** The same INSERT as a lazy statement for a batch transaction (rows must not be empty). */
  insertStatement(
    db: LedgerTx | LedgerDb,
    table: string,
    columns: readonly string[],
    rows: readonly unknown[][],
    suffix = '',
  ): Statement {
    return insertRowsIn(db, this.table(table), columns, rows, suffix)
  }
  /** A lazy DELETE of the rows whose `column` is one of `values` (must not be empty). */
  deleteStatement(
    db: LedgerTx | LedgerDb,
    table: string,
    column: string,
    values: readonly unknown[],
  ): Statement {
    return deleteWhereIn(db, this.table(table), column, values)
  }
  rowExists(db: LedgerTx | LedgerDb, table: string, column: string, value: unknown): Promise<boolean> {
    return rowExistsIn(db, this.table(table), column, value)
  }
  selectExisting(
    db: LedgerTx | LedgerDb,
    table: string,
    column: string,
    values: readonly string[],
  ): Promise<string[]> {
    return selectExistingIn(db, this.table(table), column, values)
  }
}
