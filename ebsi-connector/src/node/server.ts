import { createDb, type Db, parseDatabaseUrl } from '@flora/db'
import {
  createLogger,
  createServiceApp,
  type Logger,
  listen,
  mountRouter,
  type RunningServer,
} from '@flora/service-kit'
import { getAddress } from 'ethers'
import { AccessTokens } from './authorisation-v4/access-token.ts'
import { mountAuthorisation } from './authorisation-v4/routes.ts'
import { BlockProducer } from './chain/block-producer.ts'
import type { MethodTable } from './chain/execution.ts'
import { ensureGenesis, grantAdmin } from './chain/genesis.ts'
import { Mempool, pendingMacKey } from './chain/mempool.ts'
import { loadNodeKey, type NodeKey } from './chain/node-key.ts'
import { type PinnedNodeKey, pinFileOf, readPin, requirePinned, writePinFile } from './chain/node-key-pin.ts'
import { NonceTracker } from './chain/nonces.ts'
import type { RegistryRpc } from './chain/registry-rpc.ts'
import { type VerifiedLedger, verifyLedger } from './chain/verify-ledger.ts'
import type { LedgerConfig } from './config.ts'
import { didRegistryRpc } from './did-registry-v5/methods.ts'
import { mountDidRegistry } from './did-registry-v5/routes.ts'
import { databaseUnavailableProblems } from './http/database-unavailable.ts'
import { absoluteProblemInstance, ledgerProblems } from './http/problem-funnel.ts'
import { mountLedger } from './ledger-v4/routes.ts'
import { buildLedgerOpenApi } from './openapi.ts'
import { createAllowedFetch } from './outbound/allowed-fetch.ts'
import { refuseProxiedRequests } from './outbound/hop.ts'
import { isOwnOrigin } from './outbound/own-origin.ts'
import type { NodeContext } from './state/context.ts'
import { unixNow } from './state/context.ts'
import { databaseAnswers, pingWithin } from './state/database-health.ts'
import { DidCache } from './state/did-cache.ts'
import { RawSql } from './state/raw-sql.ts'
import { TprAttributes } from './state/tpr-attributes.ts'
import { timestampRpc } from './timestamp-v4/methods.ts'
import { mountTimestamp } from './timestamp-v4/routes.ts'
import { trustedIssuersRegistryRpc } from './trusted-issuers-registry-v5/methods.ts'
import { mountTrustedIssuersRegistry } from './trusted-issuers-registry-v5/routes.ts'
import { mountTrustedPoliciesRegistry } from './trusted-policies-registry-v3/routes.ts'
import { trustedSchemasRegistryRpc } from './trusted-schemas-registry-v3/methods.ts'
import { mountTrustedSchemasRegistry } from './trusted-schemas-registry-v3/routes.ts'

export const LEDGER_VERSION = '0.1.0'

const RPCS: RegistryRpc[] = [
  didRegistryRpc,
  trustedIssuersRegistryRpc,
  trustedSchemasRegistryRpc,
  timestampRpc,
]

/** A running ledger node. */
export interface LedgerNode {
  ctx: NodeContext
  db: Db<'ledger'>
  /** Listening URL (set by `listen`). */
  url: string
  listen(): Promise<RunningServer>
  /** Flushes pending blocks, stops the server, closes the database. */
  close(): Promise<void>
}

/**
 * Builds the node: opens (and migrates) the database, loads or creates the node key and checks it
 * against the key pinned outside the database, writes genesis on first start, verifies the chain,
 * the registry state and the account nonces (refusing to start on tampering), reads back the
 * transactions a previous run accepted, and mounts every API on the service-kit app.
 */
export async function createLedgerNode(
  config: LedgerConfig,
  options: { logger?: Logger } = {},
): Promise<LedgerNode> {
  const logger = options.logger ?? createLogger('ledger', config.logLevel)
  const db = await createDb({ service: 'ledger', url: config.databaseUrl })
  try {
    const key = await loadNodeKey(db.client, config.keyEncryptionKey)
    const pinned = pinNodeKey(config, key, logger)
    const now = unixNow()
    if (await ensureGenesis(db.client, key, { chainId: config.chainId, operator: config.operator }, now)) {
      logger.info({ operator: config.operator?.did }, 'genesis block written')
    }
    const started = performance.now()
    const verified = await verifyLedger(db.client, pinned, { walk: config.verifyOnStart })
    logger.info(
      {
        ...verified.walked,
        head: verified.head.number,
        stateRows: verified.stateRows,
        ms: Math.round(performance.now() - started),
      },
      config.verifyOnStart ? 'chain and state verified from genesis' : 'head block and state verified',
    )
    return await assemble(config, db, key, logger, verified)
  } catch (error) {
    await db.close()
    throw error
  }
}

