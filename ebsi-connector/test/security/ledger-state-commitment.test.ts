import { generateKeyPairSync, randomBytes, sign } from 'node:crypto'
import { createDb, type Db } from '@flora/db'
import { type TestDatabase, tempPostgresDatabase, tempSqliteDatabase } from '@flora/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ethereumAddressFromPublicKey,
  jwkThumbprint,
  secp256k1PublicKeyToJwk,
  timestampIdOf,
} from '../../src/core/index.ts'
import { blockHashOf } from '../../src/node/chain/block-header.ts'
import type { LedgerConfig } from '../../src/node/config.ts'
import { ChainTampered } from '../../src/node/errors.ts'
import { Actor } from '../node/helpers/actor.ts'
import { LedgerTestClient } from '../node/helpers/ledger-client.ts'
import { newOperator, startNode, testConfig } from '../node/helpers/node-under-test.ts'
import { bootstrapTrustChain, type TrustChain } from '../node/helpers/trust-chain.ts'

/**
 * Issue 18 item 5: whoever can edit the ledger's tables must not be able to change the registry
 * state or re-sign blocks undetected. Before the fix blocks committed only to transactions and
 * receipts (a DID document, TIR attribute, timestamp or account nonce edited by SQL went
 * unnoticed), and the start-up check trusted every node key found in the database it was checking
 * (a block re-signed with a key the attacker added verified).
 */

const backends: [string, () => Promise<TestDatabase>][] = [
  ['SQLite', async () => tempSqliteDatabase()],
  ['PostgreSQL', () => tempPostgresDatabase()],
]

type LedgerClient = Db<'ledger'>['client']

