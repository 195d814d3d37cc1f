/**
 * The HTTP floor of the verifier bench, run as a process of its own: the least any verifier must
 * do to answer a presentation over HTTP, and nothing more. It parses the JSON body with the
 * service's body parser, decodes the VP with the pipeline's decoder, verifies the VP's ES256
 * signature on the thread pool (key from its did:key) and answers 201 with a copy of a stored case
 * report serialised. It checks no credential, no nonce and no trust datum, and stores nothing.
 *
 * Its p99 beside the verifier's, in the same run on the same host, says how much of the latency
 * target is left for verification at all: on a 2-core host the floor alone is near 20 ms.
 *
 * usage: floor-server.ts <report JSON file>; prints its URL on stdout once listening.
 */
import { readFileSync } from 'node:fs'
import { jwkFromDidKeyJwkJcs } from '@flora/ebsi-connector'
import { bodyParser } from '@koa/bodyparser'
import Koa from 'koa'
import { decodeJws, verifyJwsSignatureOffThread } from '../src/pipeline/jws.ts'

const [reportFile] = process.argv.slice(2)
if (!reportFile) throw new Error('usage: floor-server.ts <report JSON file>')
const report = JSON.parse(readFileSync(reportFile, 'utf8')) as { credentials: object[] }

const app = new Koa()
app.use(bodyParser({ jsonLimit: '1mb' }))
app.use(async (ctx) => {
  const jws = decodeJws((ctx.request.body as { token: unknown }).token)
  const did = String(jws.header.kid).split('#')[0]!
  const jwk = jwkFromDidKeyJwkJcs(did) as unknown as Record<string, unknown>
  if (!(await verifyJwsSignatureOffThread(jws, jwk))) ctx.throw(400, 'presentation signature invalid')
  ctx.status = 201
  ctx.type = 'application/json'
  // a new report object each time, as a verifier builds one per request
  ctx.body = JSON.stringify({
    ...report,
    id: crypto.randomUUID(),
    credentials: report.credentials.map((c) => ({ ...c })),
  })
})
const server = app.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as { port: number }
  process.stdout.write(`http://127.0.0.1:${port}\n`)
})
