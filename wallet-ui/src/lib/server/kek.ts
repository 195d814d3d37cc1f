import { createHash, randomBytes } from 'node:crypto'
import { join } from 'node:path'
import type { WalletDb } from './db.ts'
import { serviceKitPackage } from './deps.ts'
import { readKeyFile, removeFileDurably, writeKeyFileDurably } from './kek-file.ts'
import { type ResealReport, resealAll, SEALED_TABLES, type WalletTransaction } from './reseal.ts'
import { scrubFreedSpace } from './scrub.ts'

/** Where earlier versions kept the generated key-encryption key (base64): in the database it protects. */
export const LEGACY_KEK_SETTING = 'wallet.kek'
/**
 * The fingerprint of the key everything in the database is sealed under (a hash: it opens nothing).
 * Written in the transaction that seals everything again under a new key, and on the first start
 * of a database; a database without it has a key of unknown history.
 */
export const KEK_FINGERPRINT_SETTING = 'wallet.kek.fingerprint'
/** Written with a rotation's commit, removed once the database's files are scrubbed: until then every start scrubs. */
export const SCRUB_PENDING_SETTING = 'wallet.kek.scrub-pending'
export const KEK_FILE = 'wallet.kek'
/** A new key on its way to becoming the key file: it is the key once the database names its fingerprint. */
export const STAGED_KEK_FILE = 'wallet.kek.next'

/** The points of a rotation after which a crash leaves a state the next start must recover from. */
export type RotationStep = 'staged' | 'resealed' | 'committed' | 'key-file-written' | 'scrubbed'

export interface LogEntry {
  level: 'info' | 'warn' | 'error'
  msg: string
  [field: string]: unknown
}

export interface ResolveKekOptions {
  /** Structured log lines (default: JSON on stderr, as the server's other logs). */
  log?: (entry: LogEntry) => void
  /** PostgreSQL: the schema of the wallet's tables (default "wallet", as @flora/db's default). */
  schema?: string
  /** Called after each step of a rotation; the crash tests stop the process there. */
  onStep?: (step: RotationStep) => void
}

/**
 * Re-sealing is one AES-GCM open and seal plus an UPDATE per row: seconds for many thousand cases.
 * The limit only keeps a wedged start from holding the database forever.
 */
const ROTATION_TIMEOUT_MS = 10 * 60_000

const fingerprint = (key: Uint8Array) =>
  createHash('sha256').update('flora-wallet-kek-fingerprint:').update(key).digest('hex')

const logToStderr = (entry: LogEntry) => console.error(JSON.stringify(entry))

/** Why the key in use must be replaced. */
type Exposure =
  | 'kept-in-database' // ServiceSetting wallet.kek: every copy and backup since holds it
  | 'unknown-history' // a key file, but no fingerprint: perhaps moved out of the database by an earlier version, its bytes left behind

/**
 * The wallet's key-encryption key, never from the database it protects: FLORA_WALLET_KEK, or the
 * key file `<data dir>/wallet.kek` (0600, generated on first start).
 *
 * A key that has been in the database is replaced, not moved: every copy and backup of the
 * database holds it, and deleting its row leaves its bytes in the file's free pages. That is the key
 * an earlier version kept in ServiceSetting, and a key file without the database's fingerprint
 * record (an earlier version moved the key there and deleted the row, or the database is from before
 * the record: replacing a key that never was inside costs one re-seal). In one transaction,
 * everything the old key sealed is sealed again under the new one (FLORA_WALLET_KEK when set, else
 * the key file when it holds another key, else a new key) and the old row is deleted; then the
 * database's files are scrubbed (see scrubFreedSpace), and the log says that earlier backups still
 * hold the old key.
 *
 * Crash safety: a new key is flushed beside the key file (`wallet.kek.next`) before the transaction
 * and becomes the key file after the commit; the database records its fingerprint in the same
 * commit. Whatever step a crash interrupts, the next start finds either the old key with everything
 * under it (and starts over), or everything under the new key with the new key on disk (and
 * finishes the key file and the scrub).
 *
 * @throws when FLORA_WALLET_KEK is the key the database held (every backup holds it: set a new one)
 */
