import { createServer, type Server, type Socket, connect } from 'node:net'
import { type TestDatabase, tempPostgresDatabase } from '@flora/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startVerifier, type VerifierUnderTest } from '../support/harness.ts'
import { newEntity, startLedgerNode } from '../support/ledger-node.ts'
import type { TestWorld } from '../support/world.ts'

// GET /health is open to anyone (load balancers and the start script poll it). With the verifier's
// PostgreSQL unreachable, it says that the database check fails — and nothing of the driver's
// error text, which names the database host and port.
//
// The database is taken down for real: the verifier reaches PostgreSQL through a TCP relay that
// the test owns, and the relay is closed (every connection cut, the port refusing new ones).

let ledger: Awaited<ReturnType<typeof startLedgerNode>>
let database: TestDatabase
let relay: Server
const relayed = new Set<Socket>()
let relayPort = 0
let verifier: VerifierUnderTest

beforeAll(async () => {
  ledger = await startLedgerNode()
  database = await tempPostgresDatabase()
  const target = new URL(database.url)
  relay = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname)
    for (const socket of [client, upstream]) {
      relayed.add(socket)
      socket.on('error', () => {})
      socket.on('close', () => relayed.delete(socket))
    }
    client.pipe(upstream).pipe(client)
  })
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve))
  relayPort = (relay.address() as { port: number }).port
  const throughRelay = new URL(database.url)
  throughRelay.host = `127.0.0.1:${relayPort}`
  verifier = await startVerifier(
    { base: ledger.url, root: { did: newEntity().did } } as unknown as TestWorld,
    { FLORA_VERIFIER_DATABASE_URL: throughRelay.toString() },
  )
}, 120_000)

afterAll(async () => {
  await verifier?.close().catch(() => {})
  if (relay?.listening) await new Promise((resolve) => relay.close(resolve))
  await database?.dispose()
  await ledger?.stop()
})

describe('/health with the database down', () => {
  it('503 "failing" to an unauthenticated caller, without the error text', async () => {
    const up = await fetch(`${verifier.url}/health`)
    expect(up.status).toBe(200)
    expect(await up.json()).toMatchObject({ status: 'ok', checks: { database: 'ok' } })

    await new Promise((resolve) => {
      relay.close(resolve)
      for (const socket of relayed) socket.destroy()
    })

    const down = await fetch(`${verifier.url}/health`)
    const text = await down.text()
    expect(down.status).toBe(503)
    expect(JSON.parse(text)).toEqual({
      status: 'degraded',
      service: 'verifier',
      version: expect.any(String),
      uptimeSeconds: expect.any(Number),
      checks: { database: 'failing' },
    })
    for (const fragment of ['ECONNREFUSED', String(relayPort), '127.0.0.1', 'postgres', 'connect', 'Error'])
      expect(text).not.toContain(fragment)
  })
})
