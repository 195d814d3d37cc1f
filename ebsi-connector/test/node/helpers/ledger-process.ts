import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { Actor } from './actor.ts'

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/** A ledger node started as its own process (`npm run ledger`'s entry point), as an operator runs it. */
export interface LedgerProcess {
  url: string
  child: ChildProcess
  /** Set once the process has exited (code or signal). */
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined
  /** What the process wrote on stderr and stdout (the node's JSON logs). */
  output(): string
  /** The operator identity the node generated into its data directory. */
  operator(): Actor
  kill(signal: NodeJS.Signals): Promise<void>
}

/**
 * Starts `src/node/main.ts` on a free port with `dataDir` (generated KEK and operator file) and
 * `databaseUrl`; resolves once GET /health answers 200, rejects when the process exits first.
 */
export async function startLedgerProcess(options: {
  dataDir: string
  databaseUrl: string
  env?: Record<string, string>
  /** Wait for the node to exit instead of becoming healthy (a node that must refuse to start). */
  expectExit?: boolean
}): Promise<LedgerProcess> {
  const port = await freePort()
  let output = ''
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/node/main.ts'], {
    cwd: join(import.meta.dirname, '../../..'),
    env: {
      ...process.env,
      FLORA_LEDGER_HOST: '127.0.0.1',
      FLORA_LEDGER_PORT: String(port),
      FLORA_LEDGER_DATA_DIR: options.dataDir,
      FLORA_LEDGER_DATABASE_URL: options.databaseUrl,
      FLORA_LEDGER_OPERATOR_FILE: join(options.dataDir, 'ledger-operator.json'),
      FLORA_LOG_LEVEL: 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout?.on('data', (chunk) => {
    output += String(chunk)
  })
  child.stderr?.on('data', (chunk) => {
    output += String(chunk)
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const ledger: LedgerProcess = {
    url: `http://127.0.0.1:${port}`,
    child,
    exit: undefined,
    output: () => output,
    operator() {
      const file = JSON.parse(readFileSync(join(options.dataDir, 'ledger-operator.json'), 'utf8')) as {
        did: string
        secp256k1PrivateKeyHex: string
        p256PrivateJwk: Record<string, unknown>
      }
      const operator = new Actor('operator', file.did, file)
      operator.p256Registered = true
      return operator
    },
    async kill(signal) {
      if (ledger.exit) return
      child.kill(signal)
      await exited
    },
  }
  child.once('exit', (code, signal) => {
    ledger.exit = { code, signal }
  })
  if (options.expectExit) {
    await exited
    return ledger
  }
  const deadline = Date.now() + 60_000
  for (;;) {
    if (ledger.exit) throw new Error(`ledger node exited with ${ledger.exit.code}: ${output}`)
    try {
      if ((await fetch(`${ledger.url}/health`)).ok) return ledger
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`ledger node did not become healthy within 60 s: ${output}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
