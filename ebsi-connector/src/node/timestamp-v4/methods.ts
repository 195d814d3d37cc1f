import { z } from 'zod'
import { hexToBytes, timestampIdOf } from '../../core/index.ts'
import { bytesListArg, uintListArg } from '../chain/call-args.ts'
import type { ExecutionEnv, RegistryMethod } from '../chain/execution.ts'
import type { BuildMethod, RegistryRpc } from '../chain/registry-rpc.ts'
import { Revert } from '../errors.ts'
import { addressParam, hexBytesParam } from '../http/params.ts'
import type { RawSql } from '../state/raw-sql.ts'
import type { LedgerDb, LedgerTx } from '../types.ts'

type Args = Record<string, unknown>

/** Hashes per timestampHashes call. */
const MAX_HASHES = 3
/** Hash algorithm ids a call may name (the registered ones are far below). */
const MAX_HASH_ALGORITHM_ID = 1000

const timestampParams = z
  .object({
    from: addressParam,
    hashAlgorithmIds: z.array(z.number().int().min(0).max(MAX_HASH_ALGORITHM_ID)).min(1).max(MAX_HASHES),
    hashValues: z.array(hexBytesParam).min(1).max(MAX_HASHES),
    timestampData: z.union([z.array(hexBytesParam).max(MAX_HASHES), hexBytesParam]).optional(),
  })
  .refine(
    (p) => p.hashAlgorithmIds.length === p.hashValues.length,
    'hashAlgorithmIds and hashValues must have the same length',
  )
  .transform((p) => {
    const data =
      p.timestampData === undefined
        ? []
        : Array.isArray(p.timestampData)
          ? p.timestampData
          : [p.timestampData]
    return { ...p, timestampData: p.hashValues.map((_, i) => data[i] ?? data[0] ?? '0x') }
  })

const builders: Record<string, BuildMethod> = {
  timestampHashes: { params: timestampParams, toArgs: (p: Args) => p },
}

/** The arguments of a timestampHashes call, typed and bounded. @throws Revert */
function callOf(args: Args): { algorithms: number[]; values: string[]; data: string[] } {
  const algorithms = uintListArg(args, 'hashAlgorithmIds', { max: MAX_HASH_ALGORITHM_ID, maxItems: MAX_HASHES })
  const values = bytesListArg(args, 'hashValues', { maxItems: MAX_HASHES })
  const data = bytesListArg(args, 'timestampData', { maxItems: MAX_HASHES })
  if (algorithms.length === 0 || algorithms.length !== values.length)
    throw new Revert('between 1 and 3 hashes, each with its algorithm')
  if (data.length > values.length) throw new Revert('at most one "timestampData" per hash')
  const seen = new Set<string>()
  for (const value of values) {
    const id = timestampIdOf(value)
    if (seen.has(id)) throw new Revert(`hash ${value} is already timestamped`)
    seen.add(id)
  }
  return { algorithms, values, data }
}

/** Each hash must be as long as its (registered) algorithm's output. @throws Revert */
async function checkAlgorithms(db: LedgerTx | LedgerDb, args: Args): Promise<void> {
  const { algorithms, values } = callOf(args)
  for (const [index, value] of values.entries()) {
    const algorithm = await hashAlgorithm(db, algorithms[index] as number)
    if (!algorithm) throw new Revert(`unknown hash algorithm ${algorithms[index]}`)
    if (hexToBytes(value).length * 8 !== algorithm.outputLengthBits)
      throw new Revert(`hash ${index} does not have ${algorithm.outputLengthBits} bits`)
  }
}

/** Hash algorithms are written at genesis only: cached per database client. */
const algorithmCache = new WeakMap<object, Map<number, { outputLengthBits: number } | null>>()
async function hashAlgorithm(db: LedgerTx | LedgerDb, id: number) {
  let cache = algorithmCache.get(db)
  if (!cache) {
    cache = new Map()
    algorithmCache.set(db, cache)
  }
  if (!cache.has(id)) cache.set(id, await db.tsHashAlgorithm.findUnique({ where: { hashAlgorithmId: id } }))
  return cache.get(id) ?? null
}

