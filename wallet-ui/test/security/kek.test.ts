import { spawn } from 'node:child_process'
import { createHash, createPublicKey, randomBytes, verify } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createDb, type Db } from '@flora/db'
import { type TestDatabase, tempPostgresDatabase, tempSqliteDatabase } from '@flora/db/testing'
import { openPrivateKey, PrismaKeyStore } from '@flora/ebsi-connector'
import { createHolderIdentity, loadHolderIdentity } from '@flora/ebsi-connector/holder'
import { afterEach, describe, expect, it } from 'vitest'
import { openWalletDb } from '../../src/lib/server/db.ts'
import { seal, unseal } from '../../src/lib/server/seal.ts'
import { type RunningApp, startApp } from '../browser/app.ts'

/*
 * The wallet's key-encryption key (it seals the case wallets' holder keys and the staff's service
 * tokens) is never kept in the wallet database: a copy of the database alone must not open what it
 * protects. A key an earlier version kept in the database has been in every copy and backup since,
 * so it is replaced, not moved: everything it sealed is sealed again under a new key, and the old key
 * and the old envelopes are scrubbed from the database's files. Against the real wallet server (its
 * entry point, over HTTP), on SQLite and PostgreSQL.
 */

let app: RunningApp | undefined
let database: TestDatabase | undefined

afterEach(async () => {
  await app?.stop()
  await database?.dispose()
  app = undefined
  database = undefined
})

const CASE_KEY_OWNER = 'case-wallets'

/** Every value of every table of the wallet's schema, as text. */
async function everythingStored(db: Db<'wallet'>, url: string): Promise<string> {
  // PostgreSQL: the test database is one schema (?schema=…) of the server
  const schema = url.startsWith('postgres') ? new URL(url).searchParams.get('schema') : null
  const tables = schema
    ? await db.client.$queryRawUnsafe<{ name: string }[]>(
        'SELECT table_name::text AS name FROM information_schema.tables WHERE table_schema = $1',
        schema,
      )
    : await db.client.$queryRawUnsafe<{ name: string }[]>("SELECT name FROM sqlite_master WHERE type = 'table'")
  expect(tables.map((t) => t.name)).toContain('ServiceSetting')
  let all = ''
  for (const { name } of tables) {
    const table = `${schema ? `"${schema}".` : ''}"${name.replaceAll('"', '')}"`
    const rows = await db.client.$queryRawUnsafe<Record<string, unknown>[]>(`SELECT * FROM ${table}`)
    all += JSON.stringify(rows, (_key, value) => (typeof value === 'bigint' ? String(value) : value))
  }
  return all
}

const encodings = (key: Buffer) => [key.toString('hex'), key.toString('base64'), key.toString('base64url')]

/**
 * The bytes of the database as they lie on disk: the SQLite file and its WAL (and shared memory
 * index), or, on PostgreSQL, the files of every table and index of the test's schema after a
 * CHECKPOINT (so that what the server holds in its buffers is on disk too).
 */
async function databaseFiles(url: string): Promise<{ name: string; bytes: Buffer }[]> {
  if (!url.startsWith('postgres')) {
    const path = url.slice('file:'.length)
    return readdirSync(dirname(path))
      .filter((name) => name.startsWith(basename(path)))
      .map((name) => ({ name, bytes: readFileSync(join(dirname(path), name)) }))
  }
  const schema = new URL(url).searchParams.get('schema')
  const db = await createDb({ service: 'wallet', url, migrate: false })
  try {
    await db.client.$executeRawUnsafe('CHECKPOINT')
    const relations = await db.client.$queryRawUnsafe<{ name: string; bytes: Uint8Array }[]>(
      `SELECT c.relname::text AS name, pg_read_binary_file(pg_relation_filepath(c.oid)) AS bytes
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relkind IN ('r', 'i')`,
      schema,
    )
    expect(relations.map((r) => r.name)).toEqual(expect.arrayContaining(['ServiceSetting', 'StoredKey', 'WalletSession']))
    return relations.map(({ name, bytes }) => ({ name, bytes: Buffer.from(bytes) }))
  } finally {
    await db.close()
  }
}

/** Which of `secrets` (text or raw bytes) some file of the database still holds. */
async function secretsOnDisk(url: string, secrets: (string | Buffer)[]): Promise<string[]> {
  const found: string[] = []
  for (const { name, bytes } of await databaseFiles(url))
    for (const secret of secrets)
      if (bytes.includes(typeof secret === 'string' ? Buffer.from(secret) : secret))
        found.push(`${name}: ${typeof secret === 'string' ? secret.slice(0, 16) : 'raw key'}…`)
  return found
}

