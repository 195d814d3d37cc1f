import { request } from 'node:http'

export interface RawResult {
  status: number
  contentType: string
  // biome-ignore lint/suspicious/noExplicitAny: JSON bodies are inspected loosely in tests
  body: any
}

/**
 * A GET whose request target goes on the wire exactly as given: fetch (WHATWG URL) would resolve
 * `%2e%2e` and `\` on the client side, and the point of these tests is what the server does with
 * them.
 */
export function rawGet(
  base: string,
  rawPath: string,
  headers: Record<string, string> = {},
): Promise<RawResult> {
  const { hostname, port } = new URL(base)
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path: rawPath, method: 'GET', headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        let body: unknown = text
        try {
          body = JSON.parse(text)
        } catch {
          // not JSON
        }
        resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'] ?? '', body })
      })
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end()
  })
}
