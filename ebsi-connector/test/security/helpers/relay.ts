import { createServer, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A real HTTP relay in front of `target()`: every request it receives is sent on to `target() + url`
 * and the answer relayed back, as a badly configured (or hostile) issuer proxy would. With
 * `stripHeaders` it forwards no request headers at all, hiding any hop marker. Once downstream goes
 * away it abandons its own upstream request. After `limit` requests it answers 503 itself, so that
 * a loop in the code under test cannot run the test process into the ground.
 */
export async function startRelay(
  target: () => string,
  options: { stripHeaders: boolean; limit?: number },
): Promise<{ url: string; count(): number; close(): Promise<void> }> {
  let count = 0
  const limit = options.limit ?? 50
  const server: Server = createServer((req, res) => {
    count += 1
    if (count > limit) {
      res.writeHead(503).end('relay limit reached')
      return
    }
    const to = new URL(target())
    const headers = options.stripHeaders ? {} : { ...req.headers, host: to.host }
    const upstream = request(
      { host: to.hostname, port: to.port, path: `${to.pathname}${req.url ?? ''}`, method: 'GET', headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, { 'content-type': answer.headers['content-type'] ?? '' })
        answer.pipe(res)
      },
    )
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502)
      res.end()
    })
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy()
    })
    upstream.end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    count: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
