import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { composedSchemaPath, migrationsDir, providers, services } from '../src/layout.ts'
import { composeAll } from './compose.ts'
import { runPrisma } from './prisma-cli.ts'

// Authors the next migration for every service × provider whose models changed, with
// `prisma migrate diff` from the last migrated schema (kept as schema.snapshot.prisma beside the
// migrations) to the current one. No shadow database is needed, so this works on SQLite and offline.
const name = process.argv[2]
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: npm run migration:new -w @flora/db -- <snake_case_name>')
  process.exit(2)
}
composeAll()
const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14)
for (const service of services) {
  for (const provider of providers) {
    const dir = migrationsDir(service, provider)
    const snapshot = join(dir, 'schema.snapshot.prisma')
    const current = composedSchemaPath(service, provider)
    const from = existsSync(snapshot) ? ['--from-schema-datamodel', snapshot] : ['--from-empty']
    const sql = runPrisma(['migrate', 'diff', ...from, '--to-schema-datamodel', current, '--script'], {
      provider,
      capture: true,
    })
    if (!/\b(CREATE|ALTER|DROP|INSERT|PRAGMA)\b/.test(sql)) continue
    const target = join(dir, `${stamp}_${name}`)
    mkdirSync(target, { recursive: true })
    writeFileSync(join(target, 'migration.sql'), sql)
    writeFileSync(snapshot, readFileSync(current, 'utf8'))
    console.log(`wrote ${target}/migration.sql`)
  }
}
