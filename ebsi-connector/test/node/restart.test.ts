import { randomBytes } from 'node:crypto'
import { createDb } from '@flora/db'
import { type TestDatabase, tempPostgresDatabase, tempSqliteDatabase } from '@flora/db/testing'
import { describe, expect, it } from 'vitest'
import { schemaIdOf, timestampIdOf, utf8ToHex } from '../../src/core/index.ts'
import { pinFileOf, readPin } from '../../src/node/chain/node-key-pin.ts'
import { verifyChain } from '../../src/node/chain/verify-chain.ts'
import { ChainTampered } from '../../src/node/errors.ts'
import { LedgerTestClient } from './helpers/ledger-client.ts'
import { newOperator, startNode, testConfig } from './helpers/node-under-test.ts'
import { bootstrapTrustChain } from './helpers/trust-chain.ts'

const backends: [string, () => Promise<TestDatabase>][] = [
  ['SQLite', async () => tempSqliteDatabase()],
  ['PostgreSQL', () => tempPostgresDatabase()],
]

describe.each(backends)('restart persistence on %s', (_name, makeDatabase) => {
  it('keeps DIDs, attributes, schemas, timestamps and blocks; re-verifies; detects a tampered block', async () => {
    const database = await makeDatabase()
    const operator = newOperator()
    const config = testConfig(database.url, operator, { keyEncryptionKey: randomBytes(32) })
    try {
      let { node, url } = await startNode(config)
      let client = new LedgerTestClient(url)
      const chain = await bootstrapTrustChain(client, operator)
      const schema = { title: 'persisted', type: 'object' }
      const schemaId = schemaIdOf(schema)
      await client.writeOk(
        operator,
        'trusted-schemas-registry/v3',
        'insertSchema',
        { schemaId: schemaId.hex, schema: utf8ToHex(JSON.stringify(schema)), metadata: utf8ToHex('{}') },
        await client.token(operator, 'tsr_write'),
      )
      const hash = `0x${randomBytes(32).toString('hex')}`
      await client.writeOk(
        chain.ti,
        'timestamp/v4',
        'timestampHashes',
        { hashAlgorithmIds: [0], hashValues: [hash] },
        await client.token(chain.ti, 'timestamp_write'),
      )
      const before = {
        did: (await client.get(`/did-registry/v5/identifiers/${chain.ti.did}`)).body,
        attribute: (
          await client.get(
            `/trusted-issuers-registry/v5/issuers/${chain.ti.did}/attributes/${chain.tiAttributeId}`,
          )
        ).body,
        head: (
          await client.post('/ledger/v4/blockchains/besu', {
            jsonrpc: '2.0',
            method: 'eth_getBlockByNumber',
            params: ['latest', false],
            id: 1,
          })
        ).body.result,
      }
      await node.close()

      ;({ node, url } = await startNode(config))
      client = new LedgerTestClient(url)
      expect((await client.get(`/did-registry/v5/identifiers/${chain.ti.did}`)).body).toEqual(before.did)
      expect(
        (
          await client.get(
            `/trusted-issuers-registry/v5/issuers/${chain.ti.did}/attributes/${chain.tiAttributeId}`,
          )
        ).body,
      ).toEqual(before.attribute)
      expect((await client.get(`/trusted-schemas-registry/v3/schemas/${schemaId.multibase}`)).body).toEqual(
        schema,
      )
      expect((await client.get(`/timestamp/v4/timestamps/${timestampIdOf(hash)}`)).status).toBe(200)
      const head = (
        await client.post('/ledger/v4/blockchains/besu', {
          jsonrpc: '2.0',
          method: 'eth_getBlockByNumber',
          params: ['latest', false],
          id: 1,
        })
      ).body.result
      expect(head).toEqual(before.head)
      // the restarted node keeps writing on the same chain (same node key, same nonces)
      await client.writeOk(
        chain.ti,
        'timestamp/v4',
        'timestampHashes',
        { hashAlgorithmIds: [0], hashValues: [`0x${randomBytes(32).toString('hex')}`] },
        await client.token(chain.ti, 'timestamp_write'),
      )
      await node.close()

      const db = await createDb({ service: 'ledger', url: database.url })
      const pinned = readPin({ file: pinFileOf(config.dataDir) })
      if (!pinned) throw new Error('the node did not pin its key')
      try {
        const verified = await verifyChain(db.client, pinned)
        expect(verified.blocks).toBe(Number(head.number) + 2)
        const victim = await db.client.ledgerTransaction.findFirstOrThrow({
          where: { method: 'setAttributeData' },
        })
        await db.client.ledgerTransaction.update({ where: { hash: victim.hash }, data: { status: 0 } })
        await expect(verifyChain(db.client, pinned)).rejects.toThrow(ChainTampered)
        await db.client.ledgerTransaction.update({ where: { hash: victim.hash }, data: { status: 1 } })
        await verifyChain(db.client, pinned)
        const block = await db.client.ledgerBlock.findUniqueOrThrow({ where: { number: 2 } })
        await db.client.ledgerBlock.update({ where: { number: 2 }, data: { timestamp: block.timestamp + 1 } })
        await expect(verifyChain(db.client, pinned)).rejects.toThrow(/block 2/)
      } finally {
        await db.close()
      }
      await expect(startNode(config)).rejects.toThrow(ChainTampered)
    } finally {
      await database.dispose()
    }
  }, 60_000)
})
