import { spawn } from 'node:child_process'
import { once } from 'node:events'

/** A verification-log row insert, with its parameters for a row id: what the lock tests write. */
export const insert = `INSERT INTO "VerificationLogEntry" ("id","at","actor","action","stepOutcomes","durationMs") VALUES (?,?,?,?,?,?)`
export const row = (id: string) => [
  id,
  new Date().toISOString().replace('Z', '+00:00'),
  'tests',
  'handle',
  '{}',
  1,
]

/**
 * Another process holding the database's write lock (BEGIN IMMEDIATE, one row inserted) until
 * released. A process of its own: POSIX locks taken by one process never conflict with each other.
 */
export async function lockHolder(url: string, rowId: string) {
  const script = `
    const db = new (require('better-sqlite3'))(process.argv[1])
    db.exec('BEGIN IMMEDIATE')
    db.prepare(${JSON.stringify(insert)}).run(process.argv[2], new Date().toISOString().replace('Z', '+00:00'), 'tests', 'other', '{}', 1)
    process.stdout.write('locked\\n')
    process.stdin.once('data', () => { db.exec('COMMIT'); db.close(); process.stdout.write('released\\n') })
  `
  const child = spawn(process.execPath, ['-e', script, url.replace(/^file:/, ''), rowId], {
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  child.stdout.setEncoding('utf8')
  const lines: string[] = []
  const next = async (expected: string) => {
    while (!lines.includes(expected))
      lines.push(
        ...String((await once(child.stdout, 'data'))[0])
          .split('\n')
          .filter(Boolean),
      )
  }
  await next('locked')
  return {
    async release() {
      child.stdin.write('go\n')
      await next('released')
    },
    stop() {
      child.kill()
    },
  }
}
