/**
 * Issuance benchmark (`npm run bench -w @flora/issuer`): credentials issued per second over the HTTP
 * API — API tokens, idempotency keys, audit log, SQLite — counting only credentials whose batch root
 * has a ledger receipt, beside raw ES256 signatures per second measured in the same run.
 *
 * The measured window is the issuance of BENCH_CREDENTIALS credentials (after BENCH_WARMUP not
 * counted); credentials/s = those of the window whose batch root has a successful ledger receipt ÷
 * the window. The anchoring tail (last credential issued → its batch anchored) is printed beside it.
 *
 * Parties as in real life, one process each: the ledger node, the issuer (both spawned with tsx),
 * and this process as the case system plus the case wallets (which sign their own proof JWTs).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { generateKeyPairSync, sign } from 'node:crypto'
import { Agent, request as httpRequest } from 'node:http'
import { readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { resolve } from 'node:path'
import { tempSqliteDatabase } from '@flora/db/testing'
import { EbsiClient } from '@flora/ebsi-connector'
import { createLogger } from '@flora/service-kit'
import { startIssuer } from '../src/assembly.ts'
import { loadIssuerConfig } from '../src/config.ts'
import { createApiToken } from '../src/services/auth.ts'
import { registerAuthority } from '../src/services/authorities.ts'
import {
  onboardAnchoringIdentity,
  onboardAuthorityDid,
  registerAuthorityOnLedger,
} from '../src/services/onboarding.ts'
import { api, freePort, newHolder, type TestHolder } from '../test/helpers/harness.ts'
import { bootstrapPilotChain, startLedgerProcess } from '../test/helpers/ledger.ts'

const CREDENTIALS = Number(process.env.BENCH_CREDENTIALS ?? 10_000)
const WARMUP = Number(process.env.BENCH_WARMUP ?? 500)
/** How long after the window the bench waits for the window's last batch to be anchored. */
const ANCHOR_TIMEOUT_MS = Number(process.env.BENCH_ANCHOR_TIMEOUT_MS ?? 30_000)
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 48)
const CASES = Number(process.env.BENCH_CASES ?? 600)

function rawEs256PerSecond(ms = 1500): number {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const input = Buffer.from(`${'x'.repeat(120)}.${'y'.repeat(1400)}`)
  let count = 0
  const end = performance.now() + ms
  while (performance.now() < end) {
    sign('sha256', input, { key: privateKey, dsaEncoding: 'ieee-p1363' })
    count++
  }
  return count / (ms / 1000)
}

const request = {
  type: 'DublinRequestMilestone',
  claims: { milestoneDate: '2026-02-03', requestType: 'TBR', requestingState: 'DE', requestedState: 'FR' },
}
const keepAlive = { keepalive: true } as const

/**
 * CPU seconds so far of the issuer process, of this process (case system + wallets) and of the whole
 * machine (Linux /proc), to show during the window which party the cores went to.
 */
function cpuSnapshot(issuerPid: number | undefined) {
  const ticks = Number(process.env.CLK_TCK ?? 100)
  const readProc = (path: string) => {
    try {
      return readFileSync(path, 'utf8')
    } catch {
      return undefined
    }
  }
  const stat = issuerPid ? readProc(`/proc/${issuerPid}/stat`) : undefined
  // fields 14 and 15 (utime, stime) after the parenthesised command name
  const fields = stat?.slice(stat.lastIndexOf(')') + 2).split(' ')
  const issuerSeconds = fields ? (Number(fields[11]) + Number(fields[12])) / ticks : Number.NaN
  const machine = readProc('/proc/stat')?.split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number)
  // user + nice + system + irq + softirq + steal: busy time of all cores
  const machineSeconds = machine
    ? (machine[0]! + machine[1]! + machine[2]! + machine[5]! + machine[6]! + machine[7]!) / ticks
    : Number.NaN
  const own = process.cpuUsage()
  return { issuerSeconds, benchSeconds: (own.user + own.system) / 1e6, machineSeconds }
}

function cpuDuring(
  before: ReturnType<typeof cpuSnapshot>,
  after: ReturnType<typeof cpuSnapshot>,
  seconds: number,
) {
  const cores = (a: number, b: number) => Number(((b - a) / seconds).toFixed(2))
  const issuer = cores(before.issuerSeconds, after.issuerSeconds)
  const bench = cores(before.benchSeconds, after.benchSeconds)
  const machine = cores(before.machineSeconds, after.machineSeconds)
  return { issuer, benchClient: bench, restOfMachine: Number((machine - issuer - bench).toFixed(2)), machine }
}

