import { createDb, type Db } from '@flora/db'
import { type TestDatabase, tempPostgresDatabase, tempSqliteDatabase } from '@flora/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawnVerifierProcess, type VerifierProcess } from '../support/verifier-process.ts'
import { TestWorld } from '../support/world.ts'

// The Eurodac reference an officer enters with an OpenID4VP request serves one purpose: the
// subject-binding check of that request's answer. It is erased when the answer is verified — and
// now also when the request expires unanswered: by the verifier's periodic sweep, or at the latest
// when the expired request is read. Checked in the verifier's database itself, on SQLite and
// PostgreSQL, with the verifier running as deployed (src/main.ts in a process of its own).

const REFERENCE = 'DE 1234 5678 90'
let world: TestWorld

beforeAll(async () => {
  world = await new TestWorld().start()
})
afterAll(async () => {
  await world?.stop()
})

type Row = { status: string; eurodacReference: string | null } | null

describe.each([
  ['SQLite', async () => tempSqliteDatabase()],
  ['PostgreSQL', async () => tempPostgresDatabase()],
])('on %s', (_provider, newDatabase) => {
  const running: { verifier: VerifierProcess; db: Db<'verifier'> }[] = []
  afterAll(async () => {
    for (const { verifier, db } of running) {
      await db.close()
      await verifier.stop()
    }
  })

  /** A verifier process with 1-second requests, and a connection of the test's own to its database. */
  async function start(sweepSeconds: number) {
    const database: TestDatabase = await newDatabase()
    const verifier = await spawnVerifierProcess({
      ledgerUrl: world.base,
      trustAnchor: world.root.did,
      database,
      env: {
        FLORA_VERIFIER_REQUEST_TTL_SECONDS: '1',
        FLORA_VERIFIER_REQUEST_SWEEP_SECONDS: String(sweepSeconds),
      },
    })
    const db = await createDb({ service: 'verifier', url: database.url, migrate: false })
    running.push({ verifier, db })
    const auth = { authorization: `Bearer ${verifier.officerToken}`, 'content-type': 'application/json' }
    const createRequest = async () => {
      const response = await fetch(`${verifier.url}/presentation-requests`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ eurodacReference: REFERENCE }),
      })
      expect(response.status).toBe(201)
      return (await response.json()) as { id: string; state: string; requestUri: string; expiresAt: string }
    }
    const row = (id: string): Promise<Row> =>
      db.client.presentationRequest.findUnique({ where: { id }, select: { status: true, eurodacReference: true } })
    return { verifier, auth, createRequest, row }
  }

  const pastExpiry = async (expiresAt: string) => {
    const wait = Date.parse(expiresAt) - Date.now() + 50
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
  }

  it('the sweep erases the reference of requests never fetched and of requests fetched but never answered', async () => {
    const { createRequest, row } = await start(1)
    const neverFetched = await createRequest()
    const neverAnswered = await createRequest()
    expect((await fetch(neverAnswered.requestUri)).status).toBe(200) // the wallet fetched it, then nothing
    // kept while the request may still be answered
    expect(await row(neverFetched.id)).toEqual({ status: 'created', eurodacReference: REFERENCE })
    expect(await row(neverAnswered.id)).toEqual({ status: 'fetched', eurodacReference: REFERENCE })

    // Nobody touches either request again: only the verifier's own sweep can erase the reference.
    // The sweep runs every second; 20 s is generous on a loaded machine, and the loop ends as soon
    // as both rows are swept.
    const deadline = Date.now() + 20_000
    let rows: Row[] = []
    do {
      await new Promise((resolve) => setTimeout(resolve, 250))
      rows = [await row(neverFetched.id), await row(neverAnswered.id)]
    } while (rows.some((r) => r?.eurodacReference !== null) && Date.now() < deadline)
    expect(rows).toEqual([
      { status: 'expired', eurodacReference: null },
      { status: 'expired', eurodacReference: null },
    ])
  }, 60_000)

  it('an expired request read before any sweep (wallet, direct_post, officer) is erased on that read', async () => {
    // The sweep as good as never runs here: the erasure must come from the reads themselves.
    const { verifier, auth, createRequest, row } = await start(86_400)

    const fetchedLate = await createRequest()
    await pastExpiry(fetchedLate.expiresAt)
    expect((await fetch(fetchedLate.requestUri)).status).toBe(400)
    expect(await row(fetchedLate.id)).toEqual({ status: 'expired', eurodacReference: null })

    const answeredLate = await createRequest()
    expect((await fetch(answeredLate.requestUri)).status).toBe(200)
    await pastExpiry(answeredLate.expiresAt)
    const answer = await fetch(`${verifier.url}/oid4vp/response`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ state: answeredLate.state, vp_token: 'x.y.z', presentation_submission: '{}' }),
      redirect: 'manual',
    })
    expect(answer.status).toBe(302)
    expect(answer.headers.get('location')).toContain('error_description=the+request+has+expired')
    expect(await row(answeredLate.id)).toEqual({ status: 'expired', eurodacReference: null })

    const lookedUp = await createRequest()
    await pastExpiry(lookedUp.expiresAt)
    const status = await fetch(`${verifier.url}/presentation-requests/${lookedUp.id}`, { headers: auth })
    expect(await status.json()).toMatchObject({ id: lookedUp.id, status: 'expired' })
    expect(await row(lookedUp.id)).toEqual({ status: 'expired', eurodacReference: null })
  })
})