/** timestampHashes: at most 3 hashes per tx, each of its algorithm's length, each timestamped once. */
const timestampHashes: RegistryMethod = {
  scopes: ['timestamp_write'],
  validate(args) {
    callOf(args)
  },
  async check(db, { args }, env) {
    await checkAlgorithms(db, args)
    for (const value of callOf(args).values) {
      if (await env.sql.exists(db, 'TsTimestamp', 'timestampId', timestampIdOf(value)))
        throw new Revert(`hash ${value} is already timestamped`)
    }
  },
  async apply(tx, { args }, env) {
    const rows = rowsOf(args, env)
    await env.sql.insertRows(tx, 'TsTimestamp', COLUMNS, rows)
    env.journal?.insertedRows('TsTimestamp', COLUMNS, rows)
  },
}

/** Rows of one successful timestampHashes call. */
function rowsOf(args: Args, env: ExecutionEnv): unknown[][] {
  const { algorithms, values, data } = callOf(args)
  return values.map((value, index) => [
    timestampIdOf(value),
    value.toLowerCase(),
    algorithms[index] as number,
    env.from,
    env.blockNumber,
    env.now,
    env.txHash,
    data[index] ?? '0x',
  ])
}

const COLUMNS = [
  'timestampId',
  'hash',
  'hashAlgorithmId',
  'timestampedBy',
  'blockNumber',
  'timestamp',
  'transactionHash',
  'data',
] as const

/**
 * A run of timestampHashes calls with one select and one insert: the same rules as check+apply
 * one by one (an earlier call in the block wins a duplicate hash).
 */
timestampHashes.prepare = async (db, items, overlay) => {
  const sql = items[0]?.env.sql
  if (!sql) return { reasons: [], statements: [] }
  const ids = items.flatMap(({ call }) => idsOf(call.args))
  const taken = (overlay.get('timestampIds') as Set<string> | undefined) ?? new Set<string>()
  overlay.set('timestampIds', taken)
  for (const id of await existingIds(sql, db, ids)) taken.add(id)
  const rows: unknown[][] = []
  const reasons: (string | null)[] = []
  for (const { call, env } of items) {
    let reason: string | null = null
    try {
      await checkAlgorithms(db, call.args)
      for (const value of callOf(call.args).values) {
        if (taken.has(timestampIdOf(value))) throw new Revert(`hash ${value} is already timestamped`)
      }
    } catch (error) {
      if (!(error instanceof Revert)) throw error
      reason = error.message
    }
    if (reason === null) {
      const own = rowsOf(call.args, env)
      for (const row of own) taken.add(row[0] as string)
      rows.push(...own)
      env.journal?.insertedRows('TsTimestamp', COLUMNS, own)
    }
    reasons.push(reason)
  }
  const statements = []
  for (let i = 0; i < rows.length; i += 100)
    statements.push(sql.insertStatement(db, 'TsTimestamp', COLUMNS, rows.slice(i, i + 100)))
  return { reasons, statements }
}

/** The timestamp ids a call would write (none when its arguments are invalid: it reverts). */
function idsOf(args: Args): string[] {
  try {
    return callOf(args).values.map((value) => timestampIdOf(value))
  } catch (error) {
    if (error instanceof Revert) return []
    throw error
  }
}

async function existingIds(sql: RawSql, tx: LedgerTx | LedgerDb, ids: string[]): Promise<Set<string>> {
  const found = new Set<string>()
  for (let i = 0; i < ids.length; i += 200) {
    for (const id of await sql.selectExisting(tx, 'TsTimestamp', 'timestampId', ids.slice(i, i + 200)))
      found.add(id)
  }
  return found
}

/** The Timestamp v4 JSON-RPC surface. */
export const timestampRpc: RegistryRpc = { registry: 'timestamp', builders, methods: { timestampHashes } }
