import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  buildOpenApi,
  createLogger,
  createServiceApp,
  HttpProblem,
  htmlContentSecurityPolicy,
  listen,
  mountRouter,
  type RunningServer,
  standardOperations,
} from '../../src/index.ts'

// Every response of a service built on the kit carries the security headers, whatever answered it:
// a route, the problem funnel (client and server errors), the 404/405 fallbacks, the body parser.

const STYLE = 'body{margin:0}'

async function startApp(publicUrl: string): Promise<RunningServer> {
  const { app, router } = createServiceApp({
    service: 'headers-test',
    version: '1',
    logger: createLogger('headers-test', 'silent'),
    openapi: buildOpenApi({
      title: 'T',
      version: '1',
      description: 'd',
      serverUrl: publicUrl,
      operations: [...standardOperations],
    }),
    publicUrl,
  })
  router.get('/data', (ctx) => {
    ctx.body = { hello: 'world' }
  })
  router.get('/public-list', (ctx) => {
    // a route that allows caching of public data
    ctx.set('cache-control', 'no-cache')
    ctx.body = { public: true }
  })
  router.get('/page', (ctx) => {
    ctx.set('content-security-policy', htmlContentSecurityPolicy({ inlineStyles: [STYLE] }))
    ctx.type = 'text/html; charset=utf-8'
    ctx.body = `<!doctype html><html><head><style>${STYLE}</style></head><body>ok</body></html>`
  })
  router.post('/things', (ctx) => {
    ctx.status = 201
    ctx.body = ctx.request.body
  })
  router.get('/teapot', () => {
    throw new HttpProblem(418, "I'm a teapot")
  })
  router.get('/boom', () => {
    throw new Error('internal')
  })
  mountRouter(app, router)
  return listen(app, { host: '127.0.0.1', port: 0 })
}

let plain: RunningServer
let tls: RunningServer

beforeAll(async () => {
  plain = await startApp('http://localhost:1')
  // The kit never terminates TLS itself; an https public URL means a TLS-terminating proxy in front.
  tls = await startApp('https://service.example')
})
afterAll(async () => {
  await plain?.close()
  await tls?.close()
})

const JSON_CSP = "default-src 'none'; frame-ancestors 'none'"

function expectSecurityHeaders(response: Response, label: string) {
  const h = response.headers
  expect(h.get('x-content-type-options'), label).toBe('nosniff')
  expect(h.get('referrer-policy'), label).toBe('no-referrer')
  expect(h.get('cross-origin-resource-policy'), label).toBe('same-origin')
  expect(h.get('x-powered-by'), label).toBeNull()
  expect(h.get('server'), label).toBeNull()
}

const requests: [string, () => Promise<Response>][] = [
  ['health', () => fetch(`${plain.url}/health`)],
  ['openapi', () => fetch(`${plain.url}/openapi.json`)],
  ['a route', () => fetch(`${plain.url}/data`)],
  ['unknown path (404)', () => fetch(`${plain.url}/nope`)],
  ['wrong method (405)', () => fetch(`${plain.url}/data`, { method: 'DELETE' })],
  ['problem thrown by a route', () => fetch(`${plain.url}/teapot`)],
  ['server error (500)', () => fetch(`${plain.url}/boom`)],
  [
    'malformed JSON (400 from the body parser)',
    () => fetch(`${plain.url}/things`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' }),
  ],
  [
    'oversized body (413)',
    () =>
      fetch(`${plain.url}/things`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ x: 'y'.repeat(1_200_000) }),
      }),
  ],
]

describe('security headers of every service built on the kit', () => {
  it.each(requests)('%s: nosniff, no referrer, CORP, a strict CSP, no-store, no banner', async (label, send) => {
    const response = await send()
    await response.arrayBuffer()
    expectSecurityHeaders(response, label)
    expect(response.headers.get('content-security-policy'), label).toBe(JSON_CSP)
    expect(response.headers.get('cache-control'), label).toBe('no-store')
    expect(response.headers.get('strict-transport-security'), label).toBeNull()
  })

  it('a route may allow caching of public data, but never for a request that carries credentials', async () => {
    const anonymous = await fetch(`${plain.url}/public-list`)
    expect(anonymous.headers.get('cache-control')).toBe('no-cache')
    const withBearer = await fetch(`${plain.url}/public-list`, { headers: { authorization: 'Bearer x' } })
    expect(withBearer.headers.get('cache-control')).toBe('no-store')
    const withCookie = await fetch(`${plain.url}/public-list`, { headers: { cookie: 'session=x' } })
    expect(withCookie.headers.get('cache-control')).toBe('no-store')
  })

  it('HTML pages get a policy that allows exactly their own inline style, and nothing else', async () => {
    const response = await fetch(`${plain.url}/page`)
    const html = await response.text()
    expectSecurityHeaders(response, 'page')
    const csp = response.headers.get('content-security-policy')!
    const style = /<style>([^<]*)<\/style>/.exec(html)![1]!
    const hash = createHash('sha256').update(style).digest('base64')
    expect(csp).toContain(`style-src 'sha256-${hash}'`)
    expect(csp).toMatch(/(^|; )default-src 'none'(;|$)/)
    expect(csp).toMatch(/(^|; )frame-ancestors 'none'(;|$)/)
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|script-src/)
  })

  it('with an https public URL: Strict-Transport-Security on every response, errors included', async () => {
    for (const path of ['/health', '/data', '/nope', '/teapot', '/boom']) {
      const response = await fetch(`${tls.url}${path}`)
      await response.arrayBuffer()
      expectSecurityHeaders(response, path)
      expect(response.headers.get('strict-transport-security'), path).toMatch(/^max-age=\d{8,}/)
    }
  })
})