export async function resolveWalletKek(
  db: WalletDb,
  configuredHex: string | undefined,
  dataDir: string,
  options: ResolveKekOptions = {},
): Promise<Uint8Array> {
  const log = options.log ?? logToStderr
  const step = options.onStep ?? (() => {})
  const schema = options.schema ?? 'wallet'
  const files = { key: join(dataDir, KEK_FILE), staged: join(dataDir, STAGED_KEK_FILE) }
  const configured = configuredHex ? Buffer.from(configuredHex, 'hex') : undefined

  const resolved = await db.client.$transaction(
    async (tx) => {
      // A second process starting meanwhile waits here until this one has committed or rolled back,
      // so it never settles a staged key whose fate is still open, nor rotates twice.
      await lockKeyResolution(tx, db.provider, schema)
      await settleStagedKey(tx, files)
      const exposed = await exposedKey(tx, configured, files.key)
      if (!exposed) return { key: await keyInUse(tx, configured, files.key) }
      const target = await rotationTarget(exposed.key, configured, files.key)
      if (target.source === 'new') {
        writeKeyFileDurably(files.staged, target.key)
        step('staged')
      }
      const report = await resealAll(tx, exposed.key, target.key)
      await tx.serviceSetting.deleteMany({ where: { key: LEGACY_KEK_SETTING } })
      await setSetting(tx, KEK_FINGERPRINT_SETTING, fingerprint(target.key))
      await setSetting(tx, SCRUB_PENDING_SETTING, new Date().toISOString())
      step('resealed')
      return { key: target.key, rotation: { source: target.source, exposure: exposed.exposure, report } }
    },
    { timeout: ROTATION_TIMEOUT_MS, maxWait: 60_000 },
  )

  const { rotation } = resolved
  if (rotation) {
    step('committed')
    if (rotation.source === 'new') {
      writeKeyFileDurably(files.key, resolved.key)
      removeFileDurably(files.staged)
    }
    step('key-file-written')
    logRotation(log, rotation.exposure, rotation.source === 'configured' ? 'FLORA_WALLET_KEK' : files.key, rotation.report)
  }
  await finishScrub(db, schema, log, step)
  return resolved.key
}

/**
 * The key when none needs replacing: FLORA_WALLET_KEK or the key file (generated when missing). Its
 * fingerprint is recorded on a database's first start; a key that does not match the record stops
 * the start (fail closed: nothing sealed would open, and new values would be sealed under a key the
 * rest are not).
 */
async function keyInUse(tx: WalletTransaction, configured: Buffer | undefined, keyFile: string): Promise<Buffer> {
  let key = configured
  if (!key) {
    const { loadOrCreateKeyFile } = await serviceKitPackage()
    key = loadOrCreateKeyFile(keyFile).key
  }
  const recorded = await tx.serviceSetting.findUnique({ where: { key: KEK_FINGERPRINT_SETTING } })
  if (!recorded) await setSetting(tx, KEK_FINGERPRINT_SETTING, fingerprint(key))
  else if (recorded.value !== fingerprint(key))
    throw new Error(
      `the key-encryption key (${configured ? 'FLORA_WALLET_KEK' : keyFile}) is not the one the wallet database is sealed under (ServiceSetting ${KEK_FINGERPRINT_SETTING}): configure the right one`,
    )
  return key
}

/** SQLite: any write takes the database's write lock. PostgreSQL: a lock per schema, held to the commit. */
async function lockKeyResolution(tx: WalletTransaction, provider: WalletDb['provider'], schema: string): Promise<void> {
  if (provider === 'postgresql')
    await tx.$queryRawUnsafe('SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtext($1))', `flora-wallet-kek:${schema}`)
  else await tx.serviceSetting.updateMany({ where: { key: LEGACY_KEK_SETTING }, data: { updatedAt: new Date() } })
}

/** The key in use when it must be replaced, and why; undefined when it never was in the database. */
async function exposedKey(
  tx: WalletTransaction,
  configured: Buffer | undefined,
  keyFile: string,
): Promise<{ key: Buffer; exposure: Exposure } | undefined> {
  const row = await tx.serviceSetting.findUnique({ where: { key: LEGACY_KEK_SETTING } })
  if (row) {
    const key = Buffer.from(row.value, 'base64')
    if (key.length !== 32) throw new Error(`ServiceSetting ${LEGACY_KEK_SETTING} does not hold a 32-byte key`)
    return { key, exposure: 'kept-in-database' }
  }
  // a configured key was never written to the database by any version (it cannot be replaced here)
  if (configured) return undefined
  if (await tx.serviceSetting.findUnique({ where: { key: KEK_FINGERPRINT_SETTING } })) return undefined
  const current = await readKeyFile(keyFile)
  return current ? { key: current, exposure: 'unknown-history' } : undefined
}

