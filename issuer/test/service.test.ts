import { createDb, type Db } from '@flora/db'
import { type TestDatabase, tempSqliteDatabase } from '@flora/db/testing'
import { createLogger, listen, type RunningServer } from '@flora/service-kit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createIssuerApp, loadIssuerConfig } from '../src/index.ts'

let database: TestDatabase
let db: Db<'issuer'>
let server: RunningServer

beforeAll(async () => {
  database = tempSqliteDatabase()
  const config = loadIssuerConfig({ FLORA_ISSUER_DATABASE_URL: database.url })
  db = await createDb({ service: 'issuer', url: config.FLORA_ISSUER_DATABASE_URL })
  server = await listen(createIssuerApp({ config, db, logger: createLogger('issuer', 'silent') }), {
    host: '127.0.0.1',
    port: 0,
  })
})
afterAll(async () => {
  await server?.close()
  await db?.close()
  await database?.dispose()
})

describe('issuer service', () => {
  it('reports healthy with its database reachable', async () => {
    const response = await fetch(`${server.url}/health`)
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({
      status: 'ok',
      service: 'issuer',
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

  it('defaults to port 4200 and a public URL separate from the bind address', () => {
    const config = loadIssuerConfig({})
    expect(config.FLORA_ISSUER_PORT).toBe(4200)
    expect(config.FLORA_ISSUER_PUBLIC_URL).toBe('http://localhost:4200')
    expect(
      loadIssuerConfig({
        FLORA_ISSUER_HOST: '0.0.0.0',
        FLORA_ISSUER_PUBLIC_URL: 'https://issuer.example.eu/',
      }),
    ).toMatchObject({
      FLORA_ISSUER_HOST: '0.0.0.0',
      FLORA_ISSUER_PUBLIC_URL: 'https://issuer.example.eu',
    })
  })
})
