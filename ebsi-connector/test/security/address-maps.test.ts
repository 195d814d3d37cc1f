import { randomBytes } from 'node:crypto'
import { type TestDatabase, tempPostgresDatabase, tempSqliteDatabase } from '@flora/db/testing'
import { Wallet } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateDidEbsi } from '../../src/core/index.ts'
import type { LedgerNode } from '../../src/node/server.ts'
import { LedgerTestClient } from '../node/helpers/ledger-client.ts'
import { newOperator, startNode, testConfig } from '../node/helpers/node-under-test.ts'

const CACHE_ENTRIES = 16
const CALLERS = 200

const randomHash = () => `0x${randomBytes(32).toString('hex')}`
const randomAddress = () => Wallet.createRandom().address

const backends: [string, () => Promise<TestDatabase>][] = [
  ['SQLite', async () => tempSqliteDatabase()],
  ['PostgreSQL', () => tempPostgresDatabase()],
]

describe.each(backends)(
  'in-memory maps keyed by what a caller chooses stay bounded on %s',
  (_name, makeDatabase) => {
    const operator = newOperator()
    let database: TestDatabase
    let node: LedgerNode
    let client: LedgerTestClient

    beforeAll(async () => {
      database = await makeDatabase()
      const started = await startNode(testConfig(database.url, operator, { cacheEntries: CACHE_ENTRIES }))
      node = started.node
      client = new LedgerTestClient(started.url)
    })
    afterAll(async () => {
      await node?.close()
      await database?.dispose()
    })

    /** One timestamp write of the operator: build, sign, send, receipt 0x1. */
    const writeOnce = () =>
      client.writeOk(
        operator,
        'timestamp/v4',
        'timestampHashes',
        { hashAlgorithmIds: [0], hashValues: [randomHash()] },
        token,
      )
    let token: string

    it('the account-nonce and TPR maps do not grow past their bound with distinct `from` addresses', async () => {
      token = await client.token(operator, 'timestamp_write')
      await writeOnce()
      for (let i = 0; i < CALLERS; i++) {
        const unsigned = await client.build(
          'timestamp/v4',
          'timestampHashes',
          { from: randomAddress(), hashAlgorithmIds: [0], hashValues: [randomHash()] },
          token,
        )
        expect(unsigned.nonce).toBe('0x0')
      }
      expect(node.ctx.nonces.size).toBeLessThanOrEqual(CACHE_ENTRIES)
      expect(node.ctx.tpr.size).toBeLessThanOrEqual(CACHE_ENTRIES)
      // The operator's own account was pushed out of the memo: its next nonce still comes right.
      await writeOnce()
      const unsigned = await client.build(
        'timestamp/v4',
        'timestampHashes',
        { from: operator.address, hashAlgorithmIds: [0], hashValues: [randomHash()] },
        token,
      )
      expect(Number(unsigned.nonce)).toBe(2)
    })

    it('the DID map does not grow past its bound with distinct DIDs asked for', async () => {
      for (let i = 0; i < CALLERS; i++) {
        const answer = await client.get(`/did-registry/v5/identifiers/${generateDidEbsi()}`)
        expect(answer.status).toBe(404)
      }
      expect(node.ctx.dids.size).toBeLessThanOrEqual(CACHE_ENTRIES)
      expect((await client.get(`/did-registry/v5/identifiers/${operator.did}`)).status).toBe(200)
    })
  },
)
