import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type CanaryNeedle, needlesOf } from '../../src/privacy/canaries.ts'
import { scanLedgerForCanaries } from '../../src/privacy/ledger-scan.ts'

// The pilot e2e's privacy scan once failed with "could not read …/timestamp/v4/timestamps: fetch
// failed". The scan searched synchronously for seconds while the connection pool held keep-alive
// sockets to the ledger; the ledger closed them meanwhile (its keep-alive timeout ran out), and the
// next fetch, dispatched before the event loop had read those closes, was written onto a dead socket.

/** Above undici's 2 s margin (it keeps a socket only if the server's hint exceeds it), short enough for a test. */
const KEEP_ALIVE_MS = 3000

let worker: Worker
let url: string
let closedSockets: Int32Array
let dataDir: string

beforeAll(async () => {
  const shared = new SharedArrayBuffer(4)
  closedSockets = new Int32Array(shared)
  worker = new Worker(new URL('./keep-alive-server.mjs', import.meta.url), {
    workerData: { closedSockets: shared, keepAliveTimeout: KEEP_ALIVE_MS, servedValue: 'served-control-value' },
  })
  url = `http://127.0.0.1:${await new Promise<number>((resolve) => worker.once('message', resolve))}`
  dataDir = mkdtempSync(join(tmpdir(), 'flora-ledger-scan-'))
  const db = new Database(join(dataDir, 'ledger.db'))
  db.exec("CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('stored-control-value')")
  db.close()
})

afterAll(async () => {
  await worker?.terminate()
  rmSync(dataDir, { recursive: true, force: true })
})

/** Blocks this thread (as a long synchronous search does) until the server has closed one more socket. */
function blockUntilAnotherSocketCloses(): void {
  const before = Atomics.load(closedSockets, 0)
  const outcome = Atomics.wait(closedSockets, 0, before, 4 * KEEP_ALIVE_MS)
  if (outcome === 'timed-out') throw new Error('the server closed no socket')
}

/** Opens a keep-alive connection and leaves it idle in the pool, as the pilot run does before its scan. */
async function leaveAnIdleConnection(): Promise<void> {
  await (await fetch(`${url}/warm-up`)).text()
}

/** Continues in a macrotask (the check phase), as a test body or a report step does. */
const inAMacrotask = () => new Promise((resolve) => setImmediate(resolve))

describe('ledger privacy scan over keep-alive connections', () => {
  it('reproduction: a fetch after a synchronous stretch reuses the socket the server closed meanwhile', async () => {
    await leaveAnIdleConnection()
    await inAMacrotask()
    blockUntilAnotherSocketCloses()
    const failure = await fetch(`${url}/timestamp/v4/timestamps`).then(
      () => undefined,
      (error: TypeError & { cause?: { code?: string; message?: string; socket?: { bytesRead?: number } } }) => error,
    )
    expect(failure?.message).toBe('fetch failed')
    expect(failure?.cause?.code).toBe('UND_ERR_SOCKET')
    expect(failure?.cause?.message).toBe('other side closed')
    // the socket had carried the warm-up's response: it was a reused one
    expect(failure?.cause?.socket?.bytesRead).toBeGreaterThan(0)
  })

  it('the scan survives the ledger closing idle connections while it searches', async () => {
    await leaveAnIdleConnection()
    await inAMacrotask()
    const needles = [...needlesOf({ name: 'stored control', value: 'stored-control-value' }), ...needlesOf({ name: 'served control', value: 'served-control-value' })]
    // the scan's first search lasts until the server has closed the pooled connection
    let searched = false
    Object.defineProperty(needles, Symbol.iterator, {
      value: function* (this: CanaryNeedle[]) {
        if (!searched) {
          searched = true
          blockUntilAnotherSocketCloses()
        }
        yield* Array.prototype.values.call(this)
      },
    })
    const result = await scanLedgerForCanaries({ ledgerUrl: url, dataDir, needles })
    const found = new Set(result.hits.map((hit) => hit.canary))
    expect(found).toEqual(new Set(['stored control', 'served control']))
    expect(result.stats.unreadable).toEqual([])
  })
})
