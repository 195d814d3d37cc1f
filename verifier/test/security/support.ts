import { type ChildProcess, spawn } from 'node:child_process'
import { resolve } from 'node:path'
import { createDb, type Db } from '@flora/db'
import { type TestDatabase, tempPostgresDatabase, tempSqliteDatabase } from '@flora/db/testing'
import { createLogger, listen, type RunningServer } from '@flora/service-kit'
import { createVerifierApp, loadVerifierConfig, type VerifierServices } from '../../src/index.ts'
import { freePort } from '../support/harness.ts'

/** The databases every store-backed security test runs on. */
export const providers = [
  { name: 'SQLite', database: async () => tempSqliteDatabase() },
  { name: 'PostgreSQL', database: () => tempPostgresDatabase() },
] as const satisfies { name: string; database: () => Promise<TestDatabase> }[]

export const ADMIN = { username: 'admin', password: 'admin-password-for-tests' }

// Logins, sessions and tokens never reach the ledger: nothing answers on this URL.
const NO_LEDGER = 'http://127.0.0.1:9'

export interface TestVerifier {
  url: string
  db: Db<'verifier'>
  services: VerifierServices
  database: TestDatabase
  /** Stops the server; `keepDatabase` leaves the database for another instance. */
  close(options?: { keepDatabase?: boolean }): Promise<void>
}

/** The verifier in this process, on its real HTTP stack, with an `admin` account. */
export async function startTestVerifier(
  env: Record<string, string> = {},
  options: { database?: TestDatabase; now?: () => number } = {},
): Promise<TestVerifier> {
  const database = options.database ?? tempSqliteDatabase()
  const port = await freePort()
  const config = loadVerifierConfig({
    FLORA_VERIFIER_PUBLIC_URL: `http://127.0.0.1:${port}`,
    FLORA_VERIFIER_DATABASE_URL: database.url,
    FLORA_LEDGER_URL: NO_LEDGER,
    FLORA_VERIFIER_ADMIN_PASSWORD: ADMIN.password,
    FLORA_DATA_DIR: database.dataDir,
    ...env,
  })
  const db = await createDb({ service: 'verifier', url: database.url })
  const { app, services } = await createVerifierApp({
    config,
    db,
    logger: createLogger('verifier', 'silent'),
    ...(options.now ? { now: options.now } : {}),
  })
  const server: RunningServer = await listen(app, { host: '127.0.0.1', port })
  return {
    url: server.url,
    db,
    services,
    database,
    async close(closeOptions = {}) {
      await server.close()
      await db.close()
      if (!closeOptions.keepDatabase) await database.dispose()
    },
  }
}

export interface Answer {
  status: number
  headers: Headers
  // biome-ignore lint/suspicious/noExplicitAny: test answers are read field by field
  body: any
  /** name → value of every cookie the answer set. */
  cookies: Record<string, string>
  setCookies: string[]
}

export async function request(
  url: string,
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string>; bearer?: string } = {},
): Promise<Answer> {
  const response = await fetch(`${url}${path}`, {
    method,
    redirect: 'manual',
    headers: {
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(options.bearer ? { authorization: `Bearer ${options.bearer}` } : {}),
      ...options.headers,
    },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  })
  const text = await response.text()
  let body: unknown = text
  try {
    body = JSON.parse(text)
  } catch {}
  const setCookies = response.headers.getSetCookie()
  const cookies: Record<string, string> = {}
  for (const line of setCookies) {
    const [pair = ''] = line.split(';')
    const at = pair.indexOf('=')
    cookies[pair.slice(0, at)] = pair.slice(at + 1)
  }
  return { status: response.status, headers: response.headers, body, cookies, setCookies }
}

export const login = (
  url: string,
  credentials: Record<string, unknown>,
  headers: Record<string, string> = {},
) => request(url, 'POST', '/session', { body: credentials, headers })

/** The session token a login set as its cookie (`__Host-` prefixed behind an https public URL). */
export const sessionOf = (answer: Answer) =>
  answer.cookies.flora_verifier_session ?? answer.cookies['__Host-flora_verifier_session']

export const byStatus = (answers: { status: number }[]) =>
  answers.reduce<Record<number, number>>((counts, a) => {
    counts[a.status] = (counts[a.status] ?? 0) + 1
    return counts
  }, {})


/** The verifier as deployed (`src/main.ts`, a process of its own) on a given database. */
export async function spawnVerifier(
  database: TestDatabase,
  env: Record<string, string> = {},
): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', resolve(import.meta.dirname, '../../src/main.ts')],
    {
      env: {
        ...process.env,
        FLORA_VERIFIER_HOST: '127.0.0.1',
        FLORA_VERIFIER_PORT: String(port),
        FLORA_VERIFIER_PUBLIC_URL: url,
        FLORA_VERIFIER_DATABASE_URL: database.url,
        FLORA_LEDGER_URL: NO_LEDGER,
        FLORA_VERIFIER_ADMIN_PASSWORD: ADMIN.password,
        FLORA_DATA_DIR: database.dataDir,
        FLORA_LOG_LEVEL: 'warn',
        ...env,
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  )
  const exited = new Promise((done) => child.once('exit', done))
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/health`)).ok) break
    } catch {}
    if (child.exitCode !== null) throw new Error(`the verifier process exited with ${child.exitCode}`)
    if (i > 600) throw new Error('the verifier process did not start within 60 s')
    await new Promise((done) => setTimeout(done, 100))
  }
  return {
    url,
    async stop() {
      if (child.exitCode === null) child.kill('SIGINT')
      await exited
    },
  }
}
