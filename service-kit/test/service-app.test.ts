import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import {
  buildOpenApi,
  ConfigInvalid,
  createLogger,
  createServiceApp,
  env,
  HttpProblem,
  listen,
  loadConfig,
  mountRouter,
  parseInput,
  type RunningServer,
  standardOperations,
} from '../src/index.ts'

const body = z.object({ caseRef: z.string().min(3), count: z.number().int() }).strict()

let server: RunningServer
let healthy = true

beforeAll(async () => {
  const { app, router } = createServiceApp({
    service: 'test-service',
    version: '1.2.3',
    logger: createLogger('test-service', 'silent'),
    openapi: buildOpenApi({
      title: 'Test',
      version: '1',
      description: 'd',
      serverUrl: 'http://localhost',
      operations: [
        ...standardOperations,
        { method: 'post', path: '/things', summary: 's', body, responses: { '201': { description: 'ok' } } },
      ],
    }),
    healthChecks: {
      database: async () => {
        if (!healthy) throw new Error('unreachable')
      },
    },
  })
  router.post('/things', (ctx) => {
    const input = parseInput(body, ctx.request.body, 'body')
    ctx.status = 201
    ctx.body = input
  })
  router.get('/teapot', () => {
    throw new HttpProblem(418, "I'm a teapot", { detail: 'short and stout', extensions: { spout: true } })
  })
  router.get('/boom', () => {
    throw new Error('secret internal detail')
  })
  mountRouter(app, router)
  server = await listen(app, { host: '127.0.0.1', port: 0 })
})
afterAll(() => server.close())

const post = (path: string, payload: string, type = 'application/json') =>
  fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': type }, body: payload })

describe('service app', () => {
  it('serves /health with the service identity and its checks', async () => {
    const response = await fetch(`${server.url}/health`)
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({
      status: 'ok',
      service: 'test-service',
      checks: { database: 'ok' },
    })
    healthy = false
    const degraded = await fetch(`${server.url}/health`)
    expect(degraded.status).toBe(503)
    expect(await degraded.json()).toMatchObject({
      status: 'degraded',
      checks: { database: 'failing' },
    })
    healthy = true
  })

  it('serves an OpenAPI 3.1 document generated from the zod schemas', async () => {
    const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as Record<string, any>
    expect(doc.openapi).toBe('3.1.0')
    expect(doc.paths['/things'].post.requestBody.content['application/json'].schema.required).toEqual([
      'caseRef',
      'count',
    ])
    expect(doc.paths['/health'].get.responses.default.content).toHaveProperty('application/problem+json')
  })

  it('names the invalid member in a 400 problem', async () => {
    const response = await post('/things', JSON.stringify({ caseRef: 'ab', count: 1 }))
    expect(response.status).toBe(400)
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    const problem = (await response.json()) as Record<string, any>
    expect(problem.detail).toMatch(/\/caseRef/)
    expect(problem['invalid-params'][0].name).toBe('/caseRef')
    expect(problem.instance).toBe('/things')
  })

  it('refuses unknown members', async () => {
    const response = await post('/things', JSON.stringify({ caseRef: 'abc', count: 1, name: 'Jane' }))
    expect(response.status).toBe(400)
    expect(((await response.json()) as { detail: string }).detail).toMatch(/name/)
  })

  it.each([
    ['malformed JSON', '{"caseRef":', 'application/json', 400],
    ['JSON array', '[1,2]', 'application/json', 400],
    ['JSON null', 'null', 'application/json', 400],
    ['wrong content type', 'caseRef=abc', 'text/csv', 400],
    ['oversized body', JSON.stringify({ caseRef: 'x'.repeat(2_000_000), count: 1 }), 'application/json', 413],
  ])('answers %s with problem+json, never 5xx', async (_name, payload, type, status) => {
    const response = await post('/things', payload, type)
    expect(response.status).toBe(status)
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/)
  })

  it('answers unknown paths with 404 and wrong methods with 405', async () => {
    const missing = await fetch(`${server.url}/nope`)
    expect(missing.status).toBe(404)
    expect(missing.headers.get('content-type')).toMatch(/problem\+json/)
    const wrongMethod = await fetch(`${server.url}/things`)
    expect(wrongMethod.status).toBe(405)
    expect(wrongMethod.headers.get('allow')).toMatch(/POST/)
  })

  it('keeps problem extensions and hides server error details', async () => {
    expect(await (await fetch(`${server.url}/teapot`)).json()).toMatchObject({ status: 418, spout: true })
    const boom = await fetch(`${server.url}/boom`)
    expect(boom.status).toBe(500)
    expect(JSON.stringify(await boom.json())).not.toMatch(/secret/)
  })

  it('echoes a safe request id and replaces an unsafe one', async () => {
    const ok = await fetch(`${server.url}/health`, { headers: { 'x-request-id': 'abc-123' } })
    expect(ok.headers.get('x-request-id')).toBe('abc-123')
    const bad = await fetch(`${server.url}/health`, { headers: { 'x-request-id': 'a b<script>' } })
    expect(bad.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
  })
})

describe('config', () => {
  const shape = {
    FLORA_X_PORT: env.port(4200),
    FLORA_X_PUBLIC_URL: env.url('http://localhost:4200/'),
    FLORA_X_ON: env.flag(false),
  }
  it('applies defaults and coercions', () => {
    expect(loadConfig(shape, {})).toEqual({
      FLORA_X_PORT: 4200,
      FLORA_X_PUBLIC_URL: 'http://localhost:4200',
      FLORA_X_ON: false,
    })
    expect(loadConfig(shape, { FLORA_X_PORT: '80', FLORA_X_ON: 'true' })).toMatchObject({
      FLORA_X_PORT: 80,
      FLORA_X_ON: true,
    })
  })
  it('reports every invalid variable at once', () => {
    try {
      loadConfig(shape, { FLORA_X_PORT: '99999', FLORA_X_PUBLIC_URL: 'not a url' })
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigInvalid)
      expect((error as ConfigInvalid).problems.map((p) => p.split(':')[0])).toEqual([
        'FLORA_X_PORT',
        'FLORA_X_PUBLIC_URL',
      ])
    }
  })
  it('accepts a 32-byte key in hex or base64 only', () => {
    const keyShape = { K: env.key32() }
    expect(() => loadConfig(keyShape, { K: 'ab'.repeat(32) })).not.toThrow()
    expect(() => loadConfig(keyShape, { K: Buffer.alloc(32, 7).toString('base64') })).not.toThrow()
    expect(() => loadConfig(keyShape, { K: 'short' })).toThrow(ConfigInvalid)
  })
})
