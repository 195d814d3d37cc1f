/**
 * HTTP load generator of the verifier bench, run as a process of its own: POSTs every presentation
 * in a file once to /verifications, at a fixed concurrency over keep-alive connections, and prints
 * the latencies and its own CPU per request as JSON. The bench process holds the test world and
 * thousands of credentials; its garbage-collection pauses would otherwise be counted as the
 * verifier's latency.
 *
 * Lean on purpose, as wrk is: every request's bytes are built before the clock starts, and each
 * connection writes them to a raw socket and reads the response by its Content-Length. With
 * node:http and a JSON body built per request, the generator spent ~0.9 ms of CPU per request on
 * a 2-core machine (a fifth of the verifier's own), CPU taken from the verifier it measures.
 *
 * usage: http-load.ts <verifier url> <API token> <file, one VP JWT per line> <concurrency> <seconds> <warm-up count>
 */
import { readFileSync } from 'node:fs'
import { connect, type Socket } from 'node:net'

const [url, token, file, concurrencyArg, secondsArg, warmupArg] = process.argv.slice(2)
if (!url || !token || !file)
  throw new Error('usage: http-load.ts <url> <token> <file> <concurrency> <seconds> <warm-up>')
const concurrency = Number(concurrencyArg ?? 8)
const seconds = Number(secondsArg ?? 3)
const warmup = Number(warmupArg ?? 0)
const target = new URL('/verifications', url)

const requests = readFileSync(file, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((vp) => {
    const body = Buffer.from(JSON.stringify({ token: vp }))
    const head =
      `POST ${target.pathname} HTTP/1.1\r\nHost: ${target.host}\r\nConnection: keep-alive\r\n` +
      `Content-Type: application/json\r\nAuthorization: Bearer ${token}\r\nContent-Length: ${body.length}\r\n\r\n`
    return Buffer.concat([Buffer.from(head, 'latin1'), body])
  })

const HEADER_END = Buffer.from('\r\n\r\n')

/** One keep-alive connection with at most one request in flight; resolves with the status code. */
class Connection {
  readonly #socket: Socket
  /** The response's bytes until its header is complete; the body is only counted. */
  #head: Buffer | undefined
  #received = 0
  #expected = -1
  #status = 0
  #waiting: { resolve: (status: number) => void; reject: (error: Error) => void } | undefined

  private constructor(socket: Socket) {
    this.#socket = socket
    socket.on('data', (chunk) => this.#onData(chunk))
    socket.on('error', (error) => this.#fail(error))
    socket.on('close', () => this.#fail(new Error('the verifier closed the connection')))
  }

  static open(): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: target.hostname, port: Number(target.port), noDelay: true })
      socket.once('connect', () => resolve(new Connection(socket)))
      socket.once('error', reject)
    })
  }

  send(request: Buffer): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#waiting = { resolve, reject }
      this.#socket.write(request)
    })
  }

  close(): void {
    this.#socket.removeAllListeners('close')
    this.#socket.destroy()
  }

  #onData(chunk: Buffer): void {
    this.#received += chunk.length
    if (this.#expected < 0) {
      const received = this.#head ? Buffer.concat([this.#head, chunk]) : chunk
      const end = received.indexOf(HEADER_END)
      if (end < 0) {
        this.#head = received
        return
      }
      this.#head = undefined
      const head = received.toString('latin1', 0, end)
      const length = /\r\ncontent-length: *(\d+)/i.exec(head)
      if (!length) {
        this.#fail(new Error(`a response without Content-Length: ${head.split('\r\n')[0]}`))
        return
      }
      this.#status = Number(head.slice(9, 12))
      this.#expected = end + HEADER_END.length + Number(length[1])
    }
    if (this.#received < this.#expected) return
    if (this.#received > this.#expected) {
      this.#fail(new Error('bytes after the response'))
      return
    }
    const waiting = this.#waiting
    this.#received = 0
    this.#expected = -1
    this.#waiting = undefined
    waiting?.resolve(this.#status)
  }

  #fail(error: Error): void {
    const waiting = this.#waiting
    this.#waiting = undefined
    waiting?.reject(error)
  }
}

const connections = await Promise.all(Array.from({ length: concurrency }, () => Connection.open()))
async function post(connection: Connection, request: Buffer): Promise<void> {
  const status = await connection.send(request)
  if (status !== 201) throw new Error(`HTTP ${status}`)
}

let next = 0
// Warm-up over all `concurrency` connections, so that with several verifier processes (connections
// are handed out to them in turn) every one is warm before the measurement.
await Promise.all(
  connections.map(async (connection) => {
    while (next < warmup && next < requests.length) await post(connection, requests[next++]!)
  }),
)
/** Linux's CPU time counters of the whole machine (/proc/stat), undefined elsewhere. */
const machineTicks = (): number[] | undefined => {
  try {
    return readFileSync('/proc/stat', 'utf8').split('\n')[0]!.split(/ +/).slice(1).map(Number)
  } catch {
    return undefined
  }
}
const machineBefore = machineTicks()
const cpuBefore = process.cpuUsage()
const latencies: number[] = []
const started = performance.now()
const until = started + seconds * 1000
await Promise.all(
  connections.map(async (connection) => {
    while (performance.now() < until && next < requests.length) {
      const request = requests[next++]!
      const t = performance.now()
      await post(connection, request)
      latencies.push(performance.now() - t)
    }
  }),
)
const elapsed = (performance.now() - started) / 1000
const cpu = process.cpuUsage(cpuBefore)
const machineAfter = machineTicks()
const ticks = machineAfter && machineBefore ? machineAfter.map((v, i) => v - machineBefore[i]!) : undefined
latencies.sort((a, b) => a - b)
const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0
process.stdout.write(
  JSON.stringify({
    ops: latencies.length,
    perSecond: latencies.length / elapsed,
    p50: q(0.5),
    p99: q(0.99),
    max: latencies.at(-1) ?? 0,
    exhausted: next >= requests.length,
    cpuMsPerRequest: (cpu.user + cpu.system) / 1000 / Math.max(1, latencies.length),
    // share of all cores busy (not idle, not waiting for I/O) during the measurement
    machineBusy: ticks && 1 - (ticks[3]! + ticks[4]!) / ticks.reduce((a, b) => a + b, 0),
  }),
)
for (const connection of connections) connection.close()