async function main() {
  const ledger = await startLedgerProcess()
  const ebsi = new EbsiClient({ baseUrl: ledger.url })
  const chain = await bootstrapPilotChain(ebsi, ledger.operatorFile, ['DublinRequestMilestone'])
  const database = tempSqliteDatabase()
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const env = {
    FLORA_ISSUER_DATABASE_URL: database.url,
    FLORA_DATA_DIR: database.dataDir,
    FLORA_ISSUER_HOST: '127.0.0.1',
    FLORA_ISSUER_PORT: String(port),
    FLORA_ISSUER_PUBLIC_URL: url,
    FLORA_LEDGER_URL: ledger.url,
    FLORA_ISSUER_ANCHOR_INTERVAL_MS: process.env.BENCH_ANCHOR_INTERVAL_MS ?? '1000',
    FLORA_LOG_LEVEL: process.env.BENCH_ISSUER_LOG ?? 'warn',
  }
  const setup = await startIssuer(loadIssuerConfig(env), {
    logger: createLogger('issuer', 'silent'),
    scheduler: false,
  })
  const ctx = setup.context
  await registerAuthority(ctx, { id: 'bamf-dublin', name: 'BAMF Dublin-Referat', role: 'BAMF_DUBLIN_UNIT' })
  const entity = await onboardAuthorityDid(
    ctx,
    ebsi,
    setup.keyStore,
    'bamf-dublin',
    chain.authoriseOnboarding,
  )
  await registerAuthorityOnLedger(
    ctx,
    ebsi,
    entity,
    'bamf-dublin',
    await chain.accreditTi(entity, ['DublinRequestMilestone']),
  )
  await onboardAnchoringIdentity(ctx, ebsi, setup.keyStore, chain.authoriseOnboarding)
  const token = (
    await createApiToken(ctx, undefined, { authorityId: 'bamf-dublin', name: 'bench', role: 'staff' })
  ).token
  await setup.close()
  const issuer: ChildProcess = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []),
      '--import',
      'tsx',
      resolve(import.meta.dirname, '../src/main.ts'),
    ],
    {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  )
  for (;;) {
    try {
      if ((await fetch(`${url}/health`)).ok) break
    } catch {}
    await new Promise((r) => setTimeout(r, 100))
  }
  const cases: { holder: TestHolder; caseId: string }[] = []
  for (let i = 0; i < CASES; i++) {
    const holder = newHolder()
    cases.push({
      holder,
      caseId: (await api({ url }, token, 'POST', '/cases', { holderDid: holder.did })).body.id,
    })
  }
  const es256 = rawEs256PerSecond()
  // EBSI v3 profile: the token response carries the c_nonce, so a credential costs three requests
  const credentialIssuer = `${url}/authorities/bamf-dublin`
  // The case system and the wallets speak plain HTTP/1.1 with keep-alive (node:http): fetch's
  // WHATWG machinery would cost the load generator, which shares the cores, more than the issuer.
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY })
  const { hostname, port: httpPort } = new URL(url)
  const post = (path: string, headers: Record<string, string>, body: string) =>
    new Promise<{ status: number; body: unknown }>((done, fail) => {
      const req = httpRequest(
        {
          agent,
          hostname,
          port: httpPort,
          path,
          method: 'POST',
          headers: { ...headers, 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (chunk: Buffer) => chunks.push(chunk))
          res.on('end', () =>
            done({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString()) }),
          )
          res.on('error', fail)
        },
      )
      req.on('error', fail)
      req.end(body)
    })
  const credentialPath = `/authorities/bamf-dublin`
  const issueOne = async (i: number) => {
    const { holder, caseId } = cases[i % CASES]!
    const offer = (
      await post(
        `/cases/${caseId}/milestones`,
        {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
          'idempotency-key': `bench-${i}`,
        },
        JSON.stringify(request),
      )
    ).body as { milestoneId: string; txCode: string; offers: { 'ebsi-v3': { credentialOffer: any } } }
    const code =
      offer.offers['ebsi-v3'].credentialOffer.grants['urn:ietf:params:oauth:grant-type:pre-authorized_code'][
        'pre-authorized_code'
      ]
    const tokenResponse = (
      await post(
        `${credentialPath}/token`,
        { 'content-type': 'application/x-www-form-urlencoded' },
        `grant_type=${encodeURIComponent('urn:ietf:params:oauth:grant-type:pre-authorized_code')}&pre-authorized_code=${encodeURIComponent(code)}&user_pin=${offer.txCode}`,
      )
    ).body as { access_token: string; c_nonce: string }
    const nonce = tokenResponse.c_nonce
    const proof = holder.signJwt(
      { typ: 'openid4vci-proof+jwt', alg: 'ES256', kid: `${holder.did}#${holder.did.slice(8)}` },
      { aud: credentialIssuer, iat: Math.floor(Date.now() / 1000), nonce },
    )
    const credential = await post(
      `${credentialPath}/credential`,
      { 'content-type': 'application/json', authorization: `Bearer ${tokenResponse.access_token}` },
      JSON.stringify({
        format: 'jwt_vc',
        types: ['VerifiableCredential', 'VerifiableAttestation', 'DublinRequestMilestone'],
        proof: { proof_type: 'jwt', jwt: proof },
      }),
    )
    const body = credential.body as { credential?: string }
    if (credential.status !== 200) throw new Error(`credential ${credential.status} ${JSON.stringify(body)}`)
    return JSON.parse(Buffer.from(body.credential!.split('.')[1]!, 'base64url').toString()).jti as string
  }
  // warm-up (JIT, prepared statements, caches), not counted
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, w) => {
      for (let i = w; i < WARMUP; i += CONCURRENCY) await issueOne(CREDENTIALS + i)
    }),
  )
  // Measured window: CREDENTIALS credentials at CONCURRENCY, each issued credential timestamped.
  const issued: { id: string; at: number }[] = []
  let next = 0
  const cpuBefore = cpuSnapshot(issuer.pid)
  const started = performance.now()
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < CREDENTIALS) {
        const i = next++
        const id = await issueOne(i)
        issued.push({ id, at: performance.now() })
      }
    }),
  )
  const windowEnd = performance.now()
  const windowSeconds = (windowEnd - started) / 1000
  const cpu = cpuDuring(cpuBefore, cpuSnapshot(issuer.pid), windowSeconds)
  // Only credentials whose batch root has a successful ledger receipt count. The issuer's anchoring
  // period runs on; wait (bounded) for the batches of the window's credentials, then check every
  // credential's proof and every batch's receipt on the ledger.
  const proofOf = async (id: string) => {
    const response = await fetch(`${url}/anchoring/proofs/${encodeURIComponent(id)}`, keepAlive)
    const body = (await response.json()) as { ledger?: { txHash: string } }
    return response.status === 200 ? body.ledger!.txHash : undefined
  }
  const last = issued[issued.length - 1]!
  const deadline = windowEnd + ANCHOR_TIMEOUT_MS
  while (!(await proofOf(last.id)) && performance.now() < deadline)
    await new Promise((r) => setTimeout(r, 25))
  const lastAnchoredAfterMs = performance.now() - windowEnd
  const txOf = new Map<string, string>()
  for (;;) {
    const open = issued.filter(({ id }) => !txOf.has(id))
    for (let i = 0; i < open.length; i += 64)
      await Promise.all(
        open.slice(i, i + 64).map(async ({ id }) => {
          const txHash = await proofOf(id)
          if (txHash) txOf.set(id, txHash)
        }),
      )
    if (txOf.size === issued.length || performance.now() > deadline) break
    await new Promise((r) => setTimeout(r, 100))
  }
  const receiptOk = new Map<string, boolean>()
  for (const txHash of new Set(txOf.values()))
    receiptOk.set(txHash, (await ebsi.ledger.getTransactionReceipt(txHash))?.status === '0x1')
  const anchored = issued.filter(({ id }) => receiptOk.get(txOf.get(id) ?? '') === true)
  const issuedAnchoredPerSecond = anchored.length / windowSeconds
  // the same in the window's second half (steady state: no ramp-up)
  const half = started + (windowEnd - started) / 2
  const secondHalf = anchored.filter(({ at }) => at >= half).length / ((windowEnd - half) / 1000)
  console.log(
    JSON.stringify(
      {
        cores: availableParallelism(),
        credentials: CREDENTIALS,
        concurrency: CONCURRENCY,
        httpRequestsPerCredential: 3,
        windowSeconds: Number(windowSeconds.toFixed(2)),
        credentialsIssued: issued.length,
        credentialsWithLedgerReceipt: anchored.length,
        batches: receiptOk.size,
        failedReceipts: [...receiptOk.values()].filter((ok) => !ok).length,
        credentialsIssuedPerSecond: Math.round(issued.length / windowSeconds),
        credentialsIssuedAndAnchoredPerSecond: Math.round(issuedAnchoredPerSecond),
        secondHalfIssuedAndAnchoredPerSecond: Math.round(secondHalf),
        anchoringTailMs: {
          lastCredentialIssuedToItsBatchAnchored: Math.round(lastAnchoredAfterMs),
          anchorIntervalMs: Number(env.FLORA_ISSUER_ANCHOR_INTERVAL_MS),
        },
        cpuCoresBusyDuringWindow: cpu,
        rawEs256SignaturesPerSecond: Math.round(es256),
        ratioToRawEs256: Number((issuedAnchoredPerSecond / es256).toFixed(3)),
        target: 1000,
      },
      null,
      2,
    ),
  )
  issuer.kill('SIGINT')
  await new Promise((r) => issuer.once('exit', r))
  await ledger.stop()
  await database.dispose()
}

await main()
