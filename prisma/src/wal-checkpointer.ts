import { Worker } from 'node:worker_threads'

const INTERVAL_MS = 250

let worker: Worker | undefined
let failed = false

function checkpointer(): Worker | undefined {
  if (failed) return undefined
  if (!worker) {
    worker = new Worker(new URL('./wal-checkpointer.worker.cjs', import.meta.url), {
      workerData: { intervalMs: INTERVAL_MS },
    })
    // it must never keep a service or a test process alive on its own
    worker.unref()
    worker.on('error', () => {
      failed = true
      worker = undefined
      for (const fallback of fallbacks) fallback()
    })
  }
  return worker
}

const fallbacks = new Set<() => void>()

/**
 * Hands the WAL checkpoints of the database at `path` to the process's checkpoint thread.
 * `onUnavailable` puts SQLite's own auto-checkpoint back (now, or if the thread dies later).
 * Returns the release function for when the connection closes.
 */
export function checkpointOffThread(path: string, onUnavailable: () => void): () => void {
  const thread = checkpointer()
  if (!thread) {
    onUnavailable()
    return () => {}
  }
  thread.postMessage({ type: 'add', path })
  fallbacks.add(onUnavailable)
  return () => {
    fallbacks.delete(onUnavailable)
    worker?.postMessage({ type: 'remove', path })
  }
}
