import { Worker } from 'node:worker_threads'
import type { WriteStatement, WriterReply, WriterRequest, WriterStartData } from './protocol.ts'

export type { WriteParameter, WriteStatement } from './protocol.ts'

/** A write the writer thread could not commit (SQLite's message; `code` such as SQLITE_BUSY). */
export class SqliteWriteFailed extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message)
    this.name = 'SqliteWriteFailed'
  }
}

/**
 * Writes to a SQLite database from a thread of its own, for hot paths (a verifier's reports, log
 * and nonces) whose commits, lock waits and WAL checkpoints would otherwise stall the event
 * loop: better-sqlite3 is synchronous, and a checkpoint on the service's connection held a request
 * up for 14 ms. Each {@link run} is one transaction, committed when its promise resolves.
 *
 * A second connection: it waits for the write lock like another process would, and sees what
 * the service's connection committed. Keep it to statements that need no interactive transaction.
 */
export class SqliteWriter {
  #worker: Worker | undefined
  #nextId = 1
  readonly #pending = new Map<
    number,
    { resolve: (changes: number[]) => void; reject: (error: Error) => void }
  >()

  constructor(private readonly startData: WriterStartData) {}

  /**
   * Runs the statements in one IMMEDIATE transaction on the writer thread; resolves once committed,
   * with the number of rows each statement changed.
   */
  run(statements: WriteStatement[]): Promise<number[]> {
    return this.#send((id) => ({ id, statements }))
  }

  /**
   * Starts the thread and resolves once it has its connection (an empty transaction), so that the
   * first write after a service starts does not wait for it (a few hundred ms: the thread loads
   * its modules anew). Without it, the first write starts the thread.
   */
  async start(): Promise<void> {
    await this.run([])
  }

  /** Lets queued writes finish, then ends the thread. */
  async close(): Promise<void> {
    const worker = this.#worker
    if (!worker) return
    const exited = new Promise((resolve) => worker.once('exit', resolve))
    await this.#send((id) => ({ id, close: true })).catch(() => undefined)
    await exited
  }

  #send(request: (id: number) => WriterRequest): Promise<number[]> {
    const worker = this.#worker ?? this.#spawn()
    const id = this.#nextId++
    return new Promise<number[]>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject })
      if (this.#pending.size === 1) worker.ref()
      worker.postMessage(request(id))
    })
  }

  #spawn(): Worker {
    const worker = spawnTypeScriptWorker(new URL('./thread.ts', import.meta.url), this.startData)
    worker.on('message', (reply: WriterReply) => {
      const waiter = this.#pending.get(reply.id)
      if (!waiter) return
      this.#pending.delete(reply.id)
      if (this.#pending.size === 0) worker.unref()
      if (reply.ok) waiter.resolve(reply.changes)
      else waiter.reject(new SqliteWriteFailed(reply.message, reply.code))
    })
    // a thread that failed or ended takes its unanswered writes with it; the next write starts a new one
    const fail = (error: Error) => {
      if (this.#worker === worker) this.#worker = undefined
      for (const waiter of this.#pending.values()) waiter.reject(error)
      this.#pending.clear()
    }
    worker.on('error', (error) =>
      fail(new SqliteWriteFailed(`SQLite writer thread failed: ${error.message}`)),
    )
    worker.on('exit', (code) => fail(new SqliteWriteFailed(`SQLite writer thread ended (exit code ${code})`)))
    worker.unref()
    this.#worker = worker
    return worker
  }
}

/**
 * A worker thread running a TypeScript module. Node 20 does not hand a process's module hooks
 * (tsx) to its worker threads, so the thread registers tsx itself before importing the module.
 */
function spawnTypeScriptWorker(entry: URL, workerData: unknown): Worker {
  const tsx = import.meta.resolve('tsx/esm/api')
  const bootstrap = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}) })`
  return new Worker(bootstrap, { eval: true, workerData })
}
