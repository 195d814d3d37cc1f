import { createServer, type Server, type Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDb, DatabaseUrlInvalid, parseDatabaseUrl } from '../../src/index.ts'

// A PostgreSQL server behind a black-holed network (a dead firewall state, a hung proxy) accepts
// the TCP connection and then never answers. Without a connection timeout the driver waits until
// the operating system gives up — many minutes — and every request of the service waits with it.
// Here a local server plays that network: it accepts and never says a word of the PostgreSQL
// handshake. Connecting must fail with a timeout error instead of hanging.

let blackHole: Server
let port = 0
const sockets = new Set<Socket>()

beforeAll(async () => {
  blackHole = createServer((socket) => {
    sockets.add(socket) // hold it open, read nothing, answer nothing
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve))
  port = (blackHole.address() as { port: number }).port
})
afterAll(async () => {
  for (const socket of sockets) socket.destroy()
  await new Promise((resolve) => blackHole?.close(resolve))
})

const url = (query = '') => `postgres://postgres@127.0.0.1:${port}/test${query}`

describe('PostgreSQL connections time out instead of hanging on a silent server', () => {
  it('the migration connection at start fails with a timeout (default timeout)', async () => {
    await expect(createDb({ service: 'issuer', url: url() })).rejects.toThrow(/timeout/i)
  }, 60_000)

  it("a query through the service's Prisma pool fails with a timeout (default timeout)", async () => {
    const db = await createDb({ service: 'verifier', url: url(), migrate: false })
    try {
      await expect(db.ping()).rejects.toThrow(/timeout/i)
    } finally {
      await db.close().catch(() => {})
    }
  }, 60_000)

  it('the timeout is the URL\'s "connect_timeout" (seconds), as libpq names it', async () => {
    expect(parseDatabaseUrl('ledger', url('?connect_timeout=3&schema=ledger_a'))).toMatchObject({
      provider: 'postgresql',
      target: url(),
      schema: 'ledger_a',
      connectTimeoutMs: 3000,
    })
    expect(parseDatabaseUrl('ledger', url()).connectTimeoutMs).toBe(10_000)
    const db = await createDb({ service: 'ledger', url: url('?connect_timeout=1'), migrate: false })
    try {
      await expect(db.ping()).rejects.toThrow(/timeout/i)
    } finally {
      await db.close().catch(() => {})
    }
    await expect(createDb({ service: 'ledger', url: url('?connect_timeout=1') })).rejects.toThrow(/timeout/i)
  }, 60_000)

  it('refuses a connect_timeout that would wait forever or is not a number of seconds', () => {
    for (const bad of ['0', '-1', 'abc', '1.5', '100000'])
      expect(() => parseDatabaseUrl('ledger', url(`?connect_timeout=${bad}`)), bad).toThrow(DatabaseUrlInvalid)
  })
})
