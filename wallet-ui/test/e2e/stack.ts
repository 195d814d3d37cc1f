import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { appDir, ensureBuild } from '../../scripts/ensure-build.ts'

export const repoRoot = resolve(appDir, '..')

export interface DemoAccount {
  service: 'issuer' | 'verifier'
  authority?: string
  authorityName?: string
  username: string
  password: string
  role: string
}

export interface RunningStack {
  urls: { ledger: string; issuer: string; verifier: string; wallet: string }
  dataDir: string
  accounts: DemoAccount[]
  account(service: 'issuer' | 'verifier', match: (a: DemoAccount) => boolean): DemoAccount
  logs(): string
  stop(): Promise<void>
}

const freePort = () =>
  new Promise<number>((ok, fail) => {
    const server = createServer()
    server.unref()
    server.on('error', fail)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? ok(address.port) : fail(new Error('no port'))))
    })
  })

/**
 * The whole stack as `npm start` runs it (ledger, issuer, verifier, wallet as separate processes,
 * then the pilot bootstrap: trust chain, tenants, anchoring identity, verifier onboarding, demo
 * accounts through the services' HTTP APIs), on free ports with a temporary data directory (SQLite
 * databases), so nothing else on the machine is touched. Resolves once "The pilot is ready".
 */
export async function startStack(extraEnv: Record<string, string> = {}): Promise<RunningStack> {
  await ensureBuild(() => {})
  const dataDir = mkdtempSync(join(tmpdir(), 'flora-e2e-'))
  const [ledger, issuer, verifier, wallet] = await Promise.all([freePort(), freePort(), freePort(), freePort()])
  const urls = {
    ledger: `http://localhost:${ledger}`,
    issuer: `http://localhost:${issuer}`,
    verifier: `http://localhost:${verifier}`,
    wallet: `http://localhost:${wallet}`,
  }
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    FLORA_DATA_DIR: dataDir,
    FLORA_LEDGER_PORT: String(ledger),
    FLORA_ISSUER_PORT: String(issuer),
    FLORA_VERIFIER_PORT: String(verifier),
    FLORA_WALLET_PORT: String(wallet),
    FLORA_LEDGER_URL: urls.ledger,
    FLORA_LEDGER_PUBLIC_URL: urls.ledger,
    FLORA_ISSUER_URL: urls.issuer,
    FLORA_ISSUER_PUBLIC_URL: urls.issuer,
    FLORA_VERIFIER_URL: urls.verifier,
    FLORA_VERIFIER_PUBLIC_URL: urls.verifier,
    FLORA_WALLET_PUBLIC_URL: urls.wallet,
    // Quick anchoring and always-fresh status data, so one test run sees anchored, then revoked.
    FLORA_ISSUER_ANCHOR_INTERVAL_MS: '1000',
    FLORA_ISSUER_ANCHOR_MIN_BATCH: '2',
    FLORA_ISSUER_ACCREDITATION_CACHE_SECONDS: '0',
    FLORA_VERIFIER_STATUS_MAX_AGE_SECONDS: '0',
    FLORA_LEDGER_BLOCK_INTERVAL_MS: '50',
    FLORA_LOG_LEVEL: 'warn',
    ...extraEnv,
  }
  delete env.DATABASE_URL
  let output = ''
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((ok) => child.once('exit', ok))
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(timer)
    }
    rmSync(dataDir, { recursive: true, force: true })
  }
  const deadline = Date.now() + 240_000
  while (!output.includes('The pilot is ready')) {
    if (child.exitCode !== null || output.includes('bootstrap failed') || Date.now() > deadline) {
      await stop()
      throw new Error(`the stack did not become ready (npm start):\n${output.slice(-6000)}`)
    }
    await new Promise((ok) => setTimeout(ok, 250))
  }
  const accounts = (JSON.parse(readFileSync(join(dataDir, 'demo-accounts.json'), 'utf8')) as { accounts: DemoAccount[] })
    .accounts
  return {
    urls,
    dataDir,
    accounts,
    account(service, match) {
      const found = accounts.find((a) => a.service === service && match(a))
      if (!found) throw new Error(`no ${service} demo account matches`)
      return found
    },
    logs: () => output,
    stop,
  }
}
