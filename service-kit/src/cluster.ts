import cluster, { type Worker } from 'node:cluster'
import type { Logger } from './logger.ts'

/**
 * How one worker tells its siblings about a change they may hold in memory (a revoked session, a
 * new trust setting). The database is shared; only their caches need telling.
 */
export interface SiblingBus {
  /** Sends `message` to every other worker of this service (no-op in a single process). */
  broadcast(message: unknown): void
  onMessage(listener: (message: unknown) => void): void
}

export interface ClusterOptions {
  /** Processes serving the port; 1 runs everything in this process. */
  workers: number
  /**
   * With several workers, runs once in the primary before any worker starts: migrations and
   * first-start creation of keys and accounts, which workers starting together would race to do.
   * A single process skips it: `serve` creates the same things.
   */
  prepare?: () => Promise<void>
  /** Starts the service in this process (each worker, or the only process). */
  serve: (siblings: SiblingBus) => Promise<void>
  logger: Logger
}

const BROADCAST = 'flora:siblings'

interface Envelope {
  [BROADCAST]: unknown
}

const isEnvelope = (message: unknown): message is Envelope =>
  typeof message === 'object' && message !== null && BROADCAST in message

/** The bus of a service running in one process: nobody else to tell. */
export const noSiblings: SiblingBus = { broadcast() {}, onMessage() {} }

function workerBus(): SiblingBus {
  return {
    broadcast(message) {
      process.send?.({ [BROADCAST]: message } satisfies Envelope)
    },
    onMessage(listener) {
      process.on('message', (message: unknown) => {
        if (isEnvelope(message)) listener(message[BROADCAST])
      })
    },
  }
}

/**
 * Runs a service in `workers` processes sharing one port (node:cluster; on Linux the primary hands
 * connections out round-robin), so a CPU-bound service uses every core. The primary only prepares,
 * relays sibling messages and replaces a worker that dies; a worker that dies before it ever
 * listened stops the whole service instead of being restarted in a loop.
 */
export async function runClustered(options: ClusterOptions): Promise<void> {
  if (options.workers <= 1) {
    await options.serve(noSiblings)
    return
  }
  if (!cluster.isPrimary) {
    await options.serve(workerBus())
    return
  }
  const { logger } = options
  await options.prepare?.()
  let stopping = false
  const listened = new WeakSet<Worker>()
  const stopAll = (exitCode: number) => {
    if (stopping) return
    stopping = true
    const running = Object.values(cluster.workers ?? {}).filter((w): w is Worker => Boolean(w))
    if (running.length === 0) process.exit(exitCode)
    let left = running.length
    for (const worker of running) {
      worker.once('exit', () => {
        left -= 1
        if (left === 0) process.exit(exitCode)
      })
      worker.process.kill('SIGTERM')
    }
  }
  cluster.on('listening', (worker) => listened.add(worker))
  cluster.on('message', (from, message: unknown) => {
    if (!isEnvelope(message)) return
    for (const worker of Object.values(cluster.workers ?? {}))
      if (worker && worker !== from && worker.isConnected()) worker.send(message)
  })
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return
    if (!listened.has(worker)) {
      logger.error({ pid: worker.process.pid, code, signal }, 'a worker exited before it listened; stopping')
      stopAll(1)
      return
    }
    logger.error({ pid: worker.process.pid, code, signal }, 'a worker died; starting another')
    cluster.fork()
  })
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      logger.info(`received ${signal}, stopping ${options.workers} workers`)
      stopAll(0)
    })
  for (let i = 0; i < options.workers; i++) cluster.fork()
}
