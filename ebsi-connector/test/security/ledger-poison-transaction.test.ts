import { randomBytes } from 'node:crypto'
import { type TestDatabase, tempPostgresDatabase, tempSqliteDatabase } from '@flora/db/testing'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { encodeRegistryCall, schemaIdOf, type UnsignedTransaction, utf8ToHex } from '../../src/core/index.ts'
import { Actor } from '../node/helpers/actor.ts'
import { type Api, LedgerTestClient } from '../node/helpers/ledger-client.ts'
import { type LedgerProcess, startLedgerProcess } from '../node/helpers/ledger-process.ts'
import { onboard } from '../node/helpers/trust-chain.ts'
import { recordWaitingTimestamp, refuseTimestampRow } from './helpers/ledger-poison.ts'

/**
 * Security review (HIGH): any registered DID could stop the ledger from producing blocks, for good.
 * A timestampHashes transaction whose ABI `uint256 hashAlgorithmIds` held 2^100 was accepted (the
 * send step decoded the call but validated none of its arguments); executing it threw a Prisma
 * validation error, which the block producer took for a database failure: it never isolated or
 * reverted the transaction, every later transaction waited behind it, and after a restart the
 * recovered mempool wedged the node again (/health never 200).
 *
 * Before the fix: the out-of-range sends were answered 200; the poison transactions (one the
 * database refuses, one with 2^100 waiting in the mempool) never got a receipt, nor did any honest
 * transaction after them, and the restarted node never became healthy.
 */

const backends: [string, () => Promise<TestDatabase>][] = [
  ['SQLite', async () => tempSqliteDatabase()],
  ['PostgreSQL', () => tempPostgresDatabase()],
]

const randomHash = () => `0x${randomBytes(32).toString('hex')}`
const INTERNAL_ERROR = 'internal error while executing the transaction'
/** No block is cut while the test needs transactions to stay waiting. */
const NO_BLOCKS = { FLORA_LEDGER_BLOCK_INTERVAL_MS: '600000' }

async function sendTimestamp(client: LedgerTestClient, actor: Actor, token: string, value: string) {
  const unsigned = await client.build(
    'timestamp/v4',
    'timestampHashes',
    { from: actor.address, hashAlgorithmIds: [0], hashValues: [value] },
    token,
  )
  const sent = await client.send('timestamp/v4', actor.sign(unsigned), token)
  expect(sent.status, JSON.stringify(sent.body)).toBe(200)
  return sent.body.result as string
}

/** A legitimately built transaction whose `data` the signer then replaces before signing. */
async function sendTampered(
  client: LedgerTestClient,
  actor: Actor,
  token: string,
  api: Api,
  build: { method: string; params: Record<string, unknown> },
  data: string,
) {
  const unsigned: UnsignedTransaction = await client.build(
    api,
    build.method,
    { from: actor.address, ...build.params },
    token,
  )
  return client.send(api, actor.sign({ ...unsigned, data }), token)
}

/** The ABI encoding of `call` with the 32-byte word at `index` (after the selector) replaced. */
function withWord(data: string, index: number, value: bigint): string {
  const start = 10 + index * 64
  return `${data.slice(0, start)}${value.toString(16).padStart(64, '0')}${data.slice(start + 64)}`
}

