import { randomBytes } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createLogger } from '@flora/service-kit'
import type { LedgerConfig } from '../../../src/node/config.ts'
import { createLedgerNode, type LedgerNode } from '../../../src/node/server.ts'
import { Actor } from './actor.ts'

/** The operator (Support Office role) of a test node: a full Actor whose keys genesis registers. */
export function newOperator(): Actor {
  const operator = new Actor('operator')
  operator.p256Registered = true
  return operator
}

export function testConfig(
  databaseUrl: string,
  operator: Actor,
  overrides: Partial<LedgerConfig> = {},
): LedgerConfig {
  return {
    host: '127.0.0.1',
    port: 0,
    // its own directory: the node pins its key in a file there on first start
    dataDir: overrides.dataDir ?? mkdtempSync(join(tmpdir(), 'flora-ledger-node-')),
    databaseUrl,
    keyEncryptionKey: overrides.keyEncryptionKey ?? randomBytes(32),
    chainId: 0x181f,
    blockIntervalMs: 2,
    maxBlockTxs: 500,
    accessTokenTtl: 7200,
    outboundAllowlist: ['127.0.0.1', 'localhost'],
    outboundTimeoutMs: 3000,
    outboundMaxBytes: 5_000_000,
    proxyConcurrency: 64,
    cacheEntries: 50_000,
    operator: {
      did: operator.did,
      publicKeyHex: operator.wallet.signingKey.publicKey,
      assertionJwk: operator.p256Jwk,
    },
    tprAdmins: [],
    verifyOnStart: true,
    logLevel: 'silent',
    ...overrides,
  }
}

/** Starts a node over real HTTP on port 0. */
export async function startNode(config: LedgerConfig): Promise<{ node: LedgerNode; url: string }> {
  const node = await createLedgerNode(config, {
    logger: createLogger('ledger-test', process.env.LEDGER_TEST_LOG ?? 'silent'),
  })
  const server = await node.listen()
  return { node, url: server.url }
}
