import { randomBytes } from 'node:crypto'
import { type TestDatabase, tempPostgresDatabase, testPostgresUrl } from '@flora/db/testing'
import { afterEach, describe, expect, it } from 'vitest'
import type { Actor } from '../node/helpers/actor.ts'
import { type Receipt, LedgerTestClient } from '../node/helpers/ledger-client.ts'
import { type LedgerProcess, startLedgerProcess } from '../node/helpers/ledger-process.ts'
import { startTcpProxy, type TcpProxy } from '../node/helpers/tcp-proxy.ts'
import { onboard } from '../node/helpers/trust-chain.ts'

/**
 * Issue 18 item 4: a database outage in the middle of a burst of writes. The node runs as its own
 * process on PostgreSQL reached through a TCP proxy that the test cuts (the shared server is never
 * stopped). Before the fix a failed block write was retried by reverting every transaction of the
 * batch without running it, and when that failed too the rejection reached `void this.cut()` and
 * the process exited; /health answered 200 throughout.
 */

const randomHash = () => `0x${randomBytes(32).toString('hex')}`
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

interface Health {
  status: number
  body: { status?: string; checks?: Record<string, string> }
}

async function health(ledger: LedgerProcess): Promise<Health> {
  const response = await fetch(`${ledger.url}/health`)
  return { status: response.status, body: (await response.json()) as Health['body'] }
}

/** Polls /health until `accept` holds; fails at once when the node process has exited. */
async function waitForHealth(ledger: LedgerProcess, accept: (h: Health) => boolean, what: string) {
  const deadline = Date.now() + 45_000
  let last: Health | string = 'no answer'
  for (;;) {
    if (ledger.exit)
      throw new Error(`the node exited (${JSON.stringify(ledger.exit)}) while waiting for ${what}`)
    try {
      last = await health(ledger)
      if (accept(last)) return last
    } catch (error) {
      last = (error as Error).message
    }
    if (Date.now() > deadline) throw new Error(`${what} never seen; last /health: ${JSON.stringify(last)}`)
    await sleep(100)
  }
}

/** One timestamp write built and sent (no receipt wait): the hash answered, or the failed status. */
async function sendTimestamp(
  client: LedgerTestClient,
  writer: { actor: Actor; token: string },
  value: string,
): Promise<{ hash?: string; status: number; contentType: string }> {
  const built = await client.rpc(
    'timestamp/v4',
    'timestampHashes',
    [{ from: writer.actor.address, hashAlgorithmIds: [0], hashValues: [value] }],
    writer.token,
  )
  if (built.status !== 200) return { status: built.status, contentType: built.contentType }
  const sent = await client.send('timestamp/v4', writer.actor.sign(built.body.result), writer.token)
  if (sent.status !== 200) return { status: sent.status, contentType: sent.contentType }
  return { hash: sent.body.result as string, status: 200, contentType: sent.contentType }
}

