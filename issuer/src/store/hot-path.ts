/**
 * Set-wise SQL for the two hot writes (recording offers, committing issued credentials). Prisma's
 * query compiler costs more per statement than SQLite does to run it, so group commits use
 * `$executeRawUnsafe` with multi-row statements written in the subset of SQL that SQLite and
 * PostgreSQL share (quoted identifiers, multi-row VALUES, CASE). Everything else uses the Prisma API.
 */

/** The database a set-wise statement runs on: its provider and (PostgreSQL) the service's schema. */
export interface SqlTarget {
  provider: 'sqlite' | 'postgresql'
  schema?: string
}

export const qualified = (target: SqlTarget, name: string) =>
  target.provider === 'postgresql' && target.schema ? `"${target.schema}"."${name}"` : `"${name}"`

interface RawDb {
  $executeRawUnsafe(query: string, ...values: unknown[]): PromiseLike<number>
}

/** A multi-row INSERT with the placeholders of the provider. */
export async function insertRows(
  db: RawDb,
  target: SqlTarget,
  tableName: string,
  columns: string[],
  rows: unknown[][],
): Promise<number> {
  if (rows.length === 0) return 0
  let n = 0
  const placeholder = () => (target.provider === 'postgresql' ? `$${++n}` : '?')
  const values = rows.map((row) => {
    if (row.length !== columns.length) throw new TypeError('row and columns differ in length')
    return `(${row.map(placeholder).join(', ')})`
  })
  const sql = `INSERT INTO ${qualified(target, tableName)} (${columns.map((c) => `"${c}"`).join(', ')}) VALUES ${values.join(', ')}`
  return db.$executeRawUnsafe(sql, ...rows.flat())
}

/**
 * `UPDATE table SET col = CASE key WHEN … THEN … END, … WHERE key IN (…) AND <guard>` for rows that
 * each set their own values. Returns the number of rows changed (the caller checks it).
 */
/** SQL types of the columns a set-wise UPDATE writes (PostgreSQL needs them inside CASE). */
export type ColumnType = 'text' | 'integer' | 'boolean' | 'timestamp'
const pgType: Record<ColumnType, string> = {
  text: 'text',
  integer: 'integer',
  boolean: 'boolean',
  timestamp: 'timestamp(3)',
}

export async function updateRows(
  db: RawDb,
  target: SqlTarget,
  tableName: string,
  key: string,
  columns: [string, ColumnType][],
  rows: { key: string; values: unknown[]; guard?: { column: string; value: unknown } }[],
  sharedGuard?: { column: string; value: unknown },
): Promise<number> {
  if (rows.length === 0) return 0
  let n = 0
  const params: unknown[] = []
  const p = (value: unknown) => {
    params.push(value)
    return target.provider === 'postgresql' ? `$${++n}` : '?'
  }
  const cast = (sql: string, type: ColumnType) =>
    target.provider === 'postgresql' ? `CAST(${sql} AS ${pgType[type]})` : sql
  const sets = columns.map(
    ([column, type], i) =>
      `"${column}" = CASE "${key}" ${rows.map((row) => `WHEN ${p(row.key)} THEN ${cast(p(row.values[i]), type)}`).join(' ')} ELSE "${column}" END`,
  )
  const where = rows
    .map((row) =>
      row.guard
        ? `("${key}" = ${p(row.key)} AND "${row.guard.column}" = ${cast(p(row.guard.value), 'integer')})`
        : `"${key}" = ${p(row.key)}`,
    )
    .join(' OR ')
  const guard = sharedGuard ? ` AND "${sharedGuard.column}" = ${p(sharedGuard.value)}` : ''
  return db.$executeRawUnsafe(
    `UPDATE ${qualified(target, tableName)} SET ${sets.join(', ')} WHERE (${where})${guard}`,
    ...params,
  )
}

/**
 * `UPDATE table SET counter = counter + 1 WHERE id = ? AND counter < limit`: check and count in one
 * statement, so concurrent callers (any connection, any process) never count past the limit. On
 * PostgreSQL a second UPDATE of the row waits for the first and re-checks the condition on the
 * row it committed. Returns the number of rows changed (1: counted, 0: at the limit or no row).
 */
export function countBelow(
  db: RawDb,
  target: SqlTarget,
  tableName: string,
  counter: string,
  id: string,
  limit: number,
): PromiseLike<number> {
  const [a, b] = target.provider === 'postgresql' ? ['$1', '$2'] : ['?', '?']
  return db.$executeRawUnsafe(
    `UPDATE ${qualified(target, tableName)} SET "${counter}" = "${counter}" + 1 WHERE "id" = ${a} AND "${counter}" < ${b}`,
    id,
    limit,
  )
}
