/**
 * HTTP load generator of the verifier bench, run as a process of its own: POSTs every presentation
 * in a file once to /verifications, at a fixed concurrency over keep-alive connections, and prints
 * the latencies as JSON. The bench process holds the test world and thousands of credentials; its
 * garbage-collection pauses would otherwise be counted as the verifier's latency.
 *
 * usage: http-load.ts <verifier url> <API token> <file, one VP JWT per line> <concurrency> <seconds> <warm-up count>
 */
import { readFileSync } from 'node:fs'
import { Agent, request } from 'node:http'

const [url, token, file, concurrencyArg, secondsArg, warmupArg] = process.argv.slice(2)
if (!url || !token || !file)
  throw new Error('usage: http-load.ts <url> <token> <file> <concurrency> <seconds> <warm-up>')
const concurrency = Number(concurrencyArg ?? 8)
const seconds = Number(secondsArg ?? 3)
const warmup = Number(warmupArg ?? 0)
const presentations = readFileSync(file, 'utf8').split('\n').filter(Boolean)
const agent = new Agent({ keepAlive: true, maxSockets: concurrency })
const target = new URL('/verifications', url)

function post(vp: string): Promise<void> {
  const body = JSON.stringify({ token: vp })
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          authorization: `Bearer ${token}`,
        },
      },
      (res) => {
        res.on('data', () => {})
        res.on('end', () =>
          res.statusCode === 201 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`)),
        )
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

let next = 0
// Warm-up over all `concurrency` connections, so that with several verifier processes (connections
// are handed out to them in turn) every one is warm before the measurement.
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < warmup && next < presentations.length) await post(presentations[next++]!)
  }),
)
const latencies: number[] = []
const started = performance.now()
const until = started + seconds * 1000
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (performance.now() < until && next < presentations.length) {
      const vp = presentations[next++]!
      const t = performance.now()
      await post(vp)
      latencies.push(performance.now() - t)
    }
  }),
)
const elapsed = (performance.now() - started) / 1000
latencies.sort((a, b) => a - b)
const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0
process.stdout.write(
  JSON.stringify({
    ops: latencies.length,
    perSecond: latencies.length / elapsed,
    p50: q(0.5),
    p99: q(0.99),
    max: latencies.at(-1) ?? 0,
    exhausted: next >= presentations.length,
  }),
)
agent.destroy()
