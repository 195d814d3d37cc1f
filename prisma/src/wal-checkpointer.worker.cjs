// WAL checkpoints for the SQLite databases of this process, on a thread of their own: a checkpoint
// copies the WAL into the database file and fsyncs it (milliseconds), and better-sqlite3 would
// otherwise do that inside whichever COMMIT crosses the auto-checkpoint threshold, on the event loop.
'use strict'
const { parentPort, workerData } = require('node:worker_threads')
const Database = require('better-sqlite3')

/** path → { db, users } */
const open = new Map()

parentPort.on('message', (message) => {
  const entry = open.get(message.path)
  if (message.type === 'add') {
    if (entry) entry.users++
    else open.set(message.path, { db: new Database(message.path, { timeout: 10_000 }), users: 1 })
  } else if (message.type === 'remove' && entry && --entry.users === 0) {
    open.delete(message.path)
    try {
      entry.db.close()
    } catch {}
  }
})

setInterval(() => {
  for (const { db } of open.values()) {
    try {
      // PASSIVE never blocks the writer; frames committed meanwhile wait for the next round
      db.pragma('wal_checkpoint(PASSIVE)')
    } catch {}
  }
}, workerData.intervalMs)
