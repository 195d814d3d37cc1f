import type { IncomingMessage, ServerResponse } from 'node:http'

const CHUNK = Buffer.alloc(64 * 1024, 'A')

/**
 * A route for the status-list server: under `path` it answers 200 and then sends `total` bytes
 * slowly (64 KiB, then a pause), respecting backpressure, with no content-length, so only a reader
 * that counts as it goes can stop early. `sent()` is what it wrote, `closedEarly` resolves with that
 * count when the client hung up before the end.
 */
export function endlessBody(path: string, total: number, pauseMs = 5) {
  let sent = 0
  let finished = false
  let resolveClosed: (bytes: number) => void = () => {}
  const closedEarly = new Promise<number>((resolve) => {
    resolveClosed = resolve
  })
  const route = (req: IncomingMessage, res: ServerResponse): boolean => {
    if (req.url !== path) return false
    res.writeHead(200, { 'content-type': 'application/jwt' })
    let stopped = false
    res.on('close', () => {
      stopped = true
      if (!finished) resolveClosed(sent)
    })
    const pump = () => {
      if (stopped) return
      if (sent >= total) {
        finished = true
        res.end()
        return
      }
      sent += CHUNK.length
      if (res.write(CHUNK)) setTimeout(pump, pauseMs)
      else res.once('drain', () => setTimeout(pump, pauseMs))
    }
    pump()
    return true
  }
  return { route, closedEarly, sent: () => sent, finished: () => finished }
}
