import { randomBytes } from 'node:crypto'
import { createDb } from '@flora/db'
import { type TestDatabase, tempPostgresDatabase, tempSqliteDatabase } from '@flora/db/testing'
import { afterEach, describe, expect, it } from 'vitest'
import type { Actor } from '../node/helpers/actor.ts'
import { LedgerTestClient } from '../node/helpers/ledger-client.ts'
import { type LedgerProcess, startLedgerProcess } from '../node/helpers/ledger-process.ts'

/**
 * Issue 18 item 4: acceptance is durable before it is answered. A node that answered a
 * transaction's hash and then died before the transaction's block (SIGKILL: no shutdown hook
 * runs) executes it after the restart. Before the fix accepted transactions lived only in memory
 * and were lost with the process: their receipts never came.
 */

const backends: [string, () => Promise<TestDatabase>][] = [
  ['SQLite', async () => tempSqliteDatabase()],
  ['PostgreSQL', () => tempPostgresDatabase()],
]

/** No block is cut while the test runs: every accepted transaction is still waiting when the node dies. */
const NO_BLOCKS = { FLORA_LEDGER_BLOCK_INTERVAL_MS: '600000' }

async function sendTimestamp(client: LedgerTestClient, actor: Actor, token: string, value: string) {
  const unsigned = await client.build(
    'timestamp/v4',
    'timestampHashes',
    { from: actor.address, hashAlgorithmIds: [0], hashValues: [value] },
    token,
  )
  const sent = await client.send('timestamp/v4', actor.sign(unsigned), token)
  expect(sent.status, JSON.stringify(sent.body)).toBe(200)
  return sent.body.result as string
}

describe.each(backends)('accepted transactions survive a crash on %s', (_name, makeDatabase) => {
  let database: TestDatabase | undefined
  let ledger: LedgerProcess | undefined
  afterEach(async () => {
    await ledger?.kill('SIGKILL')
    await database?.dispose()
  })

  it('executes after a restart every transaction it answered before it was killed, with its real result', async () => {
    database = await makeDatabase()
    const start = (env: Record<string, string> = {}) =>
      startLedgerProcess({
        dataDir: (database as TestDatabase).dataDir,
        databaseUrl: (database as TestDatabase).url,
        env,
      })
    ledger = await start(NO_BLOCKS)
    let client = new LedgerTestClient(ledger.url)
    const operator = ledger.operator()
    const token = await client.token(operator, 'timestamp_write')
    const duplicate = `0x${randomBytes(32).toString('hex')}`
    const first = await sendTimestamp(client, operator, token, duplicate)
    const second = await sendTimestamp(client, operator, token, duplicate)
    const fresh = [] as string[]
    for (let i = 0; i < 5; i += 1)
      fresh.push(await sendTimestamp(client, operator, token, `0x${randomBytes(32).toString('hex')}`))
    await ledger.kill('SIGKILL')

    ledger = await start({ FLORA_LEDGER_BLOCK_INTERVAL_MS: '2' })
    client = new LedgerTestClient(ledger.url)
    expect((await client.receipt(first, 20_000)).status).toBe('0x1')
    const reverted = await client.receipt(second, 20_000)
    expect(reverted.status).toBe('0x0')
    expect(reverted.revertReason).toMatch(/already timestamped/)
    for (const hash of fresh) expect((await client.receipt(hash, 20_000)).status).toBe('0x1')
    // the restarted node hands out the nonce after the recovered transactions
    const next = await client.build(
      'timestamp/v4',
      'timestampHashes',
      { from: operator.address, hashAlgorithmIds: [0], hashValues: [`0x${randomBytes(32).toString('hex')}`] },
      await client.token(operator, 'timestamp_write'),
    )
    expect(Number(next.nonce)).toBe(7)
  }, 120_000)

  it('refuses to start when a waiting transaction was edited in the database, and recovers it once restored', async () => {
    database = await makeDatabase()
    const start = (env: Record<string, string> = {}, expectExit = false) =>
      startLedgerProcess({
        dataDir: (database as TestDatabase).dataDir,
        databaseUrl: (database as TestDatabase).url,
        env,
        expectExit,
      })
    ledger = await start(NO_BLOCKS)
    const client = new LedgerTestClient(ledger.url)
    const operator = ledger.operator()
    const hash = await sendTimestamp(
      client,
      operator,
      await client.token(operator, 'timestamp_write'),
      `0x${randomBytes(32).toString('hex')}`,
    )
    await ledger.kill('SIGKILL')

    // whoever can write the tables claims the waiting transaction was sent under another identity
    const db = await createDb({ service: 'ledger', url: database.url })
    let original: { sender: string }
    try {
      original = await db.client.ledgerPendingTransaction.findUniqueOrThrow({ where: { hash } })
      await db.client.ledgerPendingTransaction.update({
        where: { hash },
        data: { sender: 'did:ebsi:zAttackerAttackerAttack1' },
      })
    } finally {
      await db.close()
    }
    ledger = await start({}, true)
    expect(ledger.exit?.code).toBe(1)
    expect(ledger.output()).toMatch(/waiting transaction .* was altered/)

    const restore = await createDb({ service: 'ledger', url: database.url })
    try {
      await restore.client.ledgerPendingTransaction.update({
        where: { hash },
        data: { sender: original.sender },
      })
    } finally {
      await restore.close()
    }
    ledger = await start({ FLORA_LEDGER_BLOCK_INTERVAL_MS: '2' })
    expect((await new LedgerTestClient(ledger.url).receipt(hash, 20_000)).status).toBe('0x1')
  }, 120_000)
})
