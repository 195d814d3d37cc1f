import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createGuardedFetch, OutboundRefused } from '../../src/holder/index.ts'

/*
 * The holder's outbound requests go only to origins trusted for the role, never follow a redirect
 * off the origin, give up after the timeout and cut an oversized answer. Real HTTP servers on
 * loopback; each records what reached it.
 */

interface Recorded {
  url: string
  origin: string
  hits: string[]
  server: Server
}

async function serve(handle: (request: IncomingMessage, response: ServerResponse) => void): Promise<Recorded> {
  const hits: string[] = []
  const server = createServer((request, response) => {
    hits.push(`${request.method} ${request.url}`)
    handle(request, response)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { url: origin, origin, hits, server }
}

let trusted: Recorded
let other: Recorded
let huge = false

beforeAll(async () => {
  other = await serve((_request, response) => {
    response.writeHead(401, { 'content-type': 'application/json' })
    response.end('{"detail":"authentication required"}')
  })
  trusted = await serve((request, response) => {
    if (request.url === '/ok') {
      response.writeHead(200, { 'content-type': 'application/json' })
      return void response.end('{"ok":true}')
    }
    if (request.url === '/same-origin-redirect') {
      response.writeHead(302, { location: '/ok' })
      return void response.end()
    }
    if (request.url === '/off-origin-redirect') {
      response.writeHead(302, { location: `${other.origin}/reports` })
      return void response.end()
    }
    if (request.url === '/manual-redirect') {
      response.writeHead(302, { location: 'openid://?code=abc' })
      return void response.end()
    }
    if (request.url === '/silent') return // never answers
    if (request.url === '/slow-body') {
      response.writeHead(200, { 'content-type': 'application/json' })
      return void response.write('{"partial":') // and never ends
    }
    if (request.url === '/huge') {
      huge = true
      response.writeHead(200, { 'content-type': 'application/json' })
      const chunk = Buffer.alloc(16 * 1024, 'a')
      const pump = () => {
        while (!response.destroyed && response.write(chunk)) {}
        if (!response.destroyed) response.once('drain', pump)
      }
      response.on('close', () => {
        huge = false
      })
      return pump()
    }
    response.writeHead(404)
    response.end()
  })
})

afterAll(async () => {
  for (const { server } of [trusted, other]) {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
})

beforeEach(() => {
  trusted.hits.length = 0
  other.hits.length = 0
})

const guarded = (overrides: Partial<Parameters<typeof createGuardedFetch>[0]> = {}) =>
  createGuardedFetch({ role: 'issuer', allowedOrigins: [trusted.origin], timeoutMs: 1_000, maxBytes: 4096, ...overrides })

async function refusal(promise: Promise<unknown>): Promise<OutboundRefused> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(OutboundRefused)
  return error as OutboundRefused
}

describe('guarded fetch of the holder', () => {
  it('reaches a trusted origin and hands back the answer already read', async () => {
    const response = await guarded()(`${trusted.origin}/ok`)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ ok: true })
  })

  it('makes no request to an origin not trusted for the role, and says so in its own words', async () => {
    const error = await refusal(guarded()(`${other.origin}/reports`))
    expect(error.reason).toBe('untrusted-origin')
    expect(error.message).not.toContain('authentication required')
    expect(other.hits).toEqual([])
  })

  it('takes localhost and 127.0.0.1 for different origins', async () => {
    const port = new URL(trusted.origin).port
    const error = await refusal(guarded({ allowedOrigins: [`http://localhost:${port}`] })(`${trusted.origin}/ok`))
    expect(error.reason).toBe('untrusted-origin')
    expect(trusted.hits).toEqual([])
  })

  it('refuses other schemes', async () => {
    expect((await refusal(guarded()('file:///etc/passwd'))).reason).toBe('untrusted-origin')
  })

  it('follows a redirect within the origin, never one off it', async () => {
    expect(await (await guarded()(`${trusted.origin}/same-origin-redirect`)).json()).toEqual({ ok: true })
    const error = await refusal(guarded()(`${trusted.origin}/off-origin-redirect`))
    expect(error.reason).toBe('redirect-off-origin')
    expect(other.hits).toEqual([])
  })

  it('hands a redirect back as it is when the caller asks for redirect: manual', async () => {
    const response = await guarded()(`${trusted.origin}/manual-redirect`, { method: 'POST', redirect: 'manual' })
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe('openid://?code=abc')
  })

  it('gives up on an address that never answers, and on a body that never ends, after the timeout', async () => {
    expect((await refusal(guarded({ timeoutMs: 300 })(`${trusted.origin}/silent`))).reason).toBe('timeout')
    expect((await refusal(guarded({ timeoutMs: 300 })(`${trusted.origin}/slow-body`))).reason).toBe('timeout')
  })

  it('cuts an oversized answer: the connection is closed long before the body ends', async () => {
    const error = await refusal(guarded()(`${trusted.origin}/huge`))
    expect(error.reason).toBe('too-large')
    await expect.poll(() => huge).toBe(false)
  })

  it('reports an address nobody listens on as unreachable', async () => {
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    await new Promise((resolve) => server.close(resolve))
    expect((await refusal(guarded({ allowedOrigins: [origin] })(`${origin}/x`))).reason).toBe('unreachable')
  })
})