/** A request with a session cookie makes the server open its database and read the session. */
async function homeWithCookie(url: string, cookie: string): Promise<string> {
  const response = await fetch(`${url}/`, { headers: { cookie: `flora_wallet_session=${cookie}` } })
  expect(response.status).toBe(200)
  return response.text()
}

const sessionIdOf = (cookie: string) => createHash('sha256').update(cookie).digest('hex')
const tokenContext = (sessionId: string) => `wallet-session:${sessionId}`

/** What an earlier version left in a wallet database: its key-encryption key and what it sealed. */
interface LegacyDatabase {
  legacy: Buffer
  cookie: string
  username: string
  holder: { alias: string; did: string; publicKeyJwk: Record<string, unknown> }
  /** Every sealed value (holder keys, service tokens) as the old key sealed it. */
  oldEnvelopes: string[]
}

/**
 * A wallet database as an earlier version left it: the key-encryption key in ServiceSetting
 * (base64, the only encoding it stored), a case wallet's holder key and another tenant's key sealed
 * with it (the real key store), a live staff session and an expired one whose service tokens it
 * sealed. The old key is on disk before the test starts (checked: the probe would see it).
 */
async function legacyDatabase(url: string): Promise<LegacyDatabase> {
  const legacy = randomBytes(32)
  const cookie = randomBytes(32).toString('base64url')
  const username = `kek.migration.officer.${randomBytes(3).toString('hex')}`
  const db = await createDb({ service: 'wallet', url })
  try {
    await db.client.serviceSetting.create({ data: { key: 'wallet.kek', value: legacy.toString('base64') } })
    const keys = new PrismaKeyStore({ db: db.client, kek: legacy, owner: CASE_KEY_OWNER })
    const alias = `case-${randomBytes(4).toString('hex')}`
    const identity = await createHolderIdentity(keys, alias)
    await db.client.walletCase.create({
      data: { id: `case-kek-${alias}`, holderDid: identity.did, keyAlias: alias, openedBy: 'bamf-dresden' },
    })
    await keys.forOwner('another-tenant').createKey({ keyType: 'Secp256k1', alias: 'other' })
    for (const [id, expiresAt, token] of [
      [sessionIdOf(cookie), new Date(Date.now() + 3_600_000), 'service-token'],
      [sessionIdOf('expired'), new Date(Date.now() - 60_000), 'expired-service-token'],
    ] as const) {
      await db.client.walletSession.create({
        data: {
          id,
          party: 'verifier',
          role: 'officer',
          username,
          sealedServiceToken: seal(legacy, token, tokenContext(id)),
          expiresAt,
        },
      })
    }
    const oldEnvelopes = [
      ...(await db.client.storedKey.findMany()).map((row) => row.encryptedPrivateKey),
      ...(await db.client.walletSession.findMany()).map((row) => row.sealedServiceToken),
    ]
    expect(oldEnvelopes).toHaveLength(4)
    return {
      legacy,
      cookie,
      username,
      holder: { alias, did: identity.did, publicKeyJwk: { ...identity.signer.publicKeyJwk } },
      oldEnvelopes,
    }
  } finally {
    await db.close()
    // the probe sees the old key where it lies today (else "not found afterwards" would prove nothing)
    expect(await secretsOnDisk(url, [legacy.toString('base64')])).not.toEqual([])
  }
}

/**
 * After the wallet started on a legacy database: `key` (the new one) opens every sealed value and the
 * old key opens none, the case wallet's holder key signs as the same did:key, no table and no file
 * of the database holds the old key (any encoding, raw bytes too) or anything it sealed.
 */
