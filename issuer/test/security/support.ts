import { type ChildProcess, spawn } from 'node:child_process'
import { resolve } from 'node:path'
import { type TestDatabase, tempPostgresDatabase, tempSqliteDatabase } from '@flora/db/testing'
import { freePort } from '../helpers/harness.ts'

/** The databases every store-backed security test runs on. */
export const providers = [
  { name: 'SQLite', database: async () => tempSqliteDatabase() },
  { name: 'PostgreSQL', database: () => tempPostgresDatabase() },
] as const satisfies { name: string; database: () => Promise<TestDatabase> }[]

export interface LoginAnswer {
  status: number
  headers: Headers
  // biome-ignore lint/suspicious/noExplicitAny: test answers are read field by field
  body: any
  /** name → value of every cookie the answer set. */
  cookies: Record<string, string>
  /** The raw Set-Cookie lines. */
  setCookies: string[]
}

/** POST /session as a browser or a script would; `headers` carries X-Forwarded-For, Cookie, Origin. */
export async function login(
  url: string,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<LoginAnswer> {
  const response = await fetch(`${url}/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })
  const text = await response.text()
  let parsed: unknown = text
  try {
    parsed = JSON.parse(text)
  } catch {}
  const setCookies = response.headers.getSetCookie()
  const cookies: Record<string, string> = {}
  for (const line of setCookies) {
    const [pair = ''] = line.split(';')
    const at = pair.indexOf('=')
    cookies[pair.slice(0, at)] = pair.slice(at + 1)
  }
  return { status: response.status, headers: response.headers, body: parsed, cookies, setCookies }
}

/** Counts answers by status: { 401: 5, 429: 295 }. */
export const byStatus = (answers: { status: number }[]) =>
  answers.reduce<Record<number, number>>((counts, a) => {
    counts[a.status] = (counts[a.status] ?? 0) + 1
    return counts
  }, {})


/** The issuer as deployed: `src/main.ts` in a process of its own, configured through env. */
export interface IssuerProcess {
  url: string
  stop(): Promise<void>
}

export async function spawnIssuer(
  database: TestDatabase,
  env: Record<string, string> = {},
): Promise<IssuerProcess> {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', resolve(import.meta.dirname, '../../src/main.ts')],
    {
      env: {
        ...process.env,
        FLORA_ISSUER_HOST: '127.0.0.1',
        FLORA_ISSUER_PORT: String(port),
        FLORA_ISSUER_PUBLIC_URL: url,
        FLORA_ISSUER_DATABASE_URL: database.url,
        FLORA_DATA_DIR: database.dataDir,
        // nothing on this ledger URL answers; logins never reach the ledger
        FLORA_LEDGER_URL: 'http://127.0.0.1:9',
        FLORA_ISSUER_ANCHOR_INTERVAL_MS: '3600000',
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
    if (child.exitCode !== null) throw new Error(`the issuer process exited with ${child.exitCode}`)
    if (i > 600) throw new Error('the issuer process did not start within 60 s')
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
