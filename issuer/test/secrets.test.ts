import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createDb, type Db } from '@flora/db'
import { type TestDatabase, tempSqliteDatabase } from '@flora/db/testing'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { resolveSecret } from '../src/assembly.ts'

// The key-encryption key and the deployment secret never sit in the database they protect.
let database: TestDatabase
let db: Db<'issuer'>

beforeEach(async () => {
  database = tempSqliteDatabase()
  db = await createDb({ service: 'issuer', url: database.url })
})
afterEach(async () => {
  await db.close()
  await database.dispose()
})

const settings = async () => (await db.client.serviceSetting.findMany()).map((row) => row.key)

describe('issuer secrets on embedded defaults', () => {
  it('generates each into a 0600 key file beside the data, not into the database, and reads it back', async () => {
    const kek = await resolveSecret(db, undefined, 'kek', database.dataDir)
    const secret = await resolveSecret(db, undefined, 'secret', database.dataDir)
    expect(kek).toHaveLength(32)
    expect(Buffer.from(kek).equals(Buffer.from(secret))).toBe(false)
    for (const name of ['issuer.kek', 'issuer.secret']) {
      const file = join(database.dataDir, name)
      expect(statSync(file).mode & 0o777).toBe(0o600)
    }
    expect(await settings()).not.toContain('issuer.kek')
    expect(await settings()).not.toContain('issuer.secret')
    expect(Buffer.from(await resolveSecret(db, undefined, 'kek', database.dataDir)).equals(Buffer.from(kek))).toBe(true)
  })

  it('takes a configured value as is and writes no file', async () => {
    const configured = randomBytes(32)
    const kek = await resolveSecret(db, configured.toString('hex'), 'kek', database.dataDir)
    expect(Buffer.from(kek).equals(configured)).toBe(true)
    expect(existsSync(join(database.dataDir, 'issuer.kek'))).toBe(false)
  })

  it('moves a value an earlier version kept in the database into the key file, and out of the database', async () => {
    const legacy = randomBytes(32)
    await db.client.serviceSetting.create({ data: { key: 'issuer.kek', value: legacy.toString('base64') } })
    const kek = await resolveSecret(db, undefined, 'kek', database.dataDir)
    expect(Buffer.from(kek).equals(legacy)).toBe(true)
    expect(readFileSync(join(database.dataDir, 'issuer.kek'), 'utf8')).toBe(legacy.toString('hex'))
    expect(await settings()).not.toContain('issuer.kek')
  })

  it('refuses to start when the file and the database disagree', async () => {
    writeFileSync(join(database.dataDir, 'issuer.kek'), randomBytes(32).toString('hex'), { mode: 0o600 })
    await db.client.serviceSetting.create({ data: { key: 'issuer.kek', value: randomBytes(32).toString('base64') } })
    await expect(resolveSecret(db, undefined, 'kek', database.dataDir)).rejects.toThrow(/hold different keks/)
  })
})
