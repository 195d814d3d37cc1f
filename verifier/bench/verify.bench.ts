/**
 * Verification benchmark, one run (`npm run bench -w @flora/verifier`):
 * - full-pipeline verifications/s, including the report and verification-log writes (SQLite), with
 *   warm trust caches and with cold ones (every trust datum fetched from the ledger for every
 *   verification: TTLs and status max-age 0);
 * - raw ES256 signature verifications/s on the same credentials at the same concurrency, each way
 *   Node offers: node:crypto verify synchronous (one thread) and with a callback (libuv thread pool,
 *   what the pipeline uses), and WebCrypto (thread pool). The ratio is taken against the fastest;
 * - @cef-ebsi/verifiable-credential 5.5.0 verifyCredentialJwt/s on the same credentials (no skip
 *   options), same concurrency;
 * - a 15-milestone case presented again and again in this process: cases/s and CPU per case;
 * - latency of a 15-milestone case presented over HTTP (direct API) at concurrency 8: p50/p99. The
 *   verifier runs as deployed (`src/main.ts`; BENCH_VERIFIER_WORKERS sets FLORA_VERIFIER_WORKERS,
 *   BENCH_VERIFIER_DATABASE=postgres puts it on PostgreSQL, BENCH_VERIFIER_NODE_FLAGS passes node
 *   flags to it). The requests come from
 *   bench/http-load.ts in a process of its own, so neither the verifier nor the load generator
 *   shares an event loop or a heap with this process (which holds the test world and its
 *   credentials: its garbage-collection pauses used to be counted as the verifier's latency).
 * - two floors, measured beside the verifier on the same host: in process, decoding a credential,
 *   its raw ES256 verify and this verifier's report and log rows for it (no trust check at all);
 *   over HTTP, bench/floor-server.ts (body, VP decode and signature, a case report's JSON; nothing
 *   checked, nothing stored). They tell whether a missed target is left to the verifier's own
 *   work or is already out of reach on this host.
 * Targets (warm): ≥ 0.5 × raw ES256, ≥ 20 × the EBSI library, p99 < 20 ms. Exits 1 when one is missed.
 */
import { execFile, spawn } from 'node:child_process'
import { createPublicKey, randomUUID, verify, webcrypto } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { verifyCredentialJwt } from '@cef-ebsi/verifiable-credential'
import { tempPostgresDatabase } from '@flora/db/testing'
import { decodeJws } from '../src/pipeline/jws.ts'
import { startVerifier } from '../test/support/harness.ts'
import { spawnVerifierProcess } from '../test/support/verifier-process.ts'
import { CASE_15, TestWorld } from '../test/support/world.ts'

const execFileAsync = promisify(execFile)

const CONCURRENCY = 8
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4)
const WARM_CREDENTIALS = Number(process.env.BENCH_WARM_CREDENTIALS ?? 24_000)
const FRESH_CASES = Number(process.env.BENCH_FRESH_CASES ?? 600)
const IN_PROCESS_CASES = Number(process.env.BENCH_IN_PROCESS_CASES ?? 1500)
/** Verifier processes for the HTTP measurements (FLORA_VERIFIER_WORKERS; the service's default, 1). */
const WORKERS = Number(process.env.BENCH_VERIFIER_WORKERS ?? 1)

/**
 * Runs `op` at concurrency 8 for `seconds`. `distinct`: every item at most once (the run ends early
 * when they are used up), so no verification meets a credential it has seen before.
 */
