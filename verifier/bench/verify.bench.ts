/**
 * Verification benchmark, one run (`npm run bench -w @flora/verifier`):
 * - full-pipeline verifications/s, including the report and verification-log writes (SQLite), with
 *   warm trust caches and with cold ones (every trust datum fetched from the ledger for every
 *   verification: TTLs and status max-age 0);
 * - raw ES256 signature verifications/s on the same credentials at the same concurrency;
 * - @cef-ebsi/verifiable-credential 5.5.0 verifyCredentialJwt/s on the same credentials (no skip
 *   options), same concurrency;
 * - latency of a 15-milestone case presented over HTTP (direct API) at concurrency 8: p50/p99.
 * Targets (warm): ≥ 0.5 × raw ES256, ≥ 20 × the EBSI library, p99 < 20 ms. Exits 1 when one is missed.
 */
import { createPublicKey, verify } from 'node:crypto'
import { verifyCredentialJwt } from '@cef-ebsi/verifiable-credential'
import { startVerifier } from '../test/support/harness.ts'
import { CASE_15, TestWorld } from '../test/support/world.ts'

const CONCURRENCY = 8
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4)

async function measure(name: string, items: readonly string[], op: (item: string) => Promise<unknown>, seconds = SECONDS) {
  let done = 0
  let next = 0
  const latencies: number[] = []
  const until = performance.now() + seconds * 1000
  const started = performance.now()
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < until) {
        const item = items[next++ % items.length]!
        const t = performance.now()
        await op(item)
        latencies.push(performance.now() - t)
        done++
      }
    }),
  )
  const elapsed = (performance.now() - started) / 1000
  latencies.sort((a, b) => a - b)
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0
  const result = { name, ops: done, perSecond: done / elapsed, p50: q(0.5), p99: q(0.99) }
  console.log(
    `${name.padEnd(44)} ${result.perSecond.toFixed(0).padStart(8)}/s  p50 ${result.p50.toFixed(2)} ms  p99 ${result.p99.toFixed(2)} ms  (${done} ops)`,
  )
  return result
}

const world = await new TestWorld().start()
const warm = await startVerifier(world)
const cold = await startVerifier(world, {
  FLORA_VERIFIER_STATUS_MAX_AGE_SECONDS: '0',
  FLORA_VERIFIER_DID_TTL_SECONDS: '0',
  FLORA_VERIFIER_TIR_TTL_SECONDS: '0',
  FLORA_VERIFIER_SCHEMA_TTL_SECONDS: '0',
  FLORA_VERIFIER_ANCHOR_TTL_SECONDS: '0',
})
try {
  const holder = world.holder()
  const credentials: string[] = []
  for (let i = 0; i < 200; i++)
    credentials.push((await world.issue({ type: 'DublinReplyMilestone', holder: holder.did })).jwt)
  const anchored = new Map(world.anchor(credentials).map((proof, i) => [credentials[i]!, proof]))
  const keyOf = (jwt: string) => {
    const header = JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString()) as { kid: string }
    const did = header.kid.split('#')[0]!
    const document = world.ledger.dids.get(did)!.at(-1)!.document as { verificationMethod: { id: string; publicKeyJwk: object }[] }
    return createPublicKey({ format: 'jwk', key: document.verificationMethod.find((vm) => vm.id === header.kid)!.publicKeyJwk as never })
  }
  const key = keyOf(credentials[0]!)
  const sanity = await warm.services.verification.verify({ token: credentials[0]!, actor: 'bench', source: 'direct', anchoringProof: anchored.get(credentials[0]!) })
  if (sanity.credentials[0]!.verdict !== 'valid') throw new Error('bench credential does not verify')

  console.log(`concurrency ${CONCURRENCY}, ${SECONDS} s per measurement, ${credentials.length} credentials (DublinReplyMilestone)\n`)
  const raw = await measure('raw ES256 verify', credentials, async (jwt) => {
    const [h, p, s] = jwt.split('.') as [string, string, string]
    if (!verify('sha256', Buffer.from(`${h}.${p}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url')))
      throw new Error('raw verify failed')
  })
  const pipelineWarm = await measure('full pipeline + report + log, warm caches', credentials, (jwt) =>
    warm.services.verification.verify({ token: jwt, actor: 'bench', source: 'direct', anchoringProof: anchored.get(jwt) }),
  )
  const pipelineCold = await measure('full pipeline + report + log, cold caches', credentials, (jwt) =>
    cold.services.verification.verify({ token: jwt, actor: 'bench', source: 'direct', anchoringProof: anchored.get(jwt) }),
  )
  const options = world.ebsiOptions()
  const ebsi = await measure('@cef-ebsi verifyCredentialJwt (no skips)', credentials, (jwt) => verifyCredentialJwt(jwt, options))

  // A 15-milestone case over HTTP: one VP per request, fresh nonce each, concurrency 8.
  const caseHolder = world.holder()
  const caseJwts = await world.issueCase(caseHolder.did, CASE_15)
  const proofs = world.anchor(caseJwts)
  const vps: string[] = []
  for (let i = 0; i < 1500; i++) {
    const { nonce } = await warm.services.nonces.issue('direct')
    vps.push(await world.presentation(caseHolder, caseJwts, proofs, warm.services.identity.did, nonce))
  }
  const check = await (await warm.verify(vps.pop()!)).json()
  if ((check as { verdict: string }).verdict !== 'valid') throw new Error('bench case does not verify')
  let vpIndex = 0
  const http = await measure('15-milestone case over HTTP (VP, direct API)', ['x'], async () => {
    const response = await warm.verify(vps[vpIndex++ % vps.length]!)
    await response.arrayBuffer()
    if (response.status !== 201) throw new Error(`HTTP ${response.status}`)
  }, Math.min(SECONDS, 3))

  const vsRaw = pipelineWarm.perSecond / raw.perSecond
  const vsEbsi = pipelineWarm.perSecond / ebsi.perSecond
  console.log(`\nwarm pipeline / raw ES256      = ${vsRaw.toFixed(2)} (target ≥ 0.5)`)
  console.log(`warm pipeline / EBSI library   = ${vsEbsi.toFixed(1)} (target ≥ 20)`)
  console.log(`cold pipeline / EBSI library   = ${(pipelineCold.perSecond / ebsi.perSecond).toFixed(1)}`)
  console.log(`15-milestone case p99 (HTTP)   = ${http.p99.toFixed(2)} ms (target < 20 ms)`)
  const missed = [vsRaw < 0.5 && 'raw ratio', vsEbsi < 20 && 'EBSI ratio', http.p99 >= 20 && 'p99'].filter(Boolean)
  if (missed.length) {
    console.log(`MISSED: ${missed.join(', ')}`)
    process.exitCode = 1
  } else console.log('all targets met')
} finally {
  await warm.close()
  await cold.close()
  await world.stop()
}
