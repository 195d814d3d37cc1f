/**
 * Ledger node benchmark (`npm run bench -w @flora/ebsi-connector`). The node runs as its own
 * process (as in production, with a SQLite file); this process is the fixed client.
 *   1. GET /health/s and DID resolutions/s (GET /did-registry/v5/identifiers/{did}), same server,
 *      same client, same concurrency.
 *   2. Raw secp256k1 signature recoveries/s (ethers, the recovery the node does per transaction).
 *   3. Accepted writes/s: timestampHashes build → sign → sendSignedTransaction from many accounts;
 *      a write counts only once its receipt has status 0x1 in a persisted block.
 *   4. Start-up verification: the node is restarted on the chain the writes produced; the time it
 *      logs for verifying the chain from genesis, the registry state against the head's state
 *      root and the account nonces, as a ratio of the time writing that chain took.
 * Targets: resolutions ≥ 0.5 × health; ≥ 300 accepted writes/s. Exit code 1 when missed. The
 * start-up ratio is reported (a restart re-reads what a run wrote; it must stay well below 1).
 */
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { SigningKey } from 'ethers'
import { hexToBytes, recoverSignerAddress } from '../src/core/index.ts'
import { Actor } from '../test/node/helpers/actor.ts'
import { LedgerTestClient } from '../test/node/helpers/ledger-client.ts'
import { onboard } from '../test/node/helpers/trust-chain.ts'

const CONCURRENCY = 16
const READ_SECONDS = 4
const WRITE_SECONDS = 6
const WRITERS = 32

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer()
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

async function startNodeProcess(
  dir: string,
  options: { logLevel?: string; onOutput?: (text: string) => void } = {},
) {
  const port = await freePort()
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : []),
      '--import',
      'tsx',
      'src/node/main.ts',
    ],
    {
      cwd: join(import.meta.dirname, '..'),
      env: {
        ...process.env,
        FLORA_LEDGER_PORT: String(port),
        FLORA_LEDGER_DATA_DIR: dir,
        FLORA_LEDGER_DATABASE_URL: `file:${join(dir, 'ledger.db')}`,
        FLORA_LEDGER_OPERATOR_FILE: join(dir, 'operator.json'),
        FLORA_LOG_LEVEL: options.logLevel ?? 'warn',
        FLORA_LEDGER_BLOCK_INTERVAL_MS: process.env.FLORA_LEDGER_BLOCK_INTERVAL_MS ?? '25',
      },
      stdio: ['ignore', options.onOutput ? 'pipe' : 'inherit', 'inherit'],
    },
  )
  child.stdout?.on('data', (chunk) => options.onOutput?.(String(chunk)))
  const url = `http://127.0.0.1:${port}`
  for (let i = 0; i < 300; i += 1) {
    try {
      if ((await fetch(`${url}/health`)).ok) return { child, url }
    } catch {
      // starting
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  child.kill()
  throw new Error('ledger node did not start')
}

/** Runs `task` from CONCURRENCY loops for `seconds`; returns completed operations per second. */
async function rate(seconds: number, task: () => Promise<void>): Promise<number> {
  const until = performance.now() + seconds * 1000
  let done = 0
  const started = performance.now()
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < until) {
        await task()
        done += 1
      }
    }),
  )
  return done / ((performance.now() - started) / 1000)
}

/** Raw secp256k1 signature recoveries/s with the recovery the node uses (core recoverSignerAddress). */
function recoveriesPerSecond(seconds: number): number {
  const key = new SigningKey(`0x${randomBytes(32).toString('hex')}`)
  const digests = Array.from({ length: 64 }, () => `0x${randomBytes(32).toString('hex')}`)
  const signatures = digests.map((digest) => key.sign(digest))
  const until = performance.now() + seconds * 1000
  const started = performance.now()
  let done = 0
  while (performance.now() < until) {
    for (let i = 0; i < 64; i += 1) {
      const signature = signatures[i] as ReturnType<SigningKey['sign']>
      recoverSignerAddress(hexToBytes(digests[i] as string), signature.r, signature.s, signature.yParity)
    }
    done += 64
  }
  return done / ((performance.now() - started) / 1000)
}

/** CPU seconds (user + system) the node process has used so far (Linux /proc). */
function cpuSecondsOf(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return Number.NaN
  }
}

