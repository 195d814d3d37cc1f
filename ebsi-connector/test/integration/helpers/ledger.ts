import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type TestDatabase, tempSqliteDatabase } from '@flora/db/testing'
import { createLedgerNode, type LedgerNode, loadLedgerConfig } from '@flora/ebsi-connector/node'
import { createLogger } from '@flora/service-kit'
import { EbsiClient, type EbsiEntity } from '../../../src/client/index.ts'
import { type KeyType, LocalSigner, publicJwkFromPrivate, jwkThumbprint } from '../../../src/keys/index.ts'

/** A Signer over raw private-key bytes (tests only; the services use the encrypted key store). */
export function localSigner(keyType: KeyType, privateKey: Uint8Array): LocalSigner {
  const jwk = publicJwkFromPrivate(keyType, privateKey)
  return new LocalSigner(jwkThumbprint(jwk), keyType, jwk, privateKey)
}

/** The operator (EBSI Support Office role) from the node's generated `ledger-operator.json`. */
export function operatorEntity(file: string): EbsiEntity {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as {
    did: string
    secp256k1PrivateKeyHex: string
    p256PrivateJwk: { d: string }
  }
  return {
    did: parsed.did,
    controller: localSigner(
      'Secp256k1',
      new Uint8Array(Buffer.from(parsed.secp256k1PrivateKeyHex.replace(/^0x/, ''), 'hex')),
    ),
    assertion: localSigner('Secp256r1', new Uint8Array(Buffer.from(parsed.p256PrivateJwk.d, 'base64url'))),
  }
}

/** The real ledger node, in process, over HTTP on port 0, with a temp SQLite database. */
export interface RunningLedger {
  node: LedgerNode
  url: string
  dataDir: string
  operatorFile: string
  operator: EbsiEntity
  /** A client of this node with a fast receipt poll. */
  client(options?: { nonceRetries?: number }): EbsiClient
  stop(): Promise<void>
}

/**
 * Starts the node exactly as `npm run ledger` configures it (loadLedgerConfig from the
 * environment: generated KEK and operator identity in the data dir), on localhost port 0.
 */
export async function startLedger(): Promise<RunningLedger> {
  const database: TestDatabase = tempSqliteDatabase()
  const dataDir = mkdtempSync(join(tmpdir(), 'flora-ledger-'))
  const operatorFile = join(dataDir, 'ledger-operator.json')
  const { config } = loadLedgerConfig({
    FLORA_LEDGER_HOST: 'localhost', // EBSI's library accepts localhost (or EBSI's hosts) as authority
    FLORA_LEDGER_PORT: '0',
    FLORA_LEDGER_DATA_DIR: dataDir,
    FLORA_LEDGER_DATABASE_URL: database.url,
    FLORA_LEDGER_OPERATOR_FILE: operatorFile,
    FLORA_LEDGER_BLOCK_INTERVAL_MS: '2',
    FLORA_LOG_LEVEL: 'silent',
  })
  const node = await createLedgerNode(config, {
    logger: createLogger('ledger-it', process.env.LEDGER_TEST_LOG ?? 'silent'),
  })
  const server = await node.listen()
  const url = server.url
  return {
    node,
    url,
    dataDir,
    operatorFile,
    operator: operatorEntity(operatorFile),
    client: (options = {}) => new EbsiClient({ baseUrl: url, pollIntervalMs: 10, ...options }),
    async stop() {
      await node.close()
      await database.dispose()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