/** The pinned node key: configured, or the pin file; written from the node key when neither exists. */
function pinNodeKey(config: LedgerConfig, key: NodeKey, logger: Logger): PinnedNodeKey {
  const file = config.nodeKeyPinFile ?? pinFileOf(config.dataDir)
  const pinned = readPin({ configured: config.nodePublicJwk, file })
  if (pinned) {
    requirePinned(key, pinned)
    return pinned
  }
  logger.warn(
    { file, kid: key.kid },
    'pinned the node key in a file outside the database; keep it with ledger.kek (or set FLORA_LEDGER_NODE_PUBLIC_JWK)',
  )
  return writePinFile(file, key)
}

async function assemble(
  config: LedgerConfig,
  db: Db<'ledger'>,
  key: NodeKey,
  logger: Logger,
  verified: VerifiedLedger,
): Promise<LedgerNode> {
  let listeningUrl = `http://${config.host}:${config.port}`
  const publicUrl = () => config.publicUrl ?? listeningUrl
  const methods = Object.fromEntries(RPCS.map((rpc) => [rpc.registry, rpc.methods])) as MethodTable
  const dids = new DidCache(db.client, config.cacheEntries)
  const sql = new RawSql(parseDatabaseUrl('ledger', config.databaseUrl).schema)
  const tpr = new TprAttributes(db.client, config.cacheEntries)
  const nonces = new NonceTracker(db.client, config.cacheEntries)
  const answers = () => databaseAnswers(() => db.ping())
  const mempool = new Mempool({ db: db.client, sql, macKey: pendingMacKey(config.keyEncryptionKey) })
  const producer = new BlockProducer({
    db: db.client,
    key,
    methods,
    intervalMs: config.blockIntervalMs,
    maxBlockTxs: config.maxBlockTxs,
    logger,
    sql,
    mempool,
    databaseAnswers: answers,
    onBlock: ({ txs }) => {
      nonces.committed(txs)
      if (txs.some((tx) => tx.registry === 'did-registry')) dids.clear()
    },
  })
  producer.init({ number: verified.head.number, hash: verified.head.hash, state: verified.state })
  if (!verified.committed) {
    // a chain from before state commitments: its tables as they are now become the first commitment
    await producer.writeSystemBlock(async () => {}, { always: true })
    logger.warn(
      { block: verified.head.number + 1 },
      'first state commitment written over the existing registry tables',
    )
  }
  const now = unixNow()
  if (
    await producer.writeSystemBlock(async (tx) => {
      for (const admin of config.tprAdmins) await grantAdmin(tx, getAddress(admin.toLowerCase()), now)
    })
  )
    logger.info({ admins: config.tprAdmins.length }, 'configured TPR admins granted in a block')
  const recovered = await mempool.recover((address) => nonces.nextNonce(address))
  for (const tx of recovered) nonces.observe(tx.from, tx.nonce)
  producer.resume(recovered)
  if (recovered.length > 0)
    logger.info(
      { transactions: recovered.length },
      'executing the transactions accepted before the last stop',
    )
  const ctx: NodeContext = {
    db: db.client,
    config,
    logger,
    publicUrl,
    key,
    producer,
    nonces,
    tokens: new AccessTokens(key, () => `${publicUrl()}/authorisation/v4`, config.accessTokenTtl),
    dids,
    methods,
    fetch: createAllowedFetch({
      allowlist: config.outboundAllowlist,
      timeoutMs: config.outboundTimeoutMs,
      maxBytes: config.outboundMaxBytes,
      isOwnOrigin: (url) => isOwnOrigin(url, { publicUrl: publicUrl(), listeningUrl, bindHost: config.host }),
    }),
    sql,
    tpr,
    tprAttributes: (address) => tpr.of(address),
    now: unixNow,
  }
  const { app, router } = createServiceApp({
    service: 'ledger',
    version: LEDGER_VERSION,
    logger,
    openapi: buildLedgerOpenApi(LEDGER_VERSION, config.publicUrl),
    enableTypes: ['json', 'form'],
    healthChecks: {
      database: () => pingWithin(() => db.ping()),
      blocks: async () => producer.assertHealthy(),
    },
    publicUrl: config.publicUrl,
  })
  app.middleware.unshift(absoluteProblemInstance(publicUrl))
  app.use(ledgerProblems())
  app.use(databaseUnavailableProblems(answers))
  app.use(refuseProxiedRequests())
  mountAuthorisation(router, ctx)
  mountDidRegistry(router, ctx)
  mountTrustedIssuersRegistry(router, ctx)
  mountTrustedSchemasRegistry(router, ctx)
  mountTimestamp(router, ctx)
  mountLedger(router, ctx)
  mountTrustedPoliciesRegistry(router, ctx)
  mountRouter(app, router)

  let server: RunningServer | undefined
  const node: LedgerNode = {
    ctx,
    db,
    get url() {
      return listeningUrl
    },
    async listen() {
      server = await listen(app, { host: config.host, port: config.port })
      listeningUrl = server.url
      return server
    },
    async close() {
      await producer.close()
      if (server) await server.close()
      await db.close()
    },
  }
  return node
}
