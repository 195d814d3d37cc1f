import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { appDir, ensureBuild } from '../../scripts/ensure-build.ts'

export interface RunningApp {
  /** Where the app is reached (its public URL unless `publicHost` names another loopback name). */
  url: string
  /** The loopback address it listens on (http://127.0.0.1:port). */
  boundUrl: string
  logs: () => string
  stop: () => Promise<void>
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      )
    })
  })

/**
 * Builds if needed, then starts the app through its real entry point (scripts/start.ts, as
 * `npm run wallet` does) on a free port, and waits for /health. Its data directory is a fresh
 * temporary one (removed on stop) unless `env` names one; `env` adds or overrides variables.
 */
export async function startApp(
  env: Record<string, string> = {},
  options: { publicHost?: string } = {},
): Promise<RunningApp> {
  let output = ''
  const log = (chunk: string) => {
    output += chunk
  }
  await ensureBuild(log)
  const port = await freePort()
  const boundUrl = `http://127.0.0.1:${port}`
  // e.g. 'localhost': the public URL names the server differently from the address it is reached at
  const url = `http://${options.publicHost ?? '127.0.0.1'}:${port}`
  const ownDataDir = env.FLORA_DATA_DIR ? undefined : mkdtempSync(join(tmpdir(), 'flora-wallet-'))
  // node --import tsx (not the tsx CLI, which forks a second process) so that stop() ends the server.
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: appDir,
    env: {
      ...process.env,
      FLORA_WALLET_HOST: '127.0.0.1',
      FLORA_WALLET_PORT: String(port),
      FLORA_WALLET_PUBLIC_URL: url,
      ...(ownDataDir ? { FLORA_DATA_DIR: ownDataDir } : {}),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout?.on('data', (chunk: Buffer) => log(chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => log(chunk.toString()))
  const stop = async () => {
    await stopChild(child)
    if (ownDataDir) rmSync(ownDataDir, { recursive: true, force: true })
  }
  try {
    await waitForHealth(boundUrl, child, 30_000)
  } catch (error) {
    await stop()
    throw new Error(`${(error as Error).message}\n--- app output ---\n${output}`)
  }
  return { url, boundUrl, logs: () => output, stop }
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`wallet-ui exited with code ${child.exitCode} before it was ready`)
    try {
      const response = await fetch(`${url}/health`)
      if (response.ok) return
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`wallet-ui did not answer ${url}/health within ${timeoutMs} ms`)
}

async function stopChild(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
  await exited
  clearTimeout(timer)
}