describe('ledger node: a PostgreSQL outage in the middle of a burst of writes', () => {
  let database: TestDatabase | undefined
  let proxy: TcpProxy | undefined
  let ledger: LedgerProcess | undefined
  afterEach(async () => {
    await ledger?.kill('SIGKILL')
    await proxy?.close()
    await database?.dispose()
  })

  it('never exits, answers /health 503 while blocks cannot be written, and executes every accepted transaction once the database is back', async () => {
    database = await tempPostgresDatabase()
    const server = new URL(testPostgresUrl)
    proxy = await startTcpProxy(server.hostname, Number(server.port || 5432))
    const viaProxy = new URL(database.url)
    viaProxy.hostname = '127.0.0.1'
    viaProxy.port = String(proxy.port)
    // blocks are cut a second after the first pending transaction: the transactions accepted just
    // before the cut are still waiting for their block when the database goes away
    ledger = await startLedgerProcess({
      dataDir: database.dataDir,
      databaseUrl: viaProxy.toString(),
      env: { FLORA_LEDGER_BLOCK_INTERVAL_MS: '1000' },
    })
    const client = new LedgerTestClient(ledger.url)
    const operator = ledger.operator()
    const actors = await Promise.all([0, 1, 2].map((i) => onboard(client, operator, `writer-${i}`)))
    const writers = await Promise.all(
      actors.map(async (actor) => ({ actor, token: await client.token(actor, 'timestamp_write') })),
    )
    expect((await health(ledger)).status).toBe(200)

    // three writes accepted together: two timestamp the same hash (the later one must revert when it
    // is executed, with the real reason), one a fresh hash; then the database goes away
    const duplicate = randomHash()
    const trio = await Promise.all([
      sendTimestamp(client, writers[0] as never, duplicate),
      sendTimestamp(client, writers[1] as never, duplicate),
      sendTimestamp(client, writers[2] as never, randomHash()),
    ])
    proxy.cut()
    for (const sent of trio) expect(sent.status).toBe(200)
    const trioHashes = trio.map((sent) => sent.hash as string)

    // the burst goes on through the outage and after it
    let stop = false
    const failures: { status: number; contentType: string }[] = []
    const acceptedByLoops: string[] = []
    const loops = writers.map(async (writer) => {
      while (!stop) {
        try {
          const sent = await sendTimestamp(client, writer, randomHash())
          if (sent.hash) acceptedByLoops.push(sent.hash)
          else {
            failures.push({ status: sent.status, contentType: sent.contentType })
            await sleep(50)
          }
        } catch (error) {
          failures.push({ status: 0, contentType: (error as Error).message })
          await sleep(50)
        }
      }
    })

    // /health names a failing check but never its error text (anyone may call it); how many block
    // attempts failed is read from the node's own structured log instead.
    const node = ledger
    const failedBlockAttempts = () =>
      Math.max(
        0,
        ...node
          .output()
          .split('\n')
          .filter((line) => line.includes('block write failed'))
          .map((line) => Number((JSON.parse(line) as { attempts?: number }).attempts ?? 0)),
      )
    const during = await waitForHealth(
      ledger,
      (h) => h.status === 503 && h.body.checks?.blocks === 'failing' && failedBlockAttempts() >= 3,
      '/health 503 while at least three block attempts failed',
    )
    expect(during.body.status).toBe('degraded')
    expect(during.body.checks?.database).toMatch(/^failing/)
    expect(ledger.exit).toBeUndefined()

    proxy.restore()
    await waitForHealth(ledger, (h) => h.status === 200, '/health 200 after the database came back')
    const acceptedBeforeRecovery = acceptedByLoops.length
    const deadline = Date.now() + 30_000
    while (acceptedByLoops.length < acceptedBeforeRecovery + 6 && Date.now() < deadline) await sleep(50)
    stop = true
    await Promise.all(loops)
    expect(acceptedByLoops.length).toBeGreaterThanOrEqual(acceptedBeforeRecovery + 6)

    // every failed answer during the outage was a 503 problem, never a 500 or a dropped connection
    expect(failures.length).toBeGreaterThan(0)
    for (const failure of failures) {
      expect(failure.status).toBe(503)
      expect(failure.contentType).toContain('application/problem+json')
    }

    // every transaction answered as accepted is in a block with its real execution result
    const receipts = new Map<string, Receipt>()
    for (const hash of [...trioHashes, ...acceptedByLoops])
      receipts.set(hash, await client.receipt(hash, 30_000))
    const duplicateReceipts = trioHashes.slice(0, 2).map((hash) => receipts.get(hash) as Receipt)
    expect(duplicateReceipts.map((r) => r.status).sort()).toEqual(['0x0', '0x1'])
    expect(duplicateReceipts.find((r) => r.status === '0x0')?.revertReason).toMatch(/already timestamped/)
    expect(receipts.get(trioHashes[2] as string)?.status).toBe('0x1')
    for (const hash of acceptedByLoops) expect(receipts.get(hash)?.status).toBe('0x1')
    for (const receipt of receipts.values()) expect(receipt.blockHash).toMatch(/^0x[0-9a-f]{64}$/)
    expect(ledger.exit).toBeUndefined()
  }, 180_000)
})
