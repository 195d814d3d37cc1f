import { Writable } from 'node:stream'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  buildOpenApi,
  createServiceApp,
  listen,
  mountRouter,
  type RunningServer,
  standardOperations,
} from '../../src/index.ts'

// GET /health is unauthenticated (orchestrators and the start script poll it). When a dependency
// fails, the caller learns which one, never the error text: a database error names hosts, ports,
// users, file paths. The text goes to the service's log, where the operator reads it.

const SECRET_DETAIL = 'connect ECONNREFUSED 10.1.2.3:5432 (user flora_verifier, /srv/flora/verifier.db)'
let failing = false
const logLines: Record<string, unknown>[] = []
let server: RunningServer

beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logLines.push(JSON.parse(line))
      done()
    },
  })
  const { app, router } = createServiceApp({
    service: 'health-test',
    version: '1',
    logger: pino({ level: 'info' }, sink),
    openapi: buildOpenApi({ title: 'T', version: '1', description: 'd', serverUrl: 'http://localhost', operations: [...standardOperations] }),
    healthChecks: {
      database: async () => {
        if (failing) throw new Error(SECRET_DETAIL)
      },
    },
  })
  mountRouter(app, router)
  server = await listen(app, { host: '127.0.0.1', port: 0 })
})
afterAll(() => server?.close())

describe('/health to an unauthenticated caller', () => {
  it('says which check fails, without its error text; the text goes to the log', async () => {
    failing = true
    try {
      const response = await fetch(`${server.url}/health`)
      const text = await response.text()
      expect(response.status).toBe(503)
      expect(JSON.parse(text)).toMatchObject({ status: 'degraded', checks: { database: 'failing' } })
      for (const fragment of ['ECONNREFUSED', '10.1.2.3', '5432', 'flora_verifier', '/srv/flora'])
        expect(text).not.toContain(fragment)
      expect(logLines.some((line) => JSON.stringify(line).includes('ECONNREFUSED 10.1.2.3:5432'))).toBe(true)
    } finally {
      failing = false
    }
    const healthy = await fetch(`${server.url}/health`)
    expect(healthy.status).toBe(200)
    expect(await healthy.json()).toMatchObject({ status: 'ok', checks: { database: 'ok' } })
  })
})
