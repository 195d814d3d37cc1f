import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3'
import { PrismaPg } from '@prisma/adapter-pg'
import { defineConfig } from 'prisma/config'

// Config for the Prisma CLI only (scripts/prisma-cli.ts sets the variables). The JS engine with a
// driver adapter is what lets generate and migrate diff run without downloading an engine binary.
const provider = process.env.FLORA_PRISMA_CLI_PROVIDER ?? 'sqlite'
const url = process.env.FLORA_PRISMA_CLI_URL ?? 'file:./unused.db'

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  adapter: async () =>
    provider === 'postgresql' ? new PrismaPg({ connectionString: url }) : new PrismaBetterSQLite3({ url }),
})
