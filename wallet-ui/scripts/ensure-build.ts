import { spawn } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const appDir = join(dirname(fileURLToPath(import.meta.url)), '..')
export const buildEntry = join(appDir, 'build', 'index.js')

/** Inputs of the build; build/ is stale when any of them is newer than build/handler.js. */
const inputs = ['src', 'static', 'svelte.config.js', 'vite.config.ts', 'package.json']

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  return readdirSync(path).reduce(
    (newest, name) => Math.max(newest, newestMtime(join(path, name))),
    stat.mtimeMs,
  )
}

/** Why build/ must be (re)built, or undefined when it is current. */
export function buildStaleness(): string | undefined {
  const marker = join(appDir, 'build', 'handler.js')
  if (!existsSync(buildEntry) || !existsSync(marker)) return 'build/ is missing'
  const built = statSync(marker).mtimeMs
  const newest = Math.max(...inputs.map((input) => newestMtime(join(appDir, input))))
  return newest > built ? 'sources changed since the last build' : undefined
}

/**
 * Builds the app when build/ is missing or stale, so `npm run wallet` works on a fresh clone after
 * `npm install`, and a test never runs against yesterday's build. Output goes to `log`.
 */
export async function ensureBuild(log: (chunk: string) => void = (c) => process.stderr.write(c)) {
  const reason = buildStaleness()
  if (!reason) return { built: false as const }
  log(`wallet-ui: ${reason}; building (npm run build) …\n`)
  const started = performance.now()
  await new Promise<void>((resolve, reject) => {
    const child = spawn('npm', ['run', 'build'], { cwd: appDir, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    const collect = (chunk: Buffer) => {
      output += chunk.toString()
    }
    child.stdout.on('data', collect)
    child.stderr.on('data', collect)
    child.on('error', reject)
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`wallet-ui build failed (exit ${code}):\n${output}`)),
    )
  })
  const ms = Math.round(performance.now() - started)
  log(`wallet-ui: built in ${ms} ms\n`)
  return { built: true as const, ms }
}