describe.each(backends)('start-up refuses an edited ledger on %s', (_name, makeDatabase) => {
  let database: TestDatabase
  let config: LedgerConfig
  let chain: TrustChain

  beforeAll(async () => {
    database = await makeDatabase()
    const operator = newOperator()
    config = testConfig(database.url, operator, {
      keyEncryptionKey: randomBytes(32),
      dataDir: database.dataDir,
    })
    const { node, url } = await startNode(config)
    try {
      const client = new LedgerTestClient(url)
      chain = await bootstrapTrustChain(client, operator)
      await client.writeOk(
        chain.ti,
        'timestamp/v4',
        'timestampHashes',
        { hashAlgorithmIds: [0], hashValues: [`0x${randomBytes(32).toString('hex')}`] },
        await client.token(chain.ti, 'timestamp_write'),
      )
    } finally {
      await node.close()
    }
  }, 120_000)
  afterAll(async () => {
    await database?.dispose()
  })

  /** Applies `tamper` by SQL, expects the node to refuse to start, undoes it, expects a clean start. */
  async function refusedWhile(
    tamper: (db: LedgerClient) => Promise<(restore: LedgerClient) => Promise<void>>,
    why: RegExp,
  ) {
    const db = await createDb({ service: 'ledger', url: database.url })
    let undo: (restore: LedgerClient) => Promise<void>
    try {
      undo = await tamper(db.client)
    } finally {
      await db.close()
    }
    const refused = await startNode(config).then(
      async ({ node }) => {
        await node.close()
        return undefined
      },
      (error: unknown) => error,
    )
    expect(refused, 'the node started on an edited ledger').toBeInstanceOf(ChainTampered)
    expect((refused as Error).message).toMatch(why)
    const again = await createDb({ service: 'ledger', url: database.url })
    try {
      await undo(again.client)
    } finally {
      await again.close()
    }
    const { node } = await startNode(config)
    await node.close()
  }

  it('refuses a DID document whose key was replaced by SQL', async () => {
    const attacker = new Actor('attacker')
    const attackerJwk = secp256k1PublicKeyToJwk(attacker.wallet.signingKey.publicKey)
    await refusedWhile(async (db) => {
      const method = await db.didVerificationMethod.findFirstOrThrow({
        where: { did: chain.ti.did, isSecp256k1: true },
      })
      const version = await db.didDocumentVersion.findFirstOrThrow({
        where: { did: chain.ti.did },
        orderBy: { version: 'desc' },
      })
      await db.didVerificationMethod.update({
        where: { did_vMethodId: { did: method.did, vMethodId: method.vMethodId } },
        data: {
          publicKeyJwk: JSON.stringify(attackerJwk),
          ethereumAddress: ethereumAddressFromPublicKey(attacker.wallet.signingKey.publicKey),
        },
      })
      await db.didDocumentVersion.update({
        where: { did_version: { did: version.did, version: version.version } },
        data: {
          state: version.state.replace(
            JSON.stringify(JSON.parse(method.publicKeyJwk)),
            JSON.stringify(attackerJwk),
          ),
        },
      })
      return async (restore: LedgerClient) => {
        await restore.didVerificationMethod.update({
          where: { did_vMethodId: { did: method.did, vMethodId: method.vMethodId } },
          data: { publicKeyJwk: method.publicKeyJwk, ethereumAddress: method.ethereumAddress },
        })
        await restore.didDocumentVersion.update({
          where: { did_version: { did: version.did, version: version.version } },
          data: { state: version.state },
        })
      }
    }, /state/)
  })

  it('refuses a TIR attribute raised to Root TAO by SQL', async () => {
    await refusedWhile(async (db) => {
      const attribute = await db.tirAttribute.findFirstOrThrow({ where: { did: chain.ti.did } })
      const key = { did_attributeId: { did: attribute.did, attributeId: attribute.attributeId } }
      await db.tirAttribute.update({ where: key, data: { issuerType: 1 } })
      return async (restore: LedgerClient) => {
        await restore.tirAttribute.update({ where: key, data: { issuerType: attribute.issuerType } })
      }
    }, /state/)
  })

  it('refuses a timestamp inserted by SQL', async () => {
    const forged = `0x${randomBytes(32).toString('hex')}`
    await refusedWhile(async (db) => {
      const genuine = await db.tsTimestamp.findFirstOrThrow()
      await db.tsTimestamp.create({ data: { ...genuine, timestampId: timestampIdOf(forged), hash: forged } })
      return async (restore: LedgerClient) => {
        await restore.tsTimestamp.delete({ where: { timestampId: timestampIdOf(forged) } })
      }
    }, /state/)
  })

  it('refuses an account nonce rewound by SQL (it would let old transactions be replayed)', async () => {
    await refusedWhile(async (db) => {
      const row = await db.accountNonce.findUniqueOrThrow({ where: { address: chain.ti.address } })
      await db.accountNonce.update({ where: { address: row.address }, data: { nonce: 0 } })
      return async (restore: LedgerClient) => {
        await restore.accountNonce.update({ where: { address: row.address }, data: { nonce: row.nonce } })
      }
    }, /nonce/)
  })

  it('refuses a block re-signed with another key, even one added to the node-key rows', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const jwk = privateKey.export({ format: 'jwk' }) as { kty: string; crv: string; x: string; y: string }
    const publicJwk = { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }
    const kid = jwkThumbprint(publicJwk)
    await refusedWhile(async (db) => {
      const head = await db.ledgerBlock.findFirstOrThrow({ orderBy: { number: 'desc' } })
      await db.storedKey.create({
        data: {
          kid,
          owner: 'ledger-node',
          alias: 'attacker',
          keyType: 'P-256',
          publicKeyHex: JSON.stringify(publicJwk),
          encryptedPrivateKey: 'not-a-sealed-key',
        },
      })
      const { hash: _hash, signature: _signature, ...header } = head
      const forged = { ...header, signerKid: kid }
      const hash = blockHashOf(forged as never)
      await db.ledgerBlock.update({
        where: { number: head.number },
        data: {
          signerKid: kid,
          hash,
          signature: sign('sha256', Buffer.from(hash.slice(2), 'hex'), {
            key: privateKey,
            dsaEncoding: 'ieee-p1363',
          }).toString('base64url'),
        },
      })
      return async (restore: LedgerClient) => {
        await restore.ledgerBlock.update({
          where: { number: head.number },
          data: { signerKid: head.signerKid, hash: head.hash, signature: head.signature },
        })
        await restore.storedKey.delete({ where: { kid } })
      }
    }, /signature|signed|key/)
  })
})
