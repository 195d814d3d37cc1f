import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type Koa from 'koa'

export interface RunningServer {
  /** The URL the server is bound to (not the public base URL). */
  url: string
  port: number
  server: Server
  close(): Promise<void>
}

/** Starts a koa app; port 0 picks a free port (tests). */
export async function listen(app: Koa, options: { host: string; port: number }): Promise<RunningServer> {
  const server = createServer(app.callback())
  server.keepAliveTimeout = 5_000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host, () => resolve())
  })
  const { port } = server.address() as AddressInfo
  const host = options.host.includes(':') ? `[${options.host}]` : options.host
  return {
    url: `http://${host}:${port}`,
    port,
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()))
        server.closeAllConnections()
      }),
  }
}

/** Closes everything on SIGINT/SIGTERM so that databases flush and ports are freed. */
export function closeOnSignals(close: () => Promise<void>, logger?: { info(msg: string): void }): void {
  let closing = false
  const shutdown = (signal: string) => {
    if (closing) return
    closing = true
    logger?.info(`received ${signal}, shutting down`)
    close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.once('SIGINT', () => shutdown('SIGINT'))
  process.once('SIGTERM', () => shutdown('SIGTERM'))
}
