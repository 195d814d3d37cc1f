/**
 * `npm run wallet` / `npm start -w @flora/wallet-ui`: validates our FLORA_WALLET_* variables, builds
 * if needed, then runs the adapter-node server in this process (it reads PORT/HOST/ORIGIN at import).
 */
import { pathToFileURL } from 'node:url'
import { ConfigInvalid, loadWalletConfig } from '../src/lib/server/config.ts'
import { buildEntry, ensureBuild } from './ensure-build.ts'

let config: ReturnType<typeof loadWalletConfig>
try {
  config = loadWalletConfig()
} catch (error) {
  if (!(error instanceof ConfigInvalid)) throw error
  console.error(error.message)
  process.exit(78) // EX_CONFIG
}

process.env.HOST = config.host
process.env.PORT = String(config.port)
// The public URL is the app's origin. Without ORIGIN, adapter-node assumes https and SvelteKit's
// CSRF check rejects every form post made over plain http. Consequence: browse to the public URL
// (http://localhost:4400 by default), not to the bind address.
process.env.ORIGIN = config.publicUrl

await ensureBuild()
await import(pathToFileURL(buildEntry).href)
console.log(`wallet-ui: public URL ${config.publicUrl} (bound to ${config.host}:${config.port})`)
