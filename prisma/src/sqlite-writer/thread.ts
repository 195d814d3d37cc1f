/**
 * Entry of the SQLite writer thread (see sqlite-writer.ts): one connection of its own, each
 * request one IMMEDIATE transaction. Blocking here is what the thread is for: waiting for a lock
 * another process holds, the commit's writes and WAL checkpoints stall this thread, never the
 * service's event loop.
 */
import { parentPort, workerData } from 'node:worker_threads'
import Database from 'better-sqlite3'
import { compressText } from './compressed-text.ts'
import type {
  WriteParameter,
  WriterReply,
  WriterRequest,
  WriterStartData,
  WriteStatement,
} from './protocol.ts'

const { path, busyTimeoutMs } = workerData as WriterStartData
const db = new Database(path, { timeout: busyTimeoutMs })
// as the service's own connection (sqlite-handle.ts): atomic commits that survive a process crash
db.pragma('synchronous = NORMAL')
const statements = new Map<string, Database.Statement>()

const prepared = (sql: string) => {
  let statement = statements.get(sql)
  if (!statement) {
    statement = db.prepare(sql)
    statements.set(sql, statement)
  }
  return statement
}
// bytes arrive as a plain Uint8Array (structured clone does not keep Buffer), so the marker object
// is recognised by its key, not by not being a Buffer
const storedValue = (param: WriteParameter) =>
  param !== null && typeof param === 'object' && 'compress' in param ? compressText(param.compress) : param

const runAll = db.transaction((batch: WriteStatement[]) =>
  batch.map(({ sql, params }) => prepared(sql).run(...params.map(storedValue)).changes),
)

const port = parentPort!
port.on('message', (request: WriterRequest) => {
  if ('close' in request) {
    db.close()
    port.postMessage({ id: request.id, ok: true, changes: [] } satisfies WriterReply)
    port.close()
    return
  }
  try {
    const changes = runAll.immediate(request.statements)
    port.postMessage({ id: request.id, ok: true, changes } satisfies WriterReply)
  } catch (error) {
    const { message, code } = error as { message?: string; code?: unknown }
    port.postMessage({
      id: request.id,
      ok: false,
      message: String(message ?? error),
      ...(typeof code === 'string' ? { code } : {}),
    } satisfies WriterReply)
  }
})
