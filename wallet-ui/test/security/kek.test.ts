import { createHash, randomBytes } from 'node:crypto'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { createDb, type Db } from '@flora/db'
import { type TestDatabase, tempPostgresDatabase, tempSqliteDatabase } from '@flora/db/testing'
import { afterEach, describe, expect, it } from 'vitest'
import { seal } from '../../src/lib/server/seal.ts'
import { type RunningApp, startApp } from '../browser/app.ts'

/*
 * The wallet's key-encryption key (it seals the case wallets' holder keys and the staff's service
 * tokens) is never kept in the wallet database: a copy of the database alone must not open what it
 * protects. Against the real wallet server (its entry point, over HTTP), on SQLite and PostgreSQL.
 */

let app: RunningApp | undefined
let database: TestDatabase | undefined

afterEach(async () => {
  await app?.stop()
  await database?.dispose()
  app = undefined
  database = undefined
})

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

/** A request with a session cookie makes the server open its database and read the session. */
async function homeWithCookie(url: string, cookie: string): Promise<string> {
  const response = await fetch(`${url}/`, { headers: { cookie: `flora_wallet_session=${cookie}` } })
  expect(response.status).toBe(200)
  return response.text()
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
    expect(statSync(file).mode & 0o777).toBe(0o600)
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'hex')
    expect(key).toHaveLength(32)
    const db = await createDb({ service: 'wallet', url: database.url })
    try {
      const stored = await everythingStored(db, database.url)
      for (const text of encodings(key)) expect(stored).not.toContain(text)
      expect(await db.client.serviceSetting.count({ where: { key: 'wallet.kek' } })).toBe(0)
    } finally {
      await db.close()
    }
  })

  it('moves a key an earlier version kept in the database into the file, and what it sealed still opens', async () => {
    database = await makeDatabase()
    const legacy = randomBytes(32)
    const cookie = randomBytes(32).toString('base64url')
    const sessionId = createHash('sha256').update(cookie).digest('hex')
    const db = await createDb({ service: 'wallet', url: database.url })
    try {
      await db.client.serviceSetting.create({ data: { key: 'wallet.kek', value: legacy.toString('base64') } })
      await db.client.walletSession.create({
        data: {
          id: sessionId,
          party: 'verifier',
          role: 'officer',
          username: 'kek.migration.officer',
          sealedServiceToken: seal(legacy, 'service-token', `wallet-session:${sessionId}`),
          expiresAt: new Date(Date.now() + 3_600_000),
        },
      })
      app = await startApp({ FLORA_WALLET_DATABASE_URL: database.url, FLORA_DATA_DIR: database.dataDir })
      // the session sealed with the old key still opens: the page shows who is signed in
      expect(await homeWithCookie(app.url, cookie)).toContain('kek.migration.officer')
      expect(readFileSync(join(database.dataDir, 'wallet.kek'), 'utf8').trim()).toBe(legacy.toString('hex'))
      const stored = await everythingStored(db, database.url)
      for (const text of encodings(legacy)) expect(stored).not.toContain(text)
      expect(await db.client.serviceSetting.count({ where: { key: 'wallet.kek' } })).toBe(0)
    } finally {
      await db.close()
    }
  })
})
