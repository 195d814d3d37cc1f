import { createDb, type Db } from '@flora/db'
import { type TestDatabase, tempSqliteDatabase } from '@flora/db/testing'
import { createLogger, listen, type RunningServer } from '@flora/service-kit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createVerifierApp, loadVerifierConfig } from '../src/index.ts'

let database: TestDatabase
let db: Db<'verifier'>
let server: RunningServer

beforeAll(async () => {
  database = tempSqliteDatabase()
  const config = loadVerifierConfig({ FLORA_VERIFIER_DATABASE_URL: database.url })
  db = await createDb({ service: 'verifier', url: config.FLORA_VERIFIER_DATABASE_URL })
  server = await listen(createVerifierApp({ config, db, logger: createLogger('verifier', 'silent') }), {
    host: '127.0.0.1',
    port: 0,
  })
})
afterAll(async () => {
  await server?.close()
  await db?.close()
  await database?.dispose()
})

describe('verifier service', () => {
  it('reports healthy with its database reachable', async () => {
    const response = await fetch(`${server.url}/health`)
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({
      status: 'ok',
      service: 'verifier',
      checks: { database: 'ok' },
    })
  })

  it('serves its OpenAPI description', async () => {
    const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as {
      openapi: string
      paths: object
    }
    expect(doc.openapi).toBe('3.1.0')
    expect(Object.keys(doc.paths)).toContain('/health')
  })

  it('defaults to port 4300 and a public URL separate from the bind address', () => {
    const config = loadVerifierConfig({})
    expect(config.FLORA_VERIFIER_PORT).toBe(4300)
    expect(config.FLORA_VERIFIER_PUBLIC_URL).toBe('http://localhost:4300')
    expect(
      loadVerifierConfig({
        FLORA_VERIFIER_HOST: '0.0.0.0',
        FLORA_VERIFIER_PUBLIC_URL: 'https://verifier.example.eu/',
      }),
    ).toMatchObject({
      FLORA_VERIFIER_HOST: '0.0.0.0',
      FLORA_VERIFIER_PUBLIC_URL: 'https://verifier.example.eu',
    })
  })
})
