import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { type TestDatabase, tempSqliteDatabase } from '@flora/db/testing'
import { freePort, sessionToken } from './harness.ts'

/** The verifier as deployed: `src/main.ts` in a process of its own, configured through env. */
export interface VerifierProcess {
  url: string
  did: string
  child: ChildProcess
  /** The deployment administrator's token (generated into the data directory). */
  deploymentToken(): string
  /** An officer's API token. */
  officerToken: string
  nonce(): Promise<string>
  verify(jwt: string): Promise<Response>
  stop(): Promise<void>
}

const ADMIN_PASSWORD = 'admin-password-for-the-process'

export async function spawnVerifierProcess(options: {
  ledgerUrl: string
  trustAnchor: string
  /** Who may have anchored batch roots; default: the trust anchor (the test world's ledger stamps its Root TAO). */
  trustedAnchorer?: string
  env?: Record<string, string>
  /** Extra node flags (a profiler, say). */
  nodeFlags?: string[]
  /** Default: a throw-away SQLite file. */
  database?: TestDatabase
}): Promise<VerifierProcess> {
  const database = options.database ?? tempSqliteDatabase()
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const child = spawn(
    process.execPath,
    [...(options.nodeFlags ?? []), '--import', 'tsx', resolve(import.meta.dirname, '../../src/main.ts')],
    {
      env: {
        ...process.env,
        FLORA_VERIFIER_HOST: '127.0.0.1',
        FLORA_VERIFIER_PORT: String(port),
        FLORA_VERIFIER_PUBLIC_URL: url,
        FLORA_VERIFIER_DATABASE_URL: database.url,
        FLORA_LEDGER_URL: options.ledgerUrl,
        FLORA_VERIFIER_TRUST_ANCHORS: options.trustAnchor,
        FLORA_VERIFIER_TRUSTED_ANCHORERS: options.trustedAnchorer ?? options.trustAnchor,
        FLORA_VERIFIER_ADMIN_PASSWORD: ADMIN_PASSWORD,
        FLORA_DATA_DIR: database.dataDir,
        FLORA_LOG_LEVEL: 'warn',
        ...options.env,
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  )
  const exited = new Promise((r) => child.once('exit', r))
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/health`)).ok) break
    } catch {}
    if (i > 300 || child.exitCode !== null) throw new Error('the verifier process did not start')
    await new Promise((r) => setTimeout(r, 100))
  }
  const json = async (response: Response) => (await response.json()) as Record<string, string>
  const session = await sessionToken(url, 'admin', ADMIN_PASSWORD)
  const { token: officerToken } = await json(
    await fetch(`${url}/admin/api-tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${session}` },
      body: JSON.stringify({ name: 'tests', role: 'officer' }),
    }),
  )
  const auth = { authorization: `Bearer ${officerToken}` }
  const { did } = await json(await fetch(`${url}/identity`))
  return {
    url,
    did: did!,
    child,
    officerToken: officerToken!,
    deploymentToken: () => readFileSync(join(database.dataDir, 'verifier-admin-token'), 'utf8').trim(),
    nonce: async () => (await json(await fetch(`${url}/nonces`, { method: 'POST', headers: auth }))).nonce!,
    verify: (jwt: string) =>
      fetch(`${url}/verifications`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth },
        body: JSON.stringify({ token: jwt }),
      }),
    async stop() {
      if (child.exitCode === null) child.kill('SIGINT')
      await exited
      await database.dispose()
    },
  }
}
