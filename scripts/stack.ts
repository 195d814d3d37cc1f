import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const tsxLoader = createRequire(import.meta.url).resolve('tsx')

/** The services `npm start` runs, in start order (the ledger first: the others read it). */
export interface StackService {
  name: string
  entry: string
  port: number
  portVariable: string
  /** Plain JavaScript entry (no tsx loader). */
  plainNode?: boolean
}

export const stackServices: StackService[] = [
  { name: 'ledger', entry: 'ebsi-connector/src/node/main.ts', port: 4100, portVariable: 'FLORA_LEDGER_PORT' },
  { name: 'issuer', entry: 'issuer/src/main.ts', port: 4200, portVariable: 'FLORA_ISSUER_PORT' },
  { name: 'verifier', entry: 'verifier/src/main.ts', port: 4300, portVariable: 'FLORA_VERIFIER_PORT' },
  {
    name: 'wallet',
    entry: 'wallet-ui/scripts/serve.js',
    port: 4400,
    portVariable: 'FLORA_WALLET_PORT',
    plainNode: true,
  },
]

/** Services whose code exists in this checkout (later issues plug theirs in). */
export const availableServices = () =>
  stackServices.filter((service) => existsSync(join(root, service.entry)))

export const portOf = (service: StackService, env = process.env) =>
  Number(env[service.portVariable] ?? service.port)

/**
 * The environment of the stack's services: the caller's, plus the wallet UI as the issuer's and the
 * verifier's trusted proxy unless the operator named their proxies. The wallet relays staff
 * sign-ins with the browser's address in X-Forwarded-For; without trusting it, every sign-in
 * through the wallet would count as one client (the wallet) at the services, and one guesser would
 * stop everyone's. Here the wallet reaches them over loopback, so loopback is what is trusted: any
 * process on this machine may then name the client it speaks for (see the README).
 */
export function stackEnvironment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const loopback = '127.0.0.1,::1'
  return {
    ...env,
    FLORA_ISSUER_TRUSTED_PROXIES: env.FLORA_ISSUER_TRUSTED_PROXIES ?? loopback,
    FLORA_VERIFIER_TRUSTED_PROXIES: env.FLORA_VERIFIER_TRUSTED_PROXIES ?? loopback,
  }
}

export function spawnService(service: StackService, env: NodeJS.ProcessEnv = stackEnvironment()): ChildProcess {
  const args = service.plainNode ? [service.entry] : ['--import', tsxLoader, service.entry]
  return spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] })
}

/** Polls GET /health until it answers 200 or the deadline passes. */
export async function waitForHealth(url: string, deadline: number): Promise<boolean> {
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) })
      if (response.ok) return true
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  return false
}

/** The stack's data directory (every service's embedded default lives under it). */
export const dataDirOf = (env = process.env) => resolve(root, env.FLORA_DATA_DIR ?? 'data')

/** Public base URL of a service as the others reach it on this machine. */
export function urlOf(name: string, env = process.env): string {
  const service = stackServices.find((s) => s.name === name)
  if (!service) throw new Error(`unknown service ${name}`)
  return `http://localhost:${portOf(service, env)}`
}

/** What the pilot bootstrap needs to reach the running stack on embedded defaults. */
export function bootstrapOptionsOf(env = process.env) {
  const dataDir = dataDirOf(env)
  const ledgerDataDir = resolve(root, env.FLORA_LEDGER_DATA_DIR ?? dataDir)
  return {
    dataDir,
    ledgerUrl: env.FLORA_LEDGER_URL ?? urlOf('ledger', env),
    issuerUrl: env.FLORA_ISSUER_PUBLIC_URL ?? urlOf('issuer', env),
    verifierUrl: env.FLORA_VERIFIER_PUBLIC_URL ?? urlOf('verifier', env),
    operatorFile: env.FLORA_LEDGER_OPERATOR_FILE ?? join(ledgerDataDir, 'ledger-operator.json'),
  }
}