/** Restarts the node on `dir` and returns what it logged for its start-up verification. */
async function startUpVerification(dir: string) {
  let output = ''
  const { child } = await startNodeProcess(dir, { logLevel: 'info', onOutput: (text) => (output += text) })
  child.kill('SIGTERM')
  await new Promise((resolve) => child.once('exit', resolve))
  const line = output.split('\n').find((entry) => entry.includes('state verified'))
  if (!line) throw new Error('the node did not log its start-up verification')
  return JSON.parse(line) as { ms: number; blocks: number; transactions: number; stateRows: number }
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'flora-ledger-bench-'))
  let { child, url } = await startNodeProcess(dir)
  try {
    const client = new LedgerTestClient(url)
    const file = JSON.parse(readFileSync(join(dir, 'operator.json'), 'utf8')) as {
      did: string
      secp256k1PrivateKeyHex: string
      p256PrivateJwk: Record<string, unknown>
    }
    const operator = new Actor('operator', file.did, file)
    operator.p256Registered = true

    // 1. reads
    const health = await rate(READ_SECONDS, async () => {
      const response = await fetch(`${url}/health`)
      await response.arrayBuffer()
      if (!response.ok) throw new Error(`health ${response.status}`)
    })
    const resolutions = await rate(READ_SECONDS, async () => {
      const response = await fetch(`${url}/did-registry/v5/identifiers/${operator.did}`)
      await response.arrayBuffer()
      if (!response.ok) throw new Error(`resolve ${response.status}`)
    })

    // 2. raw signature recovery
    const recoveries = recoveriesPerSecond(3)

    // 3. writes
    const writers: { actor: Actor; token: string }[] = []
    for (let i = 0; i < WRITERS; i += 1) {
      const actor = await onboard(client, operator, `writer-${i}`)
      writers.push({ actor, token: await client.token(actor, 'timestamp_write') })
    }
    const cpuBefore = cpuSecondsOf(child.pid)
    const hashes: string[] = []
    const timing = { build: 0, sign: 0, send: 0, n: 0 }
    let rejected = 0
    const started = performance.now()
    const until = started + WRITE_SECONDS * 1000
    await Promise.all(
      writers.map(async ({ actor, token }) => {
        while (performance.now() < until) {
          const t0 = performance.now()
          const build = await client.rpc(
            'timestamp/v4',
            'timestampHashes',
            [
              {
                from: actor.address,
                hashAlgorithmIds: [0],
                hashValues: [`0x${randomBytes(32).toString('hex')}`],
              },
            ],
            token,
          )
          if (build.status !== 200) {
            rejected += 1
            continue
          }
          const t1 = performance.now()
          const signedTx = actor.sign(build.body.result)
          const t2 = performance.now()
          const sent = await client.send('timestamp/v4', signedTx, token)
          const t3 = performance.now()
          timing.build += t1 - t0
          timing.sign += t2 - t1
          timing.send += t3 - t2
          timing.n += 1
          if (sent.status === 200) hashes.push(sent.body.result as string)
          else rejected += 1
        }
      }),
    )
    // wait for every receipt (batched Ledger API calls); count status 0x1 in persisted blocks
    let accepted = 0
    let pending = [...hashes]
    let finished = performance.now()
    for (let attempt = 0; pending.length > 0 && attempt < 2000; attempt += 1) {
      const next: string[] = []
      for (let i = 0; i < pending.length; i += 50) {
        const chunk = pending.slice(i, i + 50)
        const response = await client.post(
          '/ledger/v4/blockchains/besu',
          chunk.map((hash, index) => ({
            jsonrpc: '2.0',
            method: 'eth_getTransactionReceipt',
            params: [hash],
            id: index,
          })),
        )
        ;(response.body as { result: { status: string; blockHash: string } | null }[]).forEach(
          (item, index) => {
            if (!item.result) next.push(chunk[index] as string)
            else if (item.result.status === '0x1' && item.result.blockHash) accepted += 1
          },
        )
      }
      if (next.length < pending.length) finished = performance.now()
      pending = next
      if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, 5))
    }
    const writesPerSecond = accepted / ((finished - started) / 1000)
    const cpuPerWriteMs = ((cpuSecondsOf(child.pid) - cpuBefore) * 1000) / Math.max(accepted, 1)
    const blocks = (
      await client.post('/ledger/v4/blockchains/besu', {
        jsonrpc: '2.0',
        method: 'eth_getBlockByNumber',
        params: ['latest', false],
        id: 1,
      })
    ).body.result

    const line = (name: string, value: number) =>
      console.log(`${name.padEnd(46)} ${value.toFixed(0).padStart(8)}`)
    console.log(
      `\nledger node benchmark — client concurrency ${CONCURRENCY} (reads), ${WRITERS} writing accounts; node in its own process (SQLite); load average ${loadavg()[0]?.toFixed(2)}`,
    )
    line('GET /health per second', health)
    line('DID resolutions per second', resolutions)
    line('secp256k1 signature recoveries per second', recoveries)
    line('accepted writes per second (0x1, in a block)', writesPerSecond)
    console.log(
      `  writes sent ${hashes.length}, accepted ${accepted}, rejected ${rejected}, chain height ${Number.parseInt(blocks.number, 16)}`,
    )
    console.log(
      `  mean latency ms: build ${(timing.build / timing.n).toFixed(1)}, sign ${(timing.sign / timing.n).toFixed(2)}, send ${(timing.send / timing.n).toFixed(1)}`,
    )
    console.log(
      `  node CPU per accepted write ${cpuPerWriteMs.toFixed(2)} ms (≈ ${(1000 / cpuPerWriteMs).toFixed(0)} writes/s on one fully available core)`,
    )
    // 4. start-up verification of the chain just written, against the time writing it took
    const writingMs = finished - started
    child.kill('SIGTERM')
    await new Promise((resolve) => child.once('exit', resolve))
    const verification = await startUpVerification(dir)
    ;({ child, url } = await startNodeProcess(dir))
    console.log(
      `  start-up verification ${verification.ms} ms: ${verification.blocks} blocks, ${verification.transactions} transactions, ${verification.stateRows} state rows`,
    )
    const readRatio = resolutions / health
    const writeRatio = writesPerSecond / recoveries
    const startUpRatio = verification.ms / writingMs
    console.log(`ratio resolutions / health   ${readRatio.toFixed(2)}  (target ≥ 0.50)`)
    console.log(`ratio writes / recoveries    ${writeRatio.toFixed(3)}  (target: ≥ 300 accepted writes/s)`)
    console.log(`ratio start-up verification / writing the chain  ${startUpRatio.toFixed(3)}  (reported)`)
    const ok = readRatio >= 0.5 && writesPerSecond >= 300 && accepted === hashes.length
    console.log(ok ? 'targets met' : 'TARGETS MISSED')
    process.exitCode = ok ? 0 : 1
  } finally {
    child.kill('SIGTERM')
    await new Promise((resolve) => child.once('exit', resolve))
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
