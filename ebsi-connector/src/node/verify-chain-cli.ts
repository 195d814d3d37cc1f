import { resolve } from 'node:path'
import { createDb, defaultDatabaseUrl } from '@flora/db'
import { pinFileOf, readPin } from './chain/node-key-pin.ts'
import { verifyLedger } from './chain/verify-ledger.ts'

// `tsx src/node/verify-chain-cli.ts [database-url]`: re-verifies the ledger from genesis against the
// node key pinned outside the database (FLORA_LEDGER_NODE_PUBLIC_JWK, else the pin file in
// FLORA_LEDGER_DATA_DIR / FLORA_DATA_DIR / ./data), then the registry state and the account nonces;
// exit 1 on tampering.
const url = process.argv[2] ?? process.env.FLORA_LEDGER_DATABASE_URL ?? defaultDatabaseUrl('ledger')
const dataDir = resolve(process.env.FLORA_LEDGER_DATA_DIR ?? process.env.FLORA_DATA_DIR ?? 'data')
const configured = process.env.FLORA_LEDGER_NODE_PUBLIC_JWK
const pinned = readPin({
  configured: configured ? (JSON.parse(configured) as Record<string, unknown>) : undefined,
  file: pinFileOf(dataDir),
})
if (!pinned) {
  console.error(`no pinned node key: set FLORA_LEDGER_NODE_PUBLIC_JWK or provide ${pinFileOf(dataDir)}`)
  process.exit(2)
}
const db = await createDb({ service: 'ledger', url, migrate: false })
try {
  const result = await verifyLedger(db.client, pinned, { walk: true })
  console.log(
    `chain intact: ${result.walked?.blocks} blocks, ${result.walked?.transactions} transactions; ` +
      (result.committed
        ? `registry state matches block ${result.head.number} (${result.stateRows} rows)`
        : 'registry state not committed yet (a chain from before state commitments; the node commits it on its next start)'),
  )
} catch (error) {
  console.error(`ledger verification FAILED: ${(error as Error).message}`)
  process.exitCode = 1
} finally {
  await db.close()
}
