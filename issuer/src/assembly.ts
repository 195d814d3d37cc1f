import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { createDb, type Db } from '@flora/db'
import { EbsiClient, type EbsiEntity, PrismaKeyStore } from '@flora/ebsi-connector'
import { createLogger, decodeKey, type Logger, listen, loadOrCreateKeyFile, type RunningServer } from '@flora/service-kit'
import { startAnchorScheduler } from './anchoring/anchoring.ts'
import { createIssuerApp, issuerContext } from './app.ts'
import type { IssuerConfig } from './config.ts'
import { type AuthorityKeyring, createKeyring, type OwnerKeyStore } from './keys/keyring.ts'
import { EbsiLedgerGateway } from './ledger/ebsi-ledger-gateway.ts'
import type { LedgerGateway } from './ledger/ledger-gateway.ts'
import type { IssuerContext } from './services/context.ts'
import { issuanceGroupStats } from './services/issuance.ts'
import { recordGroupStats } from './services/milestones.ts'
import { startRetentionScheduler } from './services/retention.ts'

/** Owner of the deployment's one anchoring identity in the key store and settings. */
export const ANCHORING_OWNER = 'deployment-anchoring'

/**
 * A 32-byte secret from configuration, or — on the embedded single-site default — a key file
 * beside the data (0600), generated on first start. Earlier versions kept generated secrets in the
 * database itself, next to the private keys the KEK encrypts, so a copy of the database alone
 * opened them; such a value moves into the file once and leaves the database.
 */
export async function resolveSecret(
  db: Db<'issuer'>,
  configured: string | undefined,
  name: 'secret' | 'kek',
  dataDir: string,
): Promise<Uint8Array> {
  if (configured) return decodeKey(configured)!
  const file = resolve(dataDir, `issuer.${name}`)
  const settingKey = `issuer.${name}`
  const legacy = await db.client.serviceSetting.findUnique({ where: { key: settingKey } })
  const legacyValue = legacy ? Buffer.from(legacy.value, 'base64') : undefined
  if (legacyValue && !existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, legacyValue.toString('hex'), { mode: 0o600, flag: 'wx' })
  }
  const { key } = loadOrCreateKeyFile(file)
  if (legacyValue) {
    // fail closed: two different values would leave some keys or codes unreadable either way
    if (!legacyValue.equals(key))
      throw new Error(`${file} and the issuer database hold different ${name}s; keep one by hand`)
    await db.client.serviceSetting.delete({ where: { key: settingKey } })
  }
  return key
}

/** The deployment's anchoring identity as recorded by `recordAnchoringIdentity`, with its signers. */
export function anchoringIdentity(db: Db<'issuer'>, keyStore: (owner: string) => PrismaKeyStore) {
  let cached: EbsiEntity | undefined
  return async (): Promise<EbsiEntity | undefined> => {
    if (cached) return cached
    const row = await db.client.serviceSetting.findUnique({ where: { key: 'issuer.anchoring-identity' } })
    if (!row) return undefined
    const { did, controllerKid, assertionKid } = JSON.parse(row.value) as {
      did: string
      controllerKid: string
      assertionKid: string
    }
    const store = keyStore(ANCHORING_OWNER)
    cached = {
      did,
      controller: await store.getSigner(controllerKid),
      assertion: await store.getSigner(assertionKid),
    }
    return cached
  }
}

export interface RunningIssuer {
  context: IssuerContext
  db: Db<'issuer'>
  server: RunningServer
  anchoring: ReturnType<typeof startAnchorScheduler>
  /** The retention jobs: erases signed credentials past their re-delivery window, prunes expired used c_nonces. */
  retention: ReturnType<typeof startRetentionScheduler>
  keyStore: (owner: string) => PrismaKeyStore
  close(): Promise<void>
}

/**
 * Starts the issuer: database (migrated), secrets, encrypted key store, ledger gateway, HTTP server,
 * the anchoring scheduler and the retention jobs (expired credential copies, used c_nonces).
 * `ledger`/`keyring` may be replaced (tests); `now` is the service clock (credential validity, offer
 * and token expiry, nonces, accreditation cache age, re-delivery window, retention), the system clock
 * by default. `scheduler: false` leaves both periodic schedulers to `runNow()`.
 */
export async function startIssuer(
  config: IssuerConfig,
  options: {
    logger?: Logger
    ledger?: LedgerGateway
    keyring?: AuthorityKeyring
    scheduler?: boolean
    now?: () => Date
  } = {},
): Promise<RunningIssuer> {
  const logger = options.logger ?? createLogger('issuer', config.FLORA_LOG_LEVEL)
  const db = await createDb({ service: 'issuer', url: config.FLORA_ISSUER_DATABASE_URL })
  const secret = await resolveSecret(db, config.FLORA_ISSUER_SECRET, 'secret', config.FLORA_DATA_DIR)
  const kek = await resolveSecret(db, config.FLORA_ISSUER_KEK, 'kek', config.FLORA_DATA_DIR)
  const keyStore = (owner: string) => new PrismaKeyStore({ db: db.client, kek, owner })
  const keyring = options.keyring ?? createKeyring((owner) => keyStore(owner) as unknown as OwnerKeyStore)
  const ledger =
    options.ledger ??
    new EbsiLedgerGateway(
      new EbsiClient({ baseUrl: config.FLORA_LEDGER_URL }),
      anchoringIdentity(db, keyStore),
    )
  const deps = { config, db, logger, ledger, keyring, secret, ...(options.now ? { now: options.now } : {}) }
  const context = issuerContext(deps)
  const server = await listen(createIssuerApp(deps, context), {
    host: config.FLORA_ISSUER_HOST,
    port: config.FLORA_ISSUER_PORT,
  })
  const anchoring = startAnchorScheduler(context, logger)
  const retention = startRetentionScheduler(context, logger)
  if (options.scheduler === false) {
    await anchoring.stop()
    await retention.stop()
  }
  return {
    context,
    db,
    server,
    anchoring,
    retention,
    keyStore,
    close: async () => {
      logger.info(
        { issuance: issuanceGroupStats(context), recording: recordGroupStats(context) },
        'group commit statistics',
      )
      await anchoring.stop()
      await retention.stop()
      await server.close()
      await db.close()
    },
  }
}
