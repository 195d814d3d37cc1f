import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * An in-test stand-in for the ledger's public read endpoints in EBSI's response shapes: DIDR v5
 * (with valid-at history), TIR v5 attributes and issuer proxies, TSR v3, TPR v3 users, Timestamp v4.
 * Switches let the fail-closed tests take the ledger or a status list down.
 */
export class LedgerFixture {
  /** DID → versions, oldest first; `valid-at` picks the last version starting at or before it. */
  readonly dids = new Map<string, { from: number; document: Record<string, unknown> }[]>()
  readonly attributes = new Map<string, { did: string; attribute: Record<string, string> }>()
  readonly schemas = new Map<string, unknown>()
  readonly tprUsers = new Map<string, string[]>()
  /** `${did}/${proxyId}/${path}` → the JWT served through the proxy. */
  readonly proxied = new Map<string, string>()
  readonly timestamps = new Map<string, Record<string, unknown>>()
  /** path → Location: answered with a 302 instead (a misbehaving front of the ledger). */
  readonly redirects = new Map<string, string>()
  down = false
  statusDown = false
  requests = 0
  /** The raw request target of every request, in order (what the verifier actually asked for). */
  readonly paths: string[] = []
  #server?: Server
  baseUrl = ''

  async start(): Promise<string> {
    this.#server = createServer((req, res) => {
      this.requests++
      this.paths.push(req.url ?? '')
      const redirect = this.redirects.get(new URL(req.url ?? '/', 'http://x').pathname)
      if (redirect) {
        res.writeHead(302, { location: redirect })
        res.end()
        return
      }
      const { status, type, body } = this.#handle(req.url ?? '/')
      res.writeHead(status, { 'content-type': type })
      res.end(typeof body === 'string' ? body : JSON.stringify(body))
    })
    this.#server.keepAliveTimeout = 5000
    await new Promise<void>((resolve) => this.#server!.listen(0, 'localhost', resolve))
    this.baseUrl = `http://localhost:${(this.#server.address() as AddressInfo).port}`
    return this.baseUrl
  }

  async stop(): Promise<void> {
    this.#server?.closeAllConnections()
    await new Promise((resolve) => this.#server?.close(resolve))
  }

  setDid(did: string, document: Record<string, unknown>, from = 0): void {
    const versions = this.dids.get(did) ?? []
    versions.push({ from, document })
    versions.sort((a, b) => a.from - b.from)
    this.dids.set(did, versions)
  }

  #handle(url: string): { status: number; type: string; body: unknown } {
    const notFound = { status: 404, type: 'application/problem+json', body: { title: 'Not Found', status: 404 } }
    if (this.down) return { status: 503, type: 'application/problem+json', body: { title: 'Unavailable', status: 503 } }
    const parsed = new URL(url, 'http://x')
    const path = parsed.pathname
    let m = /^\/did-registry\/v5\/identifiers\/([^/]+)$/.exec(path)
    if (m) {
      const versions = this.dids.get(decodeURIComponent(m[1]!))
      const validAt = parsed.searchParams.get('valid-at')
      const at = validAt ? Date.parse(validAt) : Date.now()
      const version = versions?.filter((v) => v.from <= at).at(-1)
      return version ? { status: 200, type: 'application/did+ld+json', body: version.document } : notFound
    }
    m = /^\/trusted-issuers-registry\/v5\/issuers\/([^/]+)$/.exec(path)
    if (m) {
      const did = decodeURIComponent(m[1]!)
      const attributes = [...this.attributes.values()].filter((a) => a.did === did).map((a) => a.attribute)
      return attributes.length ? { status: 200, type: 'application/json', body: { did, attributes } } : notFound
    }
    m = /^\/trusted-issuers-registry\/v5\/issuers\/([^/]+)\/attributes\/([^/]+)$/.exec(path)
    if (m) {
      const record = this.attributes.get(`${decodeURIComponent(m[1]!)}/${m[2]}`)
      return record ? { status: 200, type: 'application/json', body: record } : notFound
    }
    m = /^\/trusted-issuers-registry\/v5\/issuers\/([^/]+)\/proxies\/([^/]+)\/(.+)$/.exec(path)
    if (m) {
      if (this.statusDown) return { status: 502, type: 'application/problem+json', body: { title: 'Bad Gateway', status: 502 } }
      const jwt = this.proxied.get(`${decodeURIComponent(m[1]!)}/${m[2]}/${m[3]}`)
      return jwt ? { status: 200, type: 'application/jwt', body: jwt } : notFound
    }
    m = /^\/trusted-schemas-registry\/v3\/schemas\/([^/]+)$/.exec(path)
    if (m) {
      const schema = this.schemas.get(m[1]!)
      return schema ? { status: 200, type: 'application/json', body: schema } : notFound
    }
    m = /^\/trusted-policies-registry\/v3\/users\/([^/]+)$/.exec(path)
    if (m) {
      const attributes = this.tprUsers.get(m[1]!)
      return attributes ? { status: 200, type: 'application/json', body: { user: m[1], attributes } } : notFound
    }
    m = /^\/timestamp\/v4\/timestamps\/([^/]+)$/.exec(path)
    if (m) {
      const record = this.timestamps.get(m[1]!)
      return record ? { status: 200, type: 'application/json', body: record } : notFound
    }
    return notFound
  }
}
