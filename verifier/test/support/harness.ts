import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createDb, type Db } from '@flora/db'
import { type TestDatabase, tempSqliteDatabase } from '@flora/db/testing'
import { createLogger, type Logger, listen, type RunningServer } from '@flora/service-kit'
import {
  createVerifierApp,
  loadVerifierConfig,
  type VerifierConfig,
  type VerifierServices,
} from '../../src/index.ts'
import type { TrustReaders } from '../../src/trust/readers.ts'
import type { TestWorld } from './world.ts'

/** A running verifier against a test world's ledger, with an officer's API token. */
export interface VerifierUnderTest {
  url: string
  config: VerifierConfig
  services: VerifierServices
  token: string
  db: Db<'verifier'>
  close(): Promise<void>
  /** POST a JWT to the direct API. */
  verify(token: string, extra?: Record<string, unknown>): Promise<Response>
  nonce(): Promise<string>
}

export async function startVerifier(
  world: TestWorld,
  env: Record<string, string> = {},
  trustSource?: TrustReaders,
  options: { now?: () => number; logger?: Logger } = {},
): Promise<VerifierUnderTest> {
  const database: TestDatabase = env.FLORA_VERIFIER_DATABASE_URL
    ? (() => {
        const dataDir = mkdtempSync(join(tmpdir(), 'flora-verifier-data-'))
        return {
          url: env.FLORA_VERIFIER_DATABASE_URL,
          dataDir,
          dispose: async () => rmSync(dataDir, { recursive: true, force: true }),
        }
      })()
    : tempSqliteDatabase()
  const port = await freePort()
  const config = loadVerifierConfig({
    FLORA_VERIFIER_PUBLIC_URL: `http://127.0.0.1:${port}`,
    FLORA_VERIFIER_DATABASE_URL: database.url,
    FLORA_LEDGER_URL: world.base,
    FLORA_VERIFIER_TRUST_ANCHORS: world.root.did,
    // the test world's ledger records every batch root as timestamped by its Root TAO
    FLORA_VERIFIER_TRUSTED_ANCHORERS: world.root.did,
    FLORA_VERIFIER_ADMIN_PASSWORD: 'admin-password-for-tests',
    FLORA_VERIFIER_LEDGER_TIMEOUT_MS: '2000',
    FLORA_DATA_DIR: database.dataDir,
    ...env,
  })
  const db = await createDb({ service: 'verifier', url: database.url })
  const { app, services } = await createVerifierApp({
    config,
    db,
    logger: options.logger ?? createLogger('verifier', 'silent'),
    ...(trustSource ? { trustSource } : {}),
    ...(options.now ? { now: options.now } : {}),
  })
  const server: RunningServer = await listen(app, { host: '127.0.0.1', port })
  const session = await sessionToken(server.url, 'admin', 'admin-password-for-tests')
  const { token } = (await (
    await fetch(`${server.url}/admin/api-tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${session}` },
      body: JSON.stringify({ name: 'tests', role: 'admin' }),
    })
  ).json()) as { token: string }
  const auth = { authorization: `Bearer ${token}` }
  return {
    url: server.url,
    config,
    services,
    token,
    db,
    async close() {
      await server.close()
      await db.close()
      await database.dispose()
    },
    verify: (jwt, extra = {}) =>
      fetch(`${server.url}/verifications`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth },
        body: JSON.stringify({ token: jwt, ...extra }),
      }),
    async nonce() {
      const response = await fetch(`${server.url}/nonces`, { method: 'POST', headers: auth })
      return ((await response.json()) as { nonce: string }).nonce
    },
  }
}

/**
 * Logs in and returns the session token, which the verifier sets only as its cookie
 * (`__Host-flora_verifier_session` when its public URL is https).
 */
export async function sessionToken(url: string, username: string, password: string): Promise<string> {
  const response = await fetch(`${url}/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  })
  await response.text()
  const cookie = response.headers
    .getSetCookie()
    .map((line) => line.split(';')[0]!)
    .find((pair) => /^(__Host-)?flora_verifier_session=/.test(pair))
  if (response.status !== 200 || !cookie) throw new Error(`login of ${username} answered ${response.status}`)
  return cookie.slice(cookie.indexOf('=') + 1)
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}
