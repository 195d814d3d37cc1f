import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { type Provider, packageRoot } from '../src/layout.ts'

const require = createRequire(import.meta.url)
const prismaBin = require.resolve('prisma/build/index.js')

// Runs the Prisma CLI fully offline: the JS/WASM engines only, no binary download, no telemetry.
// Authoring PostgreSQL migrations needs the local server (the JS engine connects through the adapter).
const defaultPostgresUrl = 'postgres://postgres@127.0.0.1:5432/postgres'

export function runPrisma(args: string[], options: { provider: Provider; capture?: boolean }): string {
  const result = spawnSync(process.execPath, [prismaBin, ...args], {
    cwd: packageRoot,
    encoding: 'utf8',
    stdio: options.capture ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    env: {
      ...process.env,
      PRISMA_QUERY_ENGINE_LIBRARY: '/bin/false',
      PRISMA_SCHEMA_ENGINE_BINARY: '/bin/false',
      CHECKPOINT_DISABLE: '1',
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
      FLORA_PRISMA_CLI_PROVIDER: options.provider,
      FLORA_PRISMA_CLI_URL:
        options.provider === 'postgresql'
          ? (process.env.FLORA_PRISMA_CLI_POSTGRES_URL ?? defaultPostgresUrl)
          : ':memory:',
      NODE_OPTIONS: [
        process.env.NODE_OPTIONS,
        `--require ${join(packageRoot, 'scripts', 'unref-long-timers.cjs')}`,
      ]
        .filter(Boolean)
        .join(' '),
    },
  })
  if (result.status !== 0) {
    throw new Error(
      `prisma ${args.join(' ')} failed (${result.status}):\n${result.stderr ?? ''}${result.stdout ?? ''}`,
    )
  }
  return result.stdout ?? ''
}
