import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  type CredentialIssuer,
  issueStatusListCredential,
  StatusListBits,
} from '../../../src/client/index.ts'

/**
 * The issuer's own status-list service (a real HTTP server): `GET /credentials/status/<list>`
 * answers a StatusList2021Credential JWT freshly signed by the issuer with the current bits.
 * `publicUrl(list)` is the URL the credential names as its own (the TIR proxy URL).
 */
export class StatusListServer {
  readonly lists = new Map<string, StatusListBits>()
  readonly requests: string[] = []
  #server?: Server
  url = ''

  constructor(
    readonly issuer: CredentialIssuer,
    readonly schemasUrl: string,
    public publicUrl: (list: string) => string = (list) => `${this.url}/credentials/status/${list}`,
  ) {}

  bits(list: string): StatusListBits {
    let bits = this.lists.get(list)
    if (!bits) {
      bits = new StatusListBits()
      this.lists.set(list, bits)
    }
    return bits
  }

  async start(): Promise<string> {
    this.#server = createServer((req, res) => {
      this.requests.push(req.url ?? '')
      const match = /^\/credentials\/status\/([A-Za-z0-9_-]+)$/.exec(req.url ?? '')
      if (!match) {
        res.writeHead(404).end()
        return
      }
      const list = match[1]!
      issueStatusListCredential({
        issuer: this.issuer,
        url: this.publicUrl(list),
        schemasUrl: this.schemasUrl,
        bits: this.bits(list),
      }).then(
        (jwt) => res.writeHead(200, { 'content-type': 'application/jwt' }).end(jwt),
        () => res.writeHead(500).end(),
      )
    })
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve))
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`
    return this.url
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.#server?.close(resolve))
  }
}
