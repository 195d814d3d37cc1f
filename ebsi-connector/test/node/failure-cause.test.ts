import { createDb, type Db, parseDatabaseUrl } from '@flora/db'
import { type TestDatabase, tempPostgresDatabase, tempSqliteDatabase } from '@flora/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isDatabaseFault, revertReasonOf } from '../../src/node/chain/failure-cause.ts'
import { InvalidTransaction, Revert } from '../../src/node/errors.ts'

/**
 * Whose fault is a failed block? The database's (the block waits) or its transactions' (isolated,
 * then reverted). The errors below come from real databases through Prisma, except the transport
 * failures, which are described as the drivers report them.
 */

async function failureOf(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run()
  } catch (error) {
    return error
  }
  throw new Error('expected the statement to fail')
}

const backends: [string, () => Promise<TestDatabase>][] = [
  ['SQLite', async () => tempSqliteDatabase()],
  ['PostgreSQL', () => tempPostgresDatabase()],
]

describe.each(backends)('block failures from %s', (name, makeDatabase) => {
  let database: TestDatabase
  let db: Db<'ledger'>
  let table: (name: string) => string
  beforeAll(async () => {
    database = await makeDatabase()
    db = await createDb({ service: 'ledger', url: database.url })
    const schema = parseDatabaseUrl('ledger', database.url).schema
    table = (t) => (schema ? `"${schema}"."${t}"` : `"${t}"`)
  })
  afterAll(async () => {
    await db?.close()
    await database?.dispose()
  })

  it('blames the transactions for what their data causes', async () => {
    const client = db.client
    // the review's case: a decoded uint256 handed to an Int column
    const validation = await failureOf(() =>
      client.tsHashAlgorithm.findUnique({ where: { hashAlgorithmId: 2 ** 100 } }),
    )
    expect((validation as Error).name).toBe('PrismaClientValidationError')
    expect(isDatabaseFault(validation)).toBe(false)

    const row = { outputLengthBits: 256, ianaName: 'x', oid: 'x', status: 'x', multihash: 'x' }
    await client.tsHashAlgorithm.create({ data: { hashAlgorithmId: 77, ...row } })
    const unique = await failureOf(() =>
      client.tsHashAlgorithm.create({ data: { hashAlgorithmId: 77, ...row } }),
    )
    expect((unique as { code?: string }).code).toBe('P2002')
    expect(isDatabaseFault(unique)).toBe(false)

    const notNull = await failureOf(() =>
      client.$executeRawUnsafe(`INSERT INTO ${table('TsHashAlgorithm')} ("hashAlgorithmId") VALUES (78)`),
    )
    expect(isDatabaseFault(notNull)).toBe(false)

    if (name === 'PostgreSQL') {
      // an Int column is 32 bits on PostgreSQL: a larger safe integer passes Prisma, not the database
      const outOfRange = await failureOf(() =>
        client.tsHashAlgorithm.create({ data: { hashAlgorithmId: 2 ** 40, ...row } }),
      )
      expect((outOfRange as { code?: string }).code).toBe('P2020')
      expect(isDatabaseFault(outOfRange)).toBe(false)
    }
  })

  it('blames the database when it cannot serve any block (a table is missing)', async () => {
    const scratch = await makeDatabase()
    const broken = await createDb({ service: 'ledger', url: scratch.url })
    try {
      const schema = parseDatabaseUrl('ledger', scratch.url).schema
      const qualified = schema ? `"${schema}"."TsTimestamp"` : '"TsTimestamp"'
      await broken.client.$executeRawUnsafe(`DROP TABLE ${qualified}`)
      const model = await failureOf(() => broken.client.tsTimestamp.findFirst())
      expect(isDatabaseFault(model)).toBe(true)
      const raw = await failureOf(() => broken.client.$queryRawUnsafe(`SELECT 1 FROM ${qualified}`))
      expect(isDatabaseFault(raw)).toBe(true)
    } finally {
      await broken.close()
      await scratch.dispose()
    }
  })
})

describe('block failures of the transport and of the node itself', () => {
  it('blames the database when it cannot be reached', async () => {
    const down = await createDb({
      service: 'ledger',
      url: 'postgres://postgres@127.0.0.1:1/test?schema=unreachable&connect_timeout=2',
      migrate: false,
    })
    try {
      const error = await failureOf(() => down.client.tsTimestamp.findFirst())
      expect(isDatabaseFault(error)).toBe(true)
    } finally {
      await down.close()
    }
    // as node-postgres and the system report a dropped connection (no Prisma code)
    expect(isDatabaseFault(new Error('Connection terminated unexpectedly'))).toBe(true)
    expect(isDatabaseFault(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBe(true)
    expect(isDatabaseFault(Object.assign(new Error('deadlock detected'), { code: 'P2034' }))).toBe(true)
  })

  it('judges a coded or typed error by its codes, never by text that can quote a transaction', () => {
    const quoting = Object.assign(new Error('Raw query failed: invalid input "connection terminated"'), {
      code: 'P2010',
      meta: { driverAdapterError: { cause: { kind: 'postgres', originalCode: '22P02' } } },
    })
    expect(isDatabaseFault(quoting)).toBe(false)
    const revert = new Revert('"proxyData.prefix" connection closed')
    expect(isDatabaseFault(revert)).toBe(false)
    expect(revertReasonOf(revert)).toBe('"proxyData.prefix" connection closed')
    expect(isDatabaseFault(new TypeError('Cannot read properties of undefined'))).toBe(false)
    // a typed error caused by an unreachable database is the database's, and no revert reason
    const wrapped = new InvalidTransaction('lookup failed', {
      cause: Object.assign(new Error("Can't reach database server"), { code: 'P1001' }),
    })
    expect(isDatabaseFault(wrapped)).toBe(true)
    expect(revertReasonOf(wrapped)).toBeUndefined()
  })
})
