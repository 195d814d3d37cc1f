import type { ChildProcess } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

// scripts/stack.ts (the root's `npm start` helpers) is loaded by path, not by a static import: its
// service table carries a member its own StackService type lacks, which would fail this package's
// strict typecheck. The shape used here is declared below.
interface StackService {
  name: string
  entry: string
  port: number
  portVariable: string
}
interface StackModule {
  stackServices: StackService[]
  spawnService(service: StackService, env?: NodeJS.ProcessEnv): ChildProcess
  waitForHealth(url: string, deadline: number): Promise<boolean>
}
const stackModuleUrl = new URL('../../../scripts/stack.ts', import.meta.url).href
const loadStack = async (): Promise<StackModule> => (await import(stackModuleUrl)) as StackModule
/** The repository root (where scripts/stack.ts starts services from). */
export const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url))

/**
 * The pilot's own stack: the ledger node, the issuer and the verifier as separate processes (each a
 * separate party), on their own ports and with their own data directory, so a pilot run never
 * touches the user's `npm start` data under ./data and is reproducible from an empty directory.
 */

export interface PilotStackUrls {
  ledgerUrl: string
  issuerUrl: string
  verifierUrl: string
}

export interface RunningPilotStack extends PilotStackUrls {
  dataDir: string
  /** Whether this process started the services (and stops them in `stop`). */
  started: boolean
  stop(): Promise<void>
}

export interface StartPilotStackOptions {
  dataDir: string
  /** Ledger on portBase, issuer on +1, verifier on +2 (default 4610). */
  portBase?: number
  /** Extra environment for every service. */
  env?: Record<string, string>
  /** Service log lines (default: dropped). */
  onLog?: (service: string, line: string) => void
  startupBudgetMs?: number
}

const service = (stackServices: StackService[], name: string): StackService => {
  const found = stackServices.find((s) => s.name === name)
  if (!found) throw new Error(`scripts/stack.ts knows no service "${name}"`)
  return found
}

/** Environment a service inherits, minus anything that would point it at the user's databases. */
function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env))
    if (!key.startsWith('FLORA_') && key !== 'DATABASE_URL' && key !== 'NODE_OPTIONS') env[key] = value
  return env
}

/** URLs of the pilot stack on a port base. */
export function pilotStackUrls(portBase = 4610): PilotStackUrls {
  return {
    ledgerUrl: `http://127.0.0.1:${portBase}`,
    issuerUrl: `http://127.0.0.1:${portBase + 1}`,
    verifierUrl: `http://127.0.0.1:${portBase + 2}`,
  }
}

/** Whether all three services answer /health at these URLs. */
export async function stackIsRunning(urls: PilotStackUrls): Promise<boolean> {
  const { waitForHealth } = await loadStack()
  const deadline = Date.now() + 1500
  const checks = await Promise.all([urls.ledgerUrl, urls.issuerUrl, urls.verifierUrl].map((url) => waitForHealth(url, deadline)))
  return checks.every(Boolean)
}

/** Starts ledger, issuer and verifier in order, each waiting for the previous one's /health. */
export async function startPilotStack(options: StartPilotStackOptions): Promise<RunningPilotStack> {
  const { stackServices, spawnService, waitForHealth } = await loadStack()
  const dataDir = resolve(options.dataDir)
  mkdirSync(dataDir, { recursive: true })
  const portBase = options.portBase ?? 4610
  const urls = pilotStackUrls(portBase)
  const common = {
    ...baseEnv(),
    FLORA_DATA_DIR: dataDir,
    FLORA_LOG_LEVEL: 'warn',
    FLORA_LEDGER_URL: urls.ledgerUrl,
  }
  const envs: Record<string, NodeJS.ProcessEnv> = {
    ledger: {
      ...common,
      FLORA_LEDGER_HOST: '127.0.0.1',
      FLORA_LEDGER_PORT: String(portBase),
      FLORA_LEDGER_PUBLIC_URL: urls.ledgerUrl,
      FLORA_LEDGER_DATA_DIR: dataDir,
    },
    issuer: {
      ...common,
      FLORA_ISSUER_HOST: '127.0.0.1',
      FLORA_ISSUER_PORT: String(portBase + 1),
      FLORA_ISSUER_PUBLIC_URL: urls.issuerUrl,
      // One padded Merkle root per second: the pilot waits for every proof before presenting.
      FLORA_ISSUER_ANCHOR_INTERVAL_MS: '1000',
      FLORA_ISSUER_ACCREDITATION_CACHE_SECONDS: '5',
    },
    verifier: {
      ...common,
      FLORA_VERIFIER_HOST: '127.0.0.1',
      FLORA_VERIFIER_PORT: String(portBase + 2),
      FLORA_VERIFIER_PUBLIC_URL: urls.verifierUrl,
      // Revocations of the broken cases happen before any presentation; a fresh list per minute is plenty.
      FLORA_VERIFIER_STATUS_MAX_AGE_SECONDS: '60',
    },
  }
  const children: ChildProcess[] = []
  const stop = async () => {
    await Promise.all(
      children.reverse().map(
        (child) =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done()
            const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
            child.once('exit', () => {
              clearTimeout(timer)
              done()
            })
            child.kill('SIGTERM')
          }),
      ),
    )
  }
  const deadline = Date.now() + (options.startupBudgetMs ?? 90_000)
  try {
    for (const [name, url] of [
      ['ledger', urls.ledgerUrl],
      ['issuer', urls.issuerUrl],
      ['verifier', urls.verifierUrl],
    ] as const) {
      const child = spawnService(service(stackServices, name), { ...envs[name], ...options.env })
      children.push(child)
      const tail: string[] = []
      for (const stream of [child.stdout, child.stderr])
        stream?.setEncoding('utf8').on('data', (chunk: string) => {
          for (const line of chunk.split('\n')) {
            if (!line) continue
            tail.push(line)
            if (tail.length > 20) tail.shift()
            options.onLog?.(name, line)
          }
        })
      const exited = new Promise<false>((done) => child.once('exit', () => done(false)))
      const healthy = await Promise.race([waitForHealth(url, deadline), exited])
      if (!healthy) throw new Error(`${name} did not become healthy at ${url}/health:\n${tail.join('\n')}`)
    }
  } catch (error) {
    await stop()
    throw error
  }
  return { ...urls, dataDir, started: true, stop }
}
