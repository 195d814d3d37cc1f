import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDb, type Db, MigrationChecksumMismatch, services } from '../src/index.ts'
import { type TestDatabase, tempPostgresDatabase, tempSqliteDatabase } from '../src/testing.ts'

// One contract, two backends: every assertion below runs on SQLite and on PostgreSQL.
const backends: [string, () => Promise<TestDatabase>][] = [
  ['sqlite', async () => tempSqliteDatabase()],
  ['postgresql', () => tempPostgresDatabase()],
]

describe.each(backends)('@flora/db on %s', (provider, makeDatabase) => {
  let database: TestDatabase
  let db: Db<'issuer'>

  beforeAll(async () => {
    database = await makeDatabase()
    db = await createDb({ service: 'issuer', url: database.url })
  })
  afterAll(async () => {
    await db?.close()
    await database?.dispose()
  })

  it('selects the provider from the URL and applies every committed migration once', async () => {
    expect(db.provider).toBe(provider)
    await expect(db.ping()).resolves.toBeUndefined()
    expect(db.appliedMigrations.length).toBeGreaterThan(0)
    const again = await createDb({ service: 'issuer', url: database.url })
    expect(again.appliedMigrations).toEqual([])
    await again.close()
  })

  it('round-trips a row with unicode, nulls and timestamps', async () => {
    const created = await db.client.storedKey.create({
      data: {
        kid: 'kid-1',
        owner: 'bamf-dresden',
        alias: 'Außenstelle Dresden — clé ✓',
        keyType: 'Secp256r1',
        publicKeyHex: '04ab',
        encryptedPrivateKey: 'v1.aaa.bbb.ccc',
      },
    })
    const read = await db.client.storedKey.findUniqueOrThrow({ where: { kid: 'kid-1' } })
    expect(read).toEqual(created)
    expect(read.createdAt).toBeInstanceOf(Date)
    const updated = await db.client.storedKey.update({ where: { kid: 'kid-1' }, data: { alias: null } })
    expect(updated.alias).toBeNull()
    await db.client.storedKey.delete({ where: { kid: 'kid-1' } })
    expect(await db.client.storedKey.count()).toBe(0)
  })

  it('enforces unique constraints with Prisma error P2002', async () => {
    const row = {
      owner: 'o',
      alias: 'same',
      keyType: 'Secp256k1',
      publicKeyHex: '02',
      encryptedPrivateKey: 'x',
    }
    await db.client.storedKey.create({ data: { kid: 'u1', ...row } })
    await expect(db.client.storedKey.create({ data: { kid: 'u2', ...row } })).rejects.toMatchObject({
      code: 'P2002',
    })
  })

  it('rolls back an interactive transaction that throws', async () => {
    await expect(
      db.client.$transaction(async (tx) => {
        await tx.serviceSetting.create({ data: { key: 'k', value: 'v' } })
        throw new Error('abort')
      }),
    ).rejects.toThrow('abort')
    expect(await db.client.serviceSetting.findUnique({ where: { key: 'k' } })).toBeNull()
  })

  it('commits an interactive transaction', async () => {
    await db.client.$transaction(async (tx) => {
      await tx.serviceSetting.create({ data: { key: 'a', value: '1' } })
      await tx.serviceSetting.update({ where: { key: 'a' }, data: { value: '2' } })
    })
    expect((await db.client.serviceSetting.findUniqueOrThrow({ where: { key: 'a' } })).value).toBe('2')
  })

  it.each(services)('migrates the %s schema from empty', async (service) => {
    const fresh = await makeDatabase()
    const serviceDb = await createDb({ service, url: fresh.url })
    expect(serviceDb.appliedMigrations.length).toBeGreaterThan(0)
    await serviceDb.close()
    await fresh.dispose()
  })
})

describe('migration integrity', () => {
  it('refuses a database whose applied migration was edited afterwards', async () => {
    const database = tempSqliteDatabase()
    const db = await createDb({ service: 'wallet', url: database.url })
    await db.close()
    const { default: Database } = await import('better-sqlite3')
    const raw = new Database(database.url.replace('file:', ''))
    raw.prepare('UPDATE _flora_migrations SET checksum = ?').run('0'.repeat(64))
    raw.close()
    await expect(createDb({ service: 'wallet', url: database.url })).rejects.toBeInstanceOf(
      MigrationChecksumMismatch,
    )
    await database.dispose()
  })
})