async function setSetting(client: Pick<WalletTransaction, 'serviceSetting'>, key: string, value: string): Promise<void> {
  await client.serviceSetting.upsert({ where: { key }, create: { key, value }, update: { value } })
}

/**
 * A staged key left by an interrupted rotation: the key file when the database committed under it
 * (it names its fingerprint), else never used (nothing is sealed under it): removed either way.
 */
async function settleStagedKey(tx: WalletTransaction, files: { key: string; staged: string }): Promise<void> {
  const staged = await readKeyFile(files.staged)
  if (!staged) return
  const marker = await tx.serviceSetting.findUnique({ where: { key: KEK_FINGERPRINT_SETTING } })
  if (marker?.value === fingerprint(staged)) writeKeyFileDurably(files.key, staged)
  removeFileDurably(files.staged)
}

/** The key to seal everything under instead of `legacy`. */
async function rotationTarget(
  legacy: Buffer,
  configured: Buffer | undefined,
  keyFile: string,
): Promise<{ key: Buffer; source: 'configured' | 'file' | 'new' }> {
  if (configured) {
    if (configured.equals(legacy))
      throw new Error(
        `FLORA_WALLET_KEK is the key-encryption key an earlier version kept in the wallet database (ServiceSetting ${LEGACY_KEK_SETTING}), so every copy and backup of the database holds it: set FLORA_WALLET_KEK to a new key (64 hex digits); the wallet then seals everything again under it at start`,
      )
    return { key: configured, source: 'configured' }
  }
  // A key file that holds the database's key (an interrupted move by an earlier version) is replaced;
  // one that holds another key is the key already: values sealed under it stay as they are.
  const current = await readKeyFile(keyFile)
  if (current && !current.equals(legacy)) return { key: current, source: 'file' }
  return { key: randomBytes(32), source: 'new' }
}

function logRotation(log: (entry: LogEntry) => void, exposure: Exposure, keyNowIn: string, report: ResealReport): void {
  const why =
    exposure === 'kept-in-database'
      ? 'the wallet key-encryption key was kept in the wallet database by an earlier version'
      : 'the wallet key-encryption key has no fingerprint record in the database: an earlier version may have kept it there and moved it out without replacing it'
  log({
    level: 'warn',
    msg:
      `${why}: replaced, everything it sealed is sealed again under the new key. ` +
      "Backups and copies of the wallet database made before now still hold the old key, and with it the case wallets' holder keys and the staff's service tokens: destroy them, or guard them as the key itself",
    keyNowIn,
    privateKeys: report.privateKeys,
    sessions: report.sessions,
  })
  if (report.privateKeys.unreadable > 0)
    log({
      level: 'warn',
      msg: 'private keys in StoredKey that neither the old nor the new key-encryption key opens were left as they were',
      count: report.privateKeys.unreadable,
    })
}

/**
 * Scrubs the database's files while a rotation's marker is there, then removes the marker. A scrub
 * that fails or cannot finish leaves the marker, and the next start tries again: the wallet runs
 * meanwhile (everything is under the new key), but the old key and envelopes may still lie in the
 * files.
 */
async function finishScrub(
  db: WalletDb,
  schema: string,
  log: (entry: LogEntry) => void,
  step: (step: RotationStep) => void,
): Promise<void> {
  const pending = await db.client.serviceSetting.findUnique({ where: { key: SCRUB_PENDING_SETTING } })
  if (!pending) return
  let result: Awaited<ReturnType<typeof scrubFreedSpace>>
  try {
    result = await scrubFreedSpace(db, { schema, tables: SEALED_TABLES })
  } catch (error) {
    result = { complete: false, reason: String(error) }
  }
  if (!result.complete) {
    log({
      level: 'warn',
      msg: 'the wallet database files may still hold the replaced key-encryption key and what it sealed; the next start scrubs them again',
      reason: result.reason,
    })
    return
  }
  step('scrubbed')
  await db.client.serviceSetting.deleteMany({ where: { key: SCRUB_PENDING_SETTING } })
  log({ level: 'info', msg: 'wallet database files scrubbed of the replaced key-encryption key' })
}
