import { createDb, defaultDatabaseUrl } from '@flora/db'
import { verifyChain } from './chain/verify-chain.ts'

// `tsx src/node/verify-chain-cli.ts [database-url]`: re-verifies the ledger from genesis; exit 1 on tampering.
const url = process.argv[2] ?? process.env.FLORA_LEDGER_DATABASE_URL ?? defaultDatabaseUrl('ledger')
const db = await createDb({ service: 'ledger', url, migrate: false })
try {
  const result = await verifyChain(db.client)
  console.log(`chain intact: ${result.blocks} blocks, ${result.transactions} transactions`)
} catch (error) {
  console.error(`chain verification FAILED: ${(error as Error).message}`)
  process.exitCode = 1
} finally {
  await db.close()
}