async function measure(
  name: string,
  items: readonly string[],
  op: (item: string) => Promise<unknown>,
  seconds = SECONDS,
  distinct = false,
) {
  let done = 0
  let next = 0
  const latencies: number[] = []
  const until = performance.now() + seconds * 1000
  const started = performance.now()
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < until && (!distinct || next < items.length)) {
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

interface LoadResult {
  ops: number
  perSecond: number
  p50: number
  p99: number
  max: number
  exhausted: boolean
  /** The load generator's own CPU per request, ms. */
  cpuMsPerRequest: number
  /** Share of the machine's cores busy during the measurement (Linux). */
  machineBusy?: number
}

/**
 * CPU seconds a process has used, in all its threads and in its main thread (the event loop), from
 * Linux's /proc (undefined elsewhere). Wall-clock rates on a shared 2-core machine move with
 * whatever else it runs; CPU per request moves much less, so it is what compares two builds.
 */
function cpuSeconds(pid: number | undefined): { all: number; eventLoop: number } | undefined {
  if (pid === undefined) return undefined
  const ticks = (path: string) => {
    // the fields after the command name, which is in parentheses and may contain spaces
    const fields = readFileSync(path, 'utf8').split(') ')[1]!.split(' ')
    return (Number(fields[11]) + Number(fields[12])) / 100 // utime + stime, clock ticks of 10 ms
  }
  try {
    return { all: ticks(`/proc/${pid}/stat`), eventLoop: ticks(`/proc/${pid}/task/${pid}/stat`) }
  } catch {
    return undefined
  }
}

/** A server the load generator posts to; `pid`: the process whose CPU is counted, if one serves. */
interface LoadTarget {
  url: string
  token: string
  pid?: number | undefined
}

/** Runs bench/http-load.ts in a process of its own against `target`, each presentation once. */
async function loadOverHttp(
  name: string,
  target: LoadTarget,
  presentations: readonly string[],
  warmup: number,
): Promise<LoadResult> {
  const dir = mkdtempSync(join(tmpdir(), 'flora-verifier-load-'))
  try {
    const file = join(dir, 'presentations.txt')
    writeFileSync(file, presentations.join('\n'))
    const loadScript = resolve(import.meta.dirname, 'http-load.ts')
    const args = [
      '--import',
      'tsx',
      loadScript,
      target.url,
      target.token,
      file,
      String(CONCURRENCY),
      String(Math.min(SECONDS, 3)),
      String(warmup),
    ]
    const pid = target.pid
    const cpuBefore = cpuSeconds(pid)
    const { stdout } = await execFileAsync(process.execPath, args, { maxBuffer: 1 << 20 })
    const cpuAfter = cpuSeconds(pid)
    const result = JSON.parse(stdout) as LoadResult
    console.log(
      `${name.padEnd(44)} ${result.perSecond.toFixed(0).padStart(8)}/s  p50 ${result.p50.toFixed(2)} ms  p99 ${result.p99.toFixed(2)} ms  max ${result.max.toFixed(1)} ms  (${result.ops} ops${result.exhausted ? ', all presentations used' : ''})`,
    )
    if (cpuBefore && cpuAfter) {
      // warm-up requests included: the verifier served them inside the same CPU window
      const served = result.ops + Math.min(warmup, presentations.length)
      const perRequest = (seconds: number) => ((seconds * 1000) / served).toFixed(2)
      console.log(
        `${''.padEnd(44)} verifier CPU per request: ${perRequest(cpuAfter.eventLoop - cpuBefore.eventLoop)} ms on its event loop, ${perRequest(cpuAfter.all - cpuBefore.all)} ms in all its threads`,
      )
    }
    console.log(
      `${''.padEnd(44)} load generator CPU per request: ${result.cpuMsPerRequest.toFixed(2)} ms${result.machineBusy === undefined ? '' : `; machine busy ${(result.machineBusy * 100).toFixed(0)} %`}`,
    )
    return result
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Runs bench/floor-server.ts, answering with `caseReport`, for the duration of `use`. */
async function withFloorServer<T>(caseReport: string, use: (target: LoadTarget) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'flora-verifier-floor-'))
  const reportFile = join(dir, 'report.json')
  writeFileSync(reportFile, caseReport)
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', resolve(import.meta.dirname, 'floor-server.ts'), reportFile],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
  try {
    const url = await new Promise<string>((listening, failed) => {
      child.stdout.once('data', (line) => listening(String(line).trim()))
      child.once('exit', (code) => failed(new Error(`floor server exited (${code})`)))
    })
    return await use({ url, token: 'none', pid: child.pid })
  } finally {
    child.kill()
    rmSync(dir, { recursive: true, force: true })
  }
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
  // Distinct credentials for each measurement of the pipeline: a signature the verifier has verified
  // once is remembered (see src/pipeline/jws.ts), so a repeated credential would skip the ES256 work.
  const holder = world.holder()
  const issueMany = async (n: number) => {
    const jwts: string[] = []
    for (let i = 0; i < n; i++)
      jwts.push((await world.issue({ type: 'DublinReplyMilestone', holder: holder.did })).jwt)
    return jwts
  }
  const credentials = await issueMany(WARM_CREDENTIALS)
  const warmUp = await issueMany(300)
  const coldSet = await issueMany(1500)
  const anchored = new Map<string, unknown>()
  for (const set of [credentials, warmUp, coldSet]) {
    const proofs = world.anchor(set)
    for (const [i, jwt] of set.entries()) anchored.set(jwt, proofs[i])
  }
  const keyOf = (jwt: string) => {
    const header = JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString()) as { kid: string }
    const did = header.kid.split('#')[0]!
    const document = world.ledger.dids.get(did)!.at(-1)!.document as {
      verificationMethod: { id: string; publicKeyJwk: object }[]
    }
    return createPublicKey({
      format: 'jwk',
      key: document.verificationMethod.find((vm) => vm.id === header.kid)!.publicKeyJwk as never,
    })
  }
  const key = keyOf(credentials[0]!)
  const verifyWarm = (jwt: string) =>
    warm.services.verification.verify({
      token: jwt,
      actor: 'bench',
      source: 'direct',
      anchoringProof: anchored.get(jwt),
    })
  const sanity = await verifyWarm(warmUp[0]!)
  if (sanity.credentials[0]!.verdict !== 'valid') throw new Error('bench credential does not verify')
  // trust caches filled and JIT warm, on credentials the measurement does not use
  for (const jwt of warmUp) await verifyWarm(jwt)

  console.log(
    `${availableParallelism()} cores, concurrency ${CONCURRENCY}, ${SECONDS} s per measurement, up to ${credentials.length} distinct credentials (DublinReplyMilestone), HTTP verifier with ${WORKERS} worker process(es)\n`,
  )
  const rawSync = await measure('raw ES256 verify (node:crypto, sync)', credentials, async (jwt) => {
    const [h, p, s] = jwt.split('.') as [string, string, string]
    if (
      !verify(
        'sha256',
        Buffer.from(`${h}.${p}`),
        { key, dsaEncoding: 'ieee-p1363' },
        Buffer.from(s, 'base64url'),
      )
    )
      throw new Error('raw verify failed')
  })
  const cryptoKey = await webcrypto.subtle.importKey(
    'jwk',
    key.export({ format: 'jwk' }),
    { name: 'ECDSA', namedCurve: 'P-256' },
    false,
    ['verify'],
  )
  const rawWebCrypto = await measure(
    'raw ES256 verify (WebCrypto, thread pool)',
    credentials,
    async (jwt) => {
      const [h, p, s] = jwt.split('.') as [string, string, string]
      const ok = await webcrypto.subtle.verify(
        { name: 'ECDSA', hash: 'SHA-256' },
        cryptoKey,
        Buffer.from(s, 'base64url'),
        Buffer.from(`${h}.${p}`),
      )
      if (!ok) throw new Error('raw verify failed')
    },
  )
  const verifyOnThreadPool = async (signingInput: string, signature: Buffer) => {
    const ok = await new Promise<boolean>((resolve, reject) =>
      verify(
        'sha256',
        Buffer.from(signingInput),
        { key, dsaEncoding: 'ieee-p1363' },
        signature,
        (error, valid) => (error ? reject(error) : resolve(valid)),
      ),
    )
    if (!ok) throw new Error('raw verify failed')
  }
  const rawCallback = await measure('raw ES256 verify (node:crypto, thread pool)', credentials, (jwt) => {
    const [h, p, s] = jwt.split('.') as [string, string, string]
    return verifyOnThreadPool(`${h}.${p}`, Buffer.from(s, 'base64url'))
  })
  const raw = [rawSync, rawWebCrypto, rawCallback].reduce((a, b) => (b.perSecond > a.perSecond ? b : a))
  const pipelineWarm = await measure(
    'full pipeline + report + log, warm caches',
    credentials,
    verifyWarm,
    SECONDS,
    true,
  )
  if (pipelineWarm.ops >= credentials.length)
    console.log(`  (used all ${credentials.length} credentials: raise BENCH_WARM_CREDENTIALS)`)
  // The in-process floor: what a verification costs here with no trust check at all — the
  // credential decoded by the pipeline's decoder, its ES256 verified as the raw measurement does, and a copy of a real
  // one-credential report and its log line stored by the verifier's own ReportStore.
  const floor = await measure('floor: decode + ES256 + report and log rows', credentials, async (jwt) => {
    const jws = decodeJws(jwt)
    await verifyOnThreadPool(jws.signingInput, jws.signature)
    const report = { ...sanity, id: randomUUID(), credentials: sanity.credentials.map((c) => ({ ...c })) }
    await warm.services.reports.save(report, 'bench', {
      actor: 'bench',
      action: 'verify-credential',
      reportId: report.id,
      verdict: report.verdict,
      stepOutcomes: {},
      durationMs: 0,
    })
  })
  const pipelineCold = await measure(
    'full pipeline + report + log, cold caches',
    coldSet,
    (jwt) =>
      cold.services.verification.verify({
        token: jwt,
        actor: 'bench',
        source: 'direct',
        anchoringProof: anchored.get(jwt),
      }),
    SECONDS,
    true,
  )
  // The same 15-milestone case again, in this process (no HTTP, no load generator): the
  // verifier's own CPU per case, which moves much less with the host than the HTTP latencies do.
  const inProcessHolder = world.holder()
  const inProcessCase = await world.issueCase(inProcessHolder.did, CASE_15)
  const inProcessProofs = world.anchor(inProcessCase)
  const inProcessVps: string[] = []
  for (let i = 0; i < IN_PROCESS_CASES + 100; i++)
    inProcessVps.push(
      await world.presentation(
        inProcessHolder,
        inProcessCase,
        inProcessProofs,
        warm.services.identity.did,
        await warm.nonce(),
      ),
    )
  const verifyCase = (vp: string) =>
    warm.services.verification.verify({ token: vp, actor: 'bench', source: 'direct' })
  for (const vp of inProcessVps.splice(0, 100)) await verifyCase(vp)
  const cpuBefore = process.cpuUsage()
  const inProcess = await measure(
    '15-milestone case in process, same case again',
    inProcessVps,
    verifyCase,
    SECONDS,
    true,
  )
  const cpu = process.cpuUsage(cpuBefore)
  console.log(
    `${''.padEnd(44)} CPU per case: ${((cpu.user + cpu.system) / 1000 / inProcess.ops).toFixed(2)} ms (all threads of this process)`,
  )

  const options = world.ebsiOptions()
  const ebsi = await measure('@cef-ebsi verifyCredentialJwt (no skips)', credentials, (jwt) =>
    verifyCredentialJwt(jwt, options),
  )

  // A 15-milestone case over HTTP to the verifier process, one VP per request with a fresh nonce:
  // - the same case presented again and again (a Dublin unit re-checking a case; its 15 credential
  //   signatures were verified in the warm-up, the VP's is new every time) — the target;
  // - a different, never-seen case in every request (all 16 signatures new), for comparison.
  const service = await spawnVerifierProcess({
    ledgerUrl: world.base,
    trustAnchor: world.root.did,
    env: { FLORA_VERIFIER_WORKERS: String(WORKERS) },
    ...(process.env.BENCH_VERIFIER_DATABASE === 'postgres' ? { database: await tempPostgresDatabase() } : {}),
    nodeFlags: [
      ...(process.env.BENCH_VERIFIER_NODE_FLAGS?.split(' ').filter(Boolean) ?? []),
      ...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []),
    ],
  })
  let http: LoadResult
  let httpFresh: LoadResult
  let httpFloor: LoadResult
  try {
    const presentCase = async (
      jwts: string[],
      caseHolder: ReturnType<typeof world.holder>,
      proofs: ReturnType<typeof world.anchor>,
    ) => world.presentation(caseHolder, jwts, proofs, service.did, await service.nonce())
    const caseHolder = world.holder()
    const caseJwts = await world.issueCase(caseHolder.did, CASE_15)
    const proofs = world.anchor(caseJwts)
    const vps: string[] = []
    for (let i = 0; i < 4000; i++) vps.push(await presentCase(caseJwts, caseHolder, proofs))
    const freshVps: string[] = []
    for (let i = 0; i < FRESH_CASES; i++) {
      const h = world.holder()
      const jwts = await world.issueCase(h.did, CASE_15)
      freshVps.push(await presentCase(jwts, h, world.anchor(jwts)))
    }
    const caseReport = await (await service.verify(vps.pop()!)).text()
    const check = JSON.parse(caseReport) as { verdict: string }
    if (check.verdict !== 'valid') throw new Error(`bench case does not verify: ${caseReport.slice(0, 3000)}`)
    // with several worker processes the requests are served by children of this pid: not counted
    const verifier = {
      url: service.url,
      token: service.officerToken,
      pid: WORKERS === 1 ? service.child.pid : undefined,
    }
    // warm-up of the same case, not counted: JIT, the 15 schemas compiled, connections open
    http = await loadOverHttp('15-milestone case over HTTP, same case again', verifier, vps, 100)
    httpFresh = await loadOverHttp('15-milestone case over HTTP, new case each', verifier, freshVps, 0)
    httpFloor = await withFloorServer(caseReport, (floorServer) =>
      loadOverHttp('floor over HTTP (nothing checked or stored)', floorServer, vps, 100),
    )
  } finally {
    await service.stop()
  }

  const vsRaw = pipelineWarm.perSecond / raw.perSecond
  const vsEbsi = pipelineWarm.perSecond / ebsi.perSecond
  console.log(
    `\nwarm pipeline / raw ES256      = ${vsRaw.toFixed(2)} (target ≥ 0.5; against the faster raw: ${raw.name})`,
  )
  console.log(
    `floor / raw ES256              = ${(floor.perSecond / raw.perSecond).toFixed(2)} (no trust check: decode, ES256 and this verifier's report store alone)`,
  )
  console.log(`warm pipeline / sync ES256     = ${(pipelineWarm.perSecond / rawSync.perSecond).toFixed(2)}`)
  console.log(`warm pipeline / EBSI library   = ${vsEbsi.toFixed(1)} (target ≥ 20)`)
  console.log(`cold pipeline / EBSI library   = ${(pipelineCold.perSecond / ebsi.perSecond).toFixed(1)}`)
  console.log(
    `15-milestone case p99 (HTTP)   = ${http.p99.toFixed(2)} ms (target < 20 ms; the HTTP floor: ${httpFloor.p99.toFixed(2)} ms; a never-seen case: ${httpFresh.p99.toFixed(2)} ms)`,
  )
  const missed = [vsRaw < 0.5 && 'raw ratio', vsEbsi < 20 && 'EBSI ratio', http.p99 >= 20 && 'p99'].filter(
    Boolean,
  )
  if (missed.length) {
    console.log(`MISSED: ${missed.join(', ')}`)
    process.exitCode = 1
  } else console.log('all targets met')
} finally {
  await warm.close()
  await cold.close()
  await world.stop()
}
