import { createDb } from '@flora/db'
import { type TestDatabase, tempPostgresDatabase, tempSqliteDatabase } from '@flora/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawnVerifierProcess } from '../support/verifier-process.ts'
import { TestWorld } from '../support/world.ts'

// Every nonce the verifier hands out (POST /nonces, each OpenID4VP request) is a row; without a
// prune they pile up for ever. The verifier's periodic sweep deletes those that expired more than an
// hour ago and leaves the others — checked in its own database, with the verifier running as
// deployed (src/main.ts in a process of its own), on SQLite and PostgreSQL.

let world: TestWorld
beforeAll(async () => {
  world = await new TestWorld().start()
})
afterAll(async () => {
  await world?.stop()
})

describe.each([
  ['SQLite', async () => tempSqliteDatabase()],
  ['PostgreSQL', async () => tempPostgresDatabase()],
])('nonce retention on %s', (_provider, newDatabase) => {
  it('the sweep deletes nonces expired for over an hour and keeps live and recently expired ones', async () => {
    const database: TestDatabase = await newDatabase()
    const verifier = await spawnVerifierProcess({
      ledgerUrl: world.base,
      trustAnchor: world.root.did,
      database,
      env: { FLORA_VERIFIER_REQUEST_SWEEP_SECONDS: '1' },
    })
    const db = await createDb({ service: 'verifier', url: database.url, migrate: false })
    try {
      const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000)
      await db.client.verifierNonce.createMany({
        data: [
          { nonce: 'long-expired', purpose: 'direct', expiresAt: hoursAgo(2), createdAt: hoursAgo(2.1) },
          {
            nonce: 'long-expired-used',
            purpose: 'direct',
            expiresAt: hoursAgo(3),
            consumedAt: hoursAgo(3.05),
            createdAt: hoursAgo(3.1),
          },
          { nonce: 'just-expired', purpose: 'direct', expiresAt: hoursAgo(0.1), createdAt: hoursAgo(0.2) },
        ],
      })
      const live = await fetch(`${verifier.url}/nonces`, {
        method: 'POST',
        headers: { authorization: `Bearer ${verifier.officerToken}`, 'content-type': 'application/json' },
        body: '{}',
      })
      expect(live.status).toBe(201)
      const { nonce } = (await live.json()) as { nonce: string }

      const remaining = async () =>
        (await db.client.verifierNonce.findMany({ select: { nonce: true } })).map((r) => r.nonce).sort()
      const deadline = Date.now() + 20_000
      while ((await remaining()).includes('long-expired') && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 200))
      expect(await remaining()).toEqual(['just-expired', nonce].sort())
    } finally {
      await db.close()
      await verifier.stop()
      await database.dispose()
    }
  })
})
