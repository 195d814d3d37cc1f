import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { ethereumAddressFromPublicKey, jwkThumbprint } from '../../src/core/index.ts'
import type { Signer } from '../../src/keys/index.ts'

/**
 * An in-test stand-in for the ledger node's public READ endpoints (DIDR v5, TIR v5 incl. proxy
 * forwarding, TSR v3, TPR v3), in EBSI's response shapes. It holds exactly the data the client
 * operations would write, so that EBSI's verification library can be run against it.
 */
export class RegistryFixture {
  readonly dids = new Map<string, Record<string, unknown>>()
  readonly attributes = new Map<string, { did: string; attribute: Record<string, string> }>()
  readonly schemas = new Map<string, unknown>()
  readonly tprUsers = new Map<string, string[]>()
  readonly proxies = new Map<
    string,
    { prefix: string; headers: Record<string, string>; testSuffix: string }
  >()
  #server?: Server
  baseUrl = ''

  async start(): Promise<string> {
    this.#server = createServer((req, res) => {
      void this.#handle(req.url ?? '/').then(
        ({ status, type, body }) => {
          res.writeHead(status, { 'content-type': type })
          res.end(typeof body === 'string' ? body : JSON.stringify(body))
        },
        () => {
          res.writeHead(500, { 'content-type': 'application/problem+json' })
          res.end('{"title":"Internal error","status":500}')
        },
      )
    })
    await new Promise<void>((resolve) => this.#server!.listen(0, 'localhost', resolve))
    this.baseUrl = `http://localhost:${(this.#server.address() as AddressInfo).port}`
    return this.baseUrl
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.#server?.close(resolve))
  }

  /** Registers a legal entity's DID document (secp256k1 controller + P-256 assertion key). */
  addEntity(did: string, controller: Signer, assertion: Signer): void {
    const c = `${did}#${jwkThumbprint(controller.publicKeyJwk)}`
    const a = `${did}#${jwkThumbprint(assertion.publicKeyJwk)}`
    const vm = (id: string, jwk: Record<string, unknown>) => ({
      id,
      type: 'JsonWebKey2020',
      controller: did,
      publicKeyJwk: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y },
    })
    this.dids.set(did, {
      '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/suites/jws-2020/v1'],
      id: did,
      controller: [did],
      verificationMethod: [vm(c, controller.publicKeyJwk), vm(a, assertion.publicKeyJwk)],
      authentication: [c, a],
      assertionMethod: [a],
      capabilityInvocation: [c],
    })
  }

  grantTpr(controller: Signer, attributes: string[]): void {
    this.tprUsers.set(ethereumAddressFromPublicKey(controller.publicKeyJwk), attributes)
  }

  setAttribute(
    did: string,
    attributeId: string,
    body: string,
    issuerType: string,
    tao: string,
    rootTao: string,
  ): void {
    this.attributes.set(`${did}/${attributeId}`, {
      did,
      attribute: { hash: attributeId.replace(/^0x/, ''), body, issuerType, tao, rootTao },
    })
  }

  setIssuerType(did: string, attributeId: string, issuerType: string): void {
    const record = this.attributes.get(`${did}/${attributeId}`)
    if (record) record.attribute.issuerType = issuerType
  }

  async #handle(url: string): Promise<{ status: number; type: string; body: unknown }> {
    const path = new URL(url, 'http://x').pathname
    const notFound = {
      status: 404,
      type: 'application/problem+json',
      body: { title: 'Not Found', status: 404 },
    }
    let m = /^\/did-registry\/v5\/identifiers\/([^/]+)$/.exec(path)
    if (m) {
      const doc = this.dids.get(decodeURIComponent(m[1]!))
      return doc ? { status: 200, type: 'application/did+ld+json', body: doc } : notFound
    }
    m = /^\/trusted-issuers-registry\/v5\/issuers\/([^/]+)$/.exec(path)
    if (m) {
      const did = decodeURIComponent(m[1]!)
      const attributes = [...this.attributes.values()].filter((a) => a.did === did).map((a) => a.attribute)
      return attributes.length
        ? { status: 200, type: 'application/json', body: { did, attributes } }
        : notFound
    }
    m = /^\/trusted-issuers-registry\/v5\/issuers\/([^/]+)\/attributes\/([^/]+)$/.exec(path)
    if (m) {
      const record = this.attributes.get(`${decodeURIComponent(m[1]!)}/${m[2]}`)
      return record ? { status: 200, type: 'application/json', body: record } : notFound
    }
    m = /^\/trusted-issuers-registry\/v5\/issuers\/([^/]+)\/proxies\/([^/]+)\/(.+)$/.exec(path)
    if (m) {
      const proxy = this.proxies.get(`${decodeURIComponent(m[1]!)}/${m[2]}`)
      if (!proxy) return notFound
      const upstream = await fetch(`${proxy.prefix}/${m[3]}`, { headers: proxy.headers })
      return {
        status: upstream.status,
        type: upstream.headers.get('content-type') ?? 'text/plain',
        body: await upstream.text(),
      }
    }
    m = /^\/trusted-schemas-registry\/v3\/schemas\/([^/]+)$/.exec(path)
    if (m) {
      const schema = this.schemas.get(m[1]!)
      return schema ? { status: 200, type: 'application/json', body: schema } : notFound
    }
    m = /^\/trusted-policies-registry\/v3\/users\/([^/]+)$/.exec(path)
    if (m) {
      const attributes = this.tprUsers.get(m[1]!)
      return attributes
        ? { status: 200, type: 'application/json', body: { user: m[1], attributes } }
        : notFound
    }
    return notFound
  }
}
