/**
 * Issuance benchmark (`npm run bench -w @flora/issuer`): credentials issued per second over the HTTP
 * API — API tokens, idempotency keys, audit log, SQLite — counting only credentials whose batch root
 * has a ledger receipt, beside raw ES256 signatures per second measured in the same run.
 *
 * Parties as in real life, one process each: the ledger node, the issuer (both spawned with tsx),
 * and this process as the case system plus the case wallets (which sign their own proof JWTs).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { generateKeyPairSync, sign } from 'node:crypto'
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

const CREDENTIALS = Number(process.env.BENCH_CREDENTIALS ?? 3000)
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

async function main() {
  const ledger = await startLedgerProcess()
  const ebsi = new EbsiClient({ baseUrl: ledger.url })
  const chain = await bootstrapPilotChain(ebsi, ledger.operatorFile, ['DublinRequestMilestone'])
  const database = tempSqliteDatabase()
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const env = {
    FLORA_ISSUER_DATABASE_URL: database.url,
    FLORA_ISSUER_HOST: '127.0.0.1',
    FLORA_ISSUER_PORT: String(port),
    FLORA_ISSUER_PUBLIC_URL: url,
    FLORA_LEDGER_URL: ledger.url,
    FLORA_ISSUER_ANCHOR_INTERVAL_MS: '1000',
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
  const issueOne = async (i: number) => {
    const { holder, caseId } = cases[i % CASES]!
    const recorded = await fetch(`${url}/cases/${caseId}/milestones`, {
      ...keepAlive,
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        'idempotency-key': `bench-${i}`,
      },
      body: JSON.stringify(request),
    })
    const offer = (await recorded.json()) as {
      milestoneId: string
      txCode: string
      offers: { 'ebsi-v3': { credentialOffer: any } }
    }
    const code =
      offer.offers['ebsi-v3'].credentialOffer.grants['urn:ietf:params:oauth:grant-type:pre-authorized_code'][
        'pre-authorized_code'
      ]
    const tokenResponse = (await (
      await fetch(`${credentialIssuer}/token`, {
        ...keepAlive,
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `grant_type=${encodeURIComponent('urn:ietf:params:oauth:grant-type:pre-authorized_code')}&pre-authorized_code=${encodeURIComponent(code)}&user_pin=${offer.txCode}`,
      })
    ).json()) as { access_token: string; c_nonce: string }
    const nonce = tokenResponse.c_nonce
    const proof = holder.signJwt(
      { typ: 'openid4vci-proof+jwt', alg: 'ES256', kid: `${holder.did}#${holder.did.slice(8)}` },
      { aud: credentialIssuer, iat: Math.floor(Date.now() / 1000), nonce },
    )
    const credential = await fetch(`${credentialIssuer}/credential`, {
      ...keepAlive,
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokenResponse.access_token}` },
      body: JSON.stringify({
        format: 'jwt_vc',
        types: ['VerifiableCredential', 'VerifiableAttestation', 'DublinRequestMilestone'],
        proof: { proof_type: 'jwt', jwt: proof },
      }),
    })
    const body = (await credential.json()) as { credential?: string }
    if (credential.status !== 200) throw new Error(`credential ${credential.status} ${JSON.stringify(body)}`)
    return JSON.parse(Buffer.from(body.credential!.split('.')[1]!, 'base64url').toString()).jti as string
  }
  // warm-up (JIT, prepared statements), not counted
  for (let i = 0; i < 50; i++) await issueOne(CREDENTIALS + i)
  const started = performance.now()
  const credentialIds: string[] = []
  let next = 0
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < CREDENTIALS) {
        const i = next++
        credentialIds.push(await issueOne(i))
      }
    }),
  )
  const issuedAt = performance.now()
  // count only credentials whose batch root has a ledger receipt
  const pending = new Set(credentialIds)
  // the last credentials join the next period's batch: wait for it before polling the wallet endpoint
  await new Promise((r) => setTimeout(r, 1200))
  const roots = new Map<string, string>()
  while (pending.size > 0) {
    const ids = [...pending]
    for (let i = 0; i < ids.length; i += 64)
      await Promise.all(
        ids.slice(i, i + 64).map(async (id) => {
          const proof = await fetch(`${url}/anchoring/proofs/${encodeURIComponent(id)}`, keepAlive)
          const body = (await proof.json()) as { ledger?: { txHash: string } }
          if (proof.status !== 200) return
          roots.set(body.ledger!.txHash, '')
          pending.delete(id)
        }),
      )
    if (pending.size > 0) await new Promise((r) => setTimeout(r, 100))
  }
  for (const txHash of roots.keys()) {
    const receipt = await ebsi.ledger.getTransactionReceipt(txHash)
    if (receipt?.status !== '0x1') throw new Error(`batch ${txHash} has no successful receipt`)
  }
  const anchoredAt = performance.now()
  const issuedPerSecond = CREDENTIALS / ((issuedAt - started) / 1000)
  const anchoredPerSecond = CREDENTIALS / ((anchoredAt - started) / 1000)
  console.log(
    JSON.stringify(
      {
        cores: availableParallelism(),
        credentials: CREDENTIALS,
        concurrency: CONCURRENCY,
        httpRequestsPerCredential: 3,
        batches: roots.size,
        credentialsIssuedPerSecond: Math.round(issuedPerSecond),
        credentialsAnchoredPerSecond: Math.round(anchoredPerSecond),
        rawEs256SignaturesPerSecond: Math.round(es256),
        ratioAnchoredToRawEs256: Number((anchoredPerSecond / es256).toFixed(3)),
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
