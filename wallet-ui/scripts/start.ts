/**
 * `npm run wallet` / `npm start -w @flora/wallet-ui`: validates our FLORA_WALLET_* variables, builds
 * if needed, then runs the adapter-node server in this process (it reads PORT/HOST/ORIGIN at import).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ConfigInvalid, loadWalletConfig } from '../src/lib/server/config.ts'
import { securityHeaders } from '../src/lib/server/security-headers.ts'
import { appDir, ensureBuild } from './ensure-build.ts'

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

// adapter-node's handler (static files, prerendered pages, the app) behind our own server, so that
// every response — static files too, which never reach hooks.server.ts — carries the security headers.
type Handler = (request: IncomingMessage, response: ServerResponse, next: () => void) => void
const { handler } = (await import(pathToFileURL(join(appDir, 'build', 'handler.js')).href)) as { handler: Handler }
const headers = Object.entries(securityHeaders(config.publicUrl))
const server = createServer((request, response) => {
  for (const [name, value] of headers) response.setHeader(name, value)
  handler(request, response, () => {
    response.statusCode = 404
    response.end()
  })
})
await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve))
console.log(`wallet-ui: public URL ${config.publicUrl} (bound to ${config.host}:${config.port})`)

/** Stops taking requests, lets running ones finish (at most 10 s), then exits. */
function shutdown() {
  server.closeIdleConnections()
  server.close(() => process.exit(0))
  setTimeout(() => server.closeAllConnections(), 10_000).unref()
}
process.once('SIGTERM', shutdown)
process.once('SIGINT', shutdown)