describe.each(backends)(
  'ledger node on %s: a transaction that cannot be executed never stops the chain',
  (_name, makeDatabase) => {
    describe('on a running node', () => {
      let database: TestDatabase
      let ledger: LedgerProcess
      let client: LedgerTestClient
      let operator: Actor
      let mallory: Actor
      let honest: Actor
      let tokens: { mallory: string; honest: string }

      beforeAll(async () => {
        database = await makeDatabase()
        ledger = await startLedgerProcess({
          dataDir: database.dataDir,
          databaseUrl: database.url,
          env: { FLORA_LEDGER_BLOCK_INTERVAL_MS: '200' },
        })
        client = new LedgerTestClient(ledger.url)
        operator = ledger.operator()
        mallory = await onboard(client, operator, 'mallory')
        honest = await onboard(client, operator, 'honest')
        tokens = {
          mallory: await client.token(mallory, 'timestamp_write'),
          honest: await client.token(honest, 'timestamp_write'),
        }
      }, 120_000)
      afterAll(async () => {
        await ledger?.kill('SIGKILL')
        await database?.dispose()
      })

      it('refuses at send (400 problem+json) calls whose integers are out of range or not canonically encoded, and keeps producing blocks', async () => {
        const timestamp = {
          method: 'timestampHashes',
          params: { hashAlgorithmIds: [0], hashValues: [randomHash()] },
        }
        const timestampData = (ids: bigint[]) =>
          encodeRegistryCall('timestamp', 'timestampHashes', {
            hashAlgorithmIds: ids,
            hashValues: ids.map(() => randomHash()),
            timestampData: ids.map(() => '0x'),
          })
        const didrWrite = await client.token(mallory, 'didr_write')
        const expire = {
          method: 'expireVerificationMethod',
          params: {
            did: mallory.did,
            vMethodId: mallory.p256Kid,
            notAfter: Math.floor(Date.now() / 1000) + 86_400,
          },
        }
        const tirWrite = await client.token(operator, 'tir_write')
        const metadata = {
          method: 'setAttributeMetadata',
          params: {
            did: honest.did,
            attributeId: randomHash(),
            issuerType: 3,
            taoDid: operator.did,
            taoAttributeId: randomHash(),
          },
        }
        const metadataData = encodeRegistryCall('trusted-issuers-registry', 'setAttributeMetadata', {
          ...metadata.params,
        })
        const cases: [
          string,
          Actor,
          string,
          Api,
          { method: string; params: Record<string, unknown> },
          string,
        ][] = [
          [
            'hashAlgorithmIds = 2^100',
            mallory,
            tokens.mallory,
            'timestamp/v4',
            timestamp,
            timestampData([2n ** 100n]),
          ],
          [
            'hashAlgorithmIds = 2^53',
            mallory,
            tokens.mallory,
            'timestamp/v4',
            timestamp,
            timestampData([2n ** 53n]),
          ],
          [
            'hashAlgorithmIds = 1001',
            mallory,
            tokens.mallory,
            'timestamp/v4',
            timestamp,
            timestampData([1001n]),
          ],
          [
            'notAfter = 2^100',
            mallory,
            didrWrite,
            'did-registry/v5',
            expire,
            encodeRegistryCall('did-registry', 'expireVerificationMethod', {
              did: mallory.did,
              vMethodId: mallory.p256Kid,
              notAfter: 2n ** 100n,
            }),
          ],
          // uint8 issuerType word holding 300: ethers decodes it as 44, the bytes say otherwise
          [
            'issuerType word = 300',
            operator,
            tirWrite,
            'trusted-issuers-registry/v5',
            metadata,
            withWord(metadataData, 2, 300n),
          ],
        ]
        for (const [what, actor, token, api, build, data] of cases) {
          const sent = await sendTampered(client, actor, token, api, build, data)
          expect(sent.status, `${what}: ${JSON.stringify(sent.body)}`).toBe(400)
          expect(sent.contentType, what).toContain('application/problem+json')
          expect(sent.body.detail, what).toMatch(/transaction|argument|params/i)
        }

        // nothing was accepted: mallory's next honest write uses the same nonce and succeeds, as do others
        const mine = await sendTimestamp(client, mallory, tokens.mallory, randomHash())
        expect((await client.receipt(mine, 20_000)).status).toBe('0x1')
        const theirs = await sendTimestamp(client, honest, tokens.honest, randomHash())
        expect((await client.receipt(theirs, 20_000)).status).toBe('0x1')
        expect((await fetch(`${ledger.url}/health`)).status).toBe(200)
      }, 120_000)

      it('refuses a schema nested too deeply for its canonical form at build and at send (400), never 500', async () => {
        const token = await client.token(operator, 'tsr_write')
        const deep = utf8ToHex(`{"a":${'['.repeat(5000)}${']'.repeat(5000)}}`)
        const metadata = utf8ToHex('{}')
        const built = await client.rpc(
          'trusted-schemas-registry/v3',
          'insertSchema',
          [{ from: operator.address, schemaId: randomHash(), schema: deep, metadata }],
          token,
        )
        expect(built.status, JSON.stringify(built.body)).toBe(400)
        expect(built.contentType).toContain('application/problem+json')
        expect(built.body.detail).toMatch(/nested deeper/)

        const schema = { $id: randomHash(), type: 'object' }
        const sent = await sendTampered(
          client,
          operator,
          token,
          'trusted-schemas-registry/v3',
          {
            method: 'insertSchema',
            params: { schemaId: schemaIdOf(schema).hex, schema: utf8ToHex(JSON.stringify(schema)), metadata },
          },
          encodeRegistryCall('trusted-schemas-registry', 'insertSchema', {
            schemaId: randomHash(),
            schema: deep,
            metadata,
          }),
        )
        expect(sent.status, JSON.stringify(sent.body)).toBe(400)
        expect(sent.contentType).toContain('application/problem+json')
        expect(sent.body.detail).toMatch(/nested deeper/)
      }, 120_000)

      it('isolates a transaction whose block the database keeps refusing, records it as reverted, and executes the honest ones around and after it', async () => {
        const poison = randomHash()
        const allowAgain = await refuseTimestampRow(database.url, poison)
        try {
          const [before, poisoned, alongside] = await Promise.all([
            sendTimestamp(client, honest, tokens.honest, randomHash()),
            sendTimestamp(client, mallory, tokens.mallory, poison),
            sendTimestamp(client, operator, await client.token(operator, 'timestamp_write'), randomHash()),
          ])
          const reverted = await client.receipt(poisoned, 30_000)
          expect(reverted.status).toBe('0x0')
          expect(reverted.revertReason).toBe(INTERNAL_ERROR)
          expect((await client.receipt(before, 30_000)).status).toBe('0x1')
          expect((await client.receipt(alongside, 30_000)).status).toBe('0x1')

          const after = await sendTimestamp(client, honest, tokens.honest, randomHash())
          expect((await client.receipt(after, 30_000)).status).toBe('0x1')
          expect((await fetch(`${ledger.url}/health`)).status).toBe(200)
          expect(ledger.output()).toContain('recording it as reverted')
          expect(ledger.exit).toBeUndefined()
        } finally {
          await allowAgain()
        }
      }, 120_000)
    })

    describe('across a restart', () => {
      let database: TestDatabase
      let ledger: LedgerProcess | undefined
      afterEach(async () => {
        await ledger?.kill('SIGKILL')
        await database?.dispose()
      })

      it('becomes healthy with poison transactions waiting in its mempool, reverts them, and executes the honest ones', async () => {
        database = await makeDatabase()
        const start = (env: Record<string, string>) =>
          startLedgerProcess({ dataDir: database.dataDir, databaseUrl: database.url, env })
        ledger = await start(NO_BLOCKS)
        const client = new LedgerTestClient(ledger.url)
        const operator = ledger.operator()
        const token = await client.token(operator, 'timestamp_write')
        // accepted and waiting when the node dies: honest, one the database will refuse, honest
        const poison = randomHash()
        const first = await sendTimestamp(client, operator, token, randomHash())
        const refused = await sendTimestamp(client, operator, token, poison)
        const second = await sendTimestamp(client, operator, token, randomHash())
        await ledger.kill('SIGKILL')

        // the review's transaction (2^100) waiting in the mempool, however it got there
        const outOfRange = await recordWaitingTimestamp(
          { dataDir: database.dataDir, databaseUrl: database.url },
          new Actor('mallory'),
          { hashAlgorithmIds: [2n ** 100n], hashValues: [randomHash()] },
        )
        await refuseTimestampRow(database.url, poison)

        ledger = await start({ FLORA_LEDGER_BLOCK_INTERVAL_MS: '20' })
        const after = new LedgerTestClient(ledger.url)
        expect((await after.receipt(first, 30_000)).status).toBe('0x1')
        const refusedReceipt = await after.receipt(refused, 30_000)
        expect(refusedReceipt.status).toBe('0x0')
        expect(refusedReceipt.revertReason).toBe(INTERNAL_ERROR)
        expect((await after.receipt(second, 30_000)).status).toBe('0x1')
        const outOfRangeReceipt = await after.receipt(outOfRange, 30_000)
        expect(outOfRangeReceipt.status).toBe('0x0')
        expect(outOfRangeReceipt.revertReason).toMatch(/hashAlgorithmIds.*out of range/)

        const later = await sendTimestamp(
          after,
          operator,
          await after.token(operator, 'timestamp_write'),
          randomHash(),
        )
        expect((await after.receipt(later, 30_000)).status).toBe('0x1')
        expect((await fetch(`${ledger.url}/health`)).status).toBe(200)
        expect(ledger.exit).toBeUndefined()
      }, 180_000)
    })
  },
)
