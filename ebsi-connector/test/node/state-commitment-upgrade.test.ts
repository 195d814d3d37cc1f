import { randomBytes } from 'node:crypto'
import { existsSync, rmSync } from 'node:fs'
import { createDb } from '@flora/db'
import { type TestDatabase, tempPostgresDatabase, tempSqliteDatabase } from '@flora/db/testing'
import { describe, expect, it } from 'vitest'
import { blockHashOf, headerOf, ZERO_HASH } from '../../src/node/chain/block-header.ts'
import { loadNodeKey } from '../../src/node/chain/node-key.ts'
import { pinFileOf } from '../../src/node/chain/node-key-pin.ts'
import { StateTampered } from '../../src/node/errors.ts'
import { LedgerTestClient } from './helpers/ledger-client.ts'
import { newOperator, startNode, testConfig } from './helpers/node-under-test.ts'
import { bootstrapTrustChain } from './helpers/trust-chain.ts'

const backends: [string, () => Promise<TestDatabase>][] = [
  ['SQLite', async () => tempSqliteDatabase()],
  ['PostgreSQL', () => tempPostgresDatabase()],
]

/**
 * A chain written by a version without state commitments (blocks hashed without `stateRoot`, no
 * pin file) keeps verifying; its first start on this version pins the node key and writes a block
 * that commits to the registry tables as they are, from which on edits are refused.
 */
describe.each(backends)('upgrading a chain from before state commitments on %s', (_name, makeDatabase) => {
  it('pins the key, commits the existing state in a new block, then refuses edits', async () => {
    const database = await makeDatabase()
    const operator = newOperator()
    const config = testConfig(database.url, operator, {
      keyEncryptionKey: randomBytes(32),
      dataDir: database.dataDir,
    })
    try {
      let { node, url } = await startNode(config)
      const chain = await bootstrapTrustChain(new LedgerTestClient(url), operator)
      await node.close()

      // rewrite the chain as the earlier version left it: no state roots, no pin file
      const db = await createDb({ service: 'ledger', url: database.url })
      let legacyHead: number
      try {
        const key = await loadNodeKey(db.client, config.keyEncryptionKey)
        const blocks = await db.client.ledgerBlock.findMany({ orderBy: { number: 'asc' } })
        let parentHash = ZERO_HASH
        for (const block of blocks) {
          const header = { ...headerOf(block), parentHash, stateRoot: '' }
          const hash = blockHashOf(header)
          await db.client.ledgerBlock.update({
            where: { number: block.number },
            data: { ...header, hash, signature: key.sign(Buffer.from(hash.slice(2), 'hex')) },
          })
          parentHash = hash
        }
        legacyHead = blocks.length - 1
      } finally {
        await db.close()
      }
      rmSync(pinFileOf(database.dataDir))

      ;({ node } = await startNode(config))
      await node.close()
      expect(existsSync(pinFileOf(database.dataDir))).toBe(true)
      const after = await createDb({ service: 'ledger', url: database.url })
      try {
        const anchor = await after.client.ledgerBlock.findFirstOrThrow({ orderBy: { number: 'desc' } })
        expect(anchor.number).toBe(legacyHead + 1)
        expect(anchor.txCount).toBe(0)
        expect(anchor.stateRoot).toMatch(/^0x[0-9a-f]{64}$/)
        const attribute = await after.client.tirAttribute.findFirstOrThrow({ where: { did: chain.ti.did } })
        await after.client.tirAttribute.update({
          where: { did_attributeId: { did: attribute.did, attributeId: attribute.attributeId } },
          data: { issuerType: 1 },
        })
      } finally {
        await after.close()
      }
      await expect(startNode(config)).rejects.toThrow(StateTampered)
    } finally {
      await database.dispose()
    }
  }, 120_000)
})