async function expectReplaced(url: string, before: LegacyDatabase, key: Buffer): Promise<void> {
  const oldSecrets = [...encodings(before.legacy), before.legacy, ...before.oldEnvelopes]
  expect(await secretsOnDisk(url, oldSecrets)).toEqual([])
  expect(key).toHaveLength(32)
  expect(key.equals(before.legacy)).toBe(false)
  const db = await createDb({ service: 'wallet', url })
  try {
    expect(await db.client.serviceSetting.count({ where: { key: 'wallet.kek' } })).toBe(0)
    const stored = await everythingStored(db, url)
    for (const text of [...encodings(before.legacy), ...before.oldEnvelopes]) expect(stored).not.toContain(text)

    const keys = await db.client.storedKey.findMany()
    expect(keys).toHaveLength(2)
    for (const row of keys) {
      const context = { kid: row.kid, owner: row.owner }
      expect(openPrivateKey(key, row.encryptedPrivateKey, context)).toHaveLength(32)
      expect(() => openPrivateKey(before.legacy, row.encryptedPrivateKey, context)).toThrow()
    }
    const sessions = await db.client.walletSession.findMany()
    expect(sessions.map((s) => s.id)).toContain(sessionIdOf(before.cookie))
    for (const session of sessions) {
      expect(unseal(key, session.sealedServiceToken, tokenContext(session.id))).toMatch(/service-token$/)
      expect(() => unseal(before.legacy, session.sealedServiceToken, tokenContext(session.id))).toThrow()
    }

    // the case wallet's holder key still signs, as the same did:key
    const holder = await loadHolderIdentity(
      new PrismaKeyStore({ db: db.client, kek: key, owner: CASE_KEY_OWNER }),
      before.holder.alias,
    )
    expect(holder.did).toBe(before.holder.did)
    const jwt = await holder.signer.signJwt({ sub: holder.did, nonce: randomBytes(8).toString('hex') })
    const [header, payload, signature] = jwt.split('.') as [string, string, string]
    const publicKey = createPublicKey({ key: before.holder.publicKeyJwk, format: 'jwk' })
    expect(
      verify('sha256', Buffer.from(`${header}.${payload}`), { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url')),
    ).toBe(true)
  } finally {
    await db.close()
  }
}

const keyFileOf = (dataDir: string) => {
  const file = join(dataDir, 'wallet.kek')
  expect(statSync(file).mode & 0o777).toBe(0o600)
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'hex')
}

describe.each([
  ['sqlite', () => Promise.resolve(tempSqliteDatabase())],
  ['postgresql', () => tempPostgresDatabase()],
] as const)('the wallet key-encryption key on %s', (_provider, makeDatabase) => {
  it('is generated into <data dir>/wallet.kek (0600), and no table of the wallet database holds it', async () => {
    database = await makeDatabase()
    app = await startApp({ FLORA_WALLET_DATABASE_URL: database.url, FLORA_DATA_DIR: database.dataDir })
    await homeWithCookie(app.url, 'no-such-session')
    const file = join(database.dataDir, 'wallet.kek')
    expect(existsSync(file)).toBe(true)
    const key = keyFileOf(database.dataDir)
    expect(key).toHaveLength(32)
    const db = await createDb({ service: 'wallet', url: database.url })
    try {
      const stored = await everythingStored(db, database.url)
      for (const text of encodings(key)) expect(stored).not.toContain(text)
      expect(await db.client.serviceSetting.count({ where: { key: 'wallet.kek' } })).toBe(0)
    } finally {
      await db.close()
    }
    // a key that never was in the database stays the key: the next start does not replace it
    await app.stop()
    app = await startApp({ FLORA_WALLET_DATABASE_URL: database.url, FLORA_DATA_DIR: database.dataDir })
    await homeWithCookie(app.url, 'no-such-session')
    expect(keyFileOf(database.dataDir).equals(key)).toBe(true)
    expect(app.logs()).not.toMatch(/"level":"warn"/)
  })

  it('replaces a key an earlier version kept in the database: everything is sealed again under a new key in the file, and the old key and envelopes are gone from the files', async () => {
    database = await makeDatabase()
    const before = await legacyDatabase(database.url)
    app = await startApp({ FLORA_WALLET_DATABASE_URL: database.url, FLORA_DATA_DIR: database.dataDir })
    // the session sealed with the old key is sealed again and still opens: the page shows who is signed in
    expect(await homeWithCookie(app.url, before.cookie)).toContain(before.username)
    // a copy of the database taken now, while the wallet runs, holds neither the old key nor its envelopes
    await expectReplaced(database.url, before, keyFileOf(database.dataDir))
    // the operator is told that earlier backups still hold the old key
    expect(app.logs()).toMatch(/"level":"warn".*backups and copies of the wallet database made before now still hold the old key/i)
    await app.stop()
    app = undefined
    await expectReplaced(database.url, before, keyFileOf(database.dataDir))
  })

  it('replaces a key an earlier version moved out of the database into the file without replacing it (row deleted, bytes left)', async () => {
    database = await makeDatabase()
    const before = await legacyDatabase(database.url)
    // what that version did at start: the key to <data dir>/wallet.kek, its row deleted
    writeFileSync(join(database.dataDir, 'wallet.kek'), before.legacy.toString('hex'), { mode: 0o600 })
    const db = await createDb({ service: 'wallet', url: database.url })
    try {
      await db.client.serviceSetting.delete({ where: { key: 'wallet.kek' } })
    } finally {
      await db.close()
    }
    app = await startApp({ FLORA_WALLET_DATABASE_URL: database.url, FLORA_DATA_DIR: database.dataDir })
    expect(await homeWithCookie(app.url, before.cookie)).toContain(before.username)
    await expectReplaced(database.url, before, keyFileOf(database.dataDir))
    expect(app.logs()).toMatch(/"level":"warn".*backups and copies of the wallet database made before now still hold the old key/i)
  })

  it('with FLORA_WALLET_KEK set, seals everything the database-held key sealed again under the configured key', async () => {
    database = await makeDatabase()
    const before = await legacyDatabase(database.url)
    const configured = randomBytes(32)
    app = await startApp({
      FLORA_WALLET_DATABASE_URL: database.url,
      FLORA_DATA_DIR: database.dataDir,
      FLORA_WALLET_KEK: configured.toString('hex'),
    })
    expect(await homeWithCookie(app.url, before.cookie)).toContain(before.username)
    await expectReplaced(database.url, before, configured)
    expect(existsSync(join(database.dataDir, 'wallet.kek'))).toBe(false)
  })

  it('refuses a key that is not the one the database is sealed under, configured or in the file', async () => {
    database = await makeDatabase()
    const settings = { databaseUrl: database.url, dataDir: database.dataDir, kek: undefined }
    const first = await openWalletDb(settings)
    await first.db.close()
    await expect(openWalletDb({ ...settings, kek: randomBytes(32).toString('hex') })).rejects.toThrow(
      /FLORA_WALLET_KEK.*is not the one the wallet database is sealed under/,
    )
    writeFileSync(join(database.dataDir, 'wallet.kek'), randomBytes(32).toString('hex'), { mode: 0o600 })
    await expect(openWalletDb(settings)).rejects.toThrow(/wallet\.kek.*is not the one the wallet database is sealed under/)
    writeFileSync(join(database.dataDir, 'wallet.kek'), Buffer.from(first.kek).toString('hex'), { mode: 0o600 })
    const again = await openWalletDb(settings)
    expect(Buffer.from(again.kek).equals(Buffer.from(first.kek))).toBe(true)
    await again.db.close()
  })

  it('refuses a configured FLORA_WALLET_KEK that is the key the database held, and leaves the database as it was', async () => {
    database = await makeDatabase()
    const before = await legacyDatabase(database.url)
    const url = database.url
    await expect(
      openWalletDb({ databaseUrl: url, dataDir: database.dataDir, kek: before.legacy.toString('hex') }),
    ).rejects.toThrow(/FLORA_WALLET_KEK.*database/)
    const db = await createDb({ service: 'wallet', url })
    try {
      expect(await db.client.serviceSetting.count({ where: { key: 'wallet.kek' } })).toBe(1)
      for (const row of await db.client.storedKey.findMany())
        expect(openPrivateKey(before.legacy, row.encryptedPrivateKey, { kid: row.kid, owner: row.owner })).toHaveLength(32)
    } finally {
      await db.close()
    }
  })
})

const childScript = join(dirname(fileURLToPath(import.meta.url)), 'kek-crash-child.ts')
const appDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

/** Runs the wallet's start in a child process that dies by SIGKILL at `step` of the rotation. */
function startAndDieAt(url: string, dataDir: string, step: string): Promise<{ code: number | null; signal: string | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', childScript, url, dataDir, step], {
      cwd: appDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    child.on('error', reject)
    child.on('exit', (code, signal) => resolve({ code, signal, output }))
  })
}

