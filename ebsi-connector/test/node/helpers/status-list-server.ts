import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { gzipSync } from 'node:zlib'
import { SignJWT } from 'jose'
import type { Actor } from './actor.ts'

/** One request the server received, as it arrived (raw target, headers). */
export interface ReceivedRequest {
  url: string
  headers: IncomingMessage['headers']
}

/**
 * A real HTTP server serving a StatusList2021Credential JWT signed by `issuer` (the TI) under
 * `/credentials/status/`. It records every request it receives; `route` may answer a request first
 * (return true when it did).
 */
export async function startStatusListServer(
  issuer: Actor,
  options: { signer?: Actor; route?: (req: IncomingMessage, res: ServerResponse) => boolean } = {},
): Promise<{ url: string; close(): Promise<void>; requests: string[]; received: ReceivedRequest[] }> {
  const requests: string[] = []
  const received: ReceivedRequest[] = []
  const signer = options.signer ?? issuer
  const server: Server = createServer(async (req, res) => {
    requests.push(req.url ?? '')
    received.push({ url: req.url ?? '', headers: req.headers })
    if (options.route?.(req, res)) return
    if (!req.url?.startsWith('/credentials/status/')) {
      res.writeHead(404).end('not found')
      return
    }
    const url = `http://${req.headers.host}${req.url}`
    const now = Math.floor(Date.now() / 1000)
    const jwt = await new SignJWT({
      vc: {
        '@context': ['https://www.w3.org/2018/credentials/v1', 'https://w3id.org/vc/status-list/2021/v1'],
        id: url,
        type: ['VerifiableCredential', 'VerifiableAttestation', 'StatusList2021Credential'],
        issuer: issuer.did,
        issuanceDate: new Date(now * 1000).toISOString(),
        credentialSubject: {
          id: `${url}#list`,
          type: 'StatusList2021',
          statusPurpose: 'revocation',
          encodedList: gzipSync(Buffer.alloc(16384)).toString('base64url'),
        },
      },
    })
      .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: `${signer.did}#${signer.p256Kid}` })
      .setIssuer(issuer.did)
      .setSubject(`${url}#list`)
      .setIssuedAt(now)
      .sign(signer.p256)
    res.writeHead(200, { 'content-type': 'application/jwt' }).end(jwt)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
