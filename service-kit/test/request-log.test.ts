import { Writable } from 'node:stream'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServiceApp, listen, loggablePath, mountRouter, type RunningServer } from '../src/index.ts'

// A capability URL (a calendar feed) carries its secret in the path: the request log and the error
// log must not, or whoever reads the logs can use the feed.

const SECRET = 'Zk9vYmFyYmF6cXV1eGNvcmdlZ3JhdWx0Z2FycGx5d2FsZG8'
const lines: Record<string, unknown>[] = []
let server: RunningServer

beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line))
      done()
    },
  })
  const { app, router } = createServiceApp({
    service: 'log-test',
    version: '1',
    logger: pino({ level: 'info' }, sink),
    openapi: {},
    redactPaths: ['/feeds/'],
  })
  router.get('/feeds/:file', (ctx) => {
    if (ctx.params.file === 'boom.ics') throw new Error('failure')
    ctx.body = 'ok'
  })
  router.get('/cases/:caseId', (ctx) => {
    ctx.body = { id: ctx.params.caseId }
  })
  mountRouter(app, router)
  server = await listen(app, { host: '127.0.0.1', port: 0 })
})
afterAll(() => server.close())

describe('request log', () => {
  it('logs a registered secret-carrying path redacted, with the route pattern that answered', async () => {
    for (const path of [
      `/feeds/${SECRET}.ics`,
      `/FEEDS/${SECRET}.ics`,
      `/feeds/${SECRET}/x`,
      '/feeds/boom.ics',
    ])
      await (await fetch(`${server.url}${path}`)).arrayBuffer()
    const text = JSON.stringify(lines)
    expect(text).not.toContain(SECRET)
    expect(text).not.toContain('boom')
    const requests = lines.filter((line) => line.msg === 'request')
    expect(requests).toHaveLength(4)
    expect(requests[0]).toMatchObject({ path: '/feeds/[redacted]', route: '/feeds/:file', status: 200 })
    expect(requests[1]).toMatchObject({ path: '/FEEDS/[redacted]', status: 200 })
    expect(requests[2]).toMatchObject({ path: '/feeds/[redacted]', status: 404 })
    expect(requests[2]?.route).toBeUndefined()
    expect(lines.find((line) => line.msg === 'request failed')).toMatchObject({ path: '/feeds/[redacted]' })
  })

  it('logs other paths as they are', async () => {
    await (await fetch(`${server.url}/cases/c-1`)).arrayBuffer()
    expect(lines.at(-1)).toMatchObject({ msg: 'request', path: '/cases/c-1', route: '/cases/:caseId' })
    expect(loggablePath('/feedsx/a', ['/feeds/'])).toBe('/feedsx/a')
  })
})