describe.each([
  ['sqlite', () => Promise.resolve(tempSqliteDatabase())],
  ['postgresql', () => tempPostgresDatabase()],
] as const)('the key rotation on %s, interrupted', (_provider, makeDatabase) => {
  it.each([
    // the new key is on disk beside the key file, nothing in the database changed yet
    'staged',
    // every value sealed again and the old key deleted, the transaction not committed
    'resealed',
    // the transaction committed, the new key not yet the key file
    'committed',
    // the new key is the key file, the database files not yet scrubbed
    'key-file-written',
    // the files scrubbed, the pending scrub not yet marked done
    'scrubbed',
  ])('by a crash after step "%s": the next start opens everything and finishes the job', async (step) => {
    database = await makeDatabase()
    const before = await legacyDatabase(database.url)
    const crashed = await startAndDieAt(database.url, database.dataDir, step)
    expect({ signal: crashed.signal, code: crashed.code }, crashed.output).toEqual({ signal: 'SIGKILL', code: null })
    app = await startApp({ FLORA_WALLET_DATABASE_URL: database.url, FLORA_DATA_DIR: database.dataDir })
    expect(await homeWithCookie(app.url, before.cookie)).toContain(before.username)
    await expectReplaced(database.url, before, keyFileOf(database.dataDir))
    expect(existsSync(join(database.dataDir, 'wallet.kek.next'))).toBe(false)
  })
})
