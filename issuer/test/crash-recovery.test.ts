import { type ChildProcess, spawn } from 'node:child_process'
import { resolve } from 'node:path'
import { type TestDatabase, tempSqliteDatabase } from '@flora/db/testing'
import { EbsiClient } from '@flora/ebsi-connector'
import { createLogger } from '@flora/service-kit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startIssuer } from '../src/assembly.ts'
import { loadIssuerConfig } from '../src/config.ts'
import { createApiToken } from '../src/services/auth.ts'
import { forgetAccreditations, registerAuthority } from '../src/services/authorities.ts'
import {
  onboardAnchoringIdentity,
  onboardAuthorityDid,
  registerAuthorityOnLedger,
} from '../src/services/onboarding.ts'
import { api, freePort, newHolder, type TestHolder } from './helpers/harness.ts'
import { bootstrapPilotChain, startLedgerProcess } from './helpers/ledger.ts'

const N = 40
let ledger: Awaited<ReturnType<typeof startLedgerProcess>>
let ebsi: EbsiClient
let database: TestDatabase
let env: Record<string, string>
let url: string
let token: string
let child: ChildProcess | undefined
const cases: { holder: TestHolder; caseId: string }[] = []

async function spawnIssuer(): Promise<ChildProcess> {
  const proc = spawn(process.execPath, ['--import', 'tsx', resolve(import.meta.dirname, '../src/main.ts')], {
    cwd: resolve(import.meta.dirname, '..'),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  const deadline = Date.now() + 60_000
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`issuer exited with ${proc.exitCode}`)
    try {
      if ((await fetch(`${url}/health`)).ok) return proc
    } catch {}
    if (Date.now() > deadline) throw new Error('issuer did not start')
    await new Promise((r) => setTimeout(r, 100))
  }
}

const arrival = {
  type: 'DublinRequestMilestone',
  claims: { milestoneDate: '2026-02-03', requestType: 'TBR', requestingState: 'DE', requestedState: 'FR' },
}

/** One wallet + one case system: record (idempotently) and redeem. Throws on transport errors. */
async function recordAndRedeem(i: number): Promise<string> {
  const { holder, caseId } = cases[i]!
  const recorded = await api({ url }, token, 'POST', `/cases/${caseId}/milestones`, arrival, {
    'idempotency-key': `burst-${i}`,
  })
  if (recorded.status !== 201) throw new Error(`record ${recorded.status} ${JSON.stringify(recorded.body)}`)
  const offer = recorded.body.offers.v1.credentialOffer
  const issuer = offer.credential_issuer as string
  const tokenResponse = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code',
      'pre-authorized_code':
        offer.grants['urn:ietf:params:oauth:grant-type:pre-authorized_code']['pre-authorized_code'],
      tx_code: recorded.body.txCode,
    }),
  })
  const tokenBody = (await tokenResponse.json()) as { access_token?: string; error_description?: string }
  if (tokenResponse.status === 400 && /already used/.test(tokenBody.error_description ?? ''))
    return recorded.body.milestoneId
  if (!tokenBody.access_token) throw new Error(`token ${tokenResponse.status}`)
  const nonce = ((await (await fetch(`${issuer}/nonce`, { method: 'POST' })).json()) as { c_nonce: string })
    .c_nonce
  const proof = holder.signJwt(
    { typ: 'openid4vci-proof+jwt', alg: 'ES256', kid: `${holder.did}#${holder.did.slice(8)}` },
    { aud: issuer, iat: Math.floor(Date.now() / 1000), nonce },
  )
  const credential = await fetch(`${issuer}/credential`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${tokenBody.access_token}` },
    body: JSON.stringify({
      credential_configuration_id: 'DublinRequestMilestone',
      proof: { proof_type: 'jwt', jwt: proof },
    }),
  })
  const body = (await credential.json()) as { error_description?: string }
  if (credential.status !== 200 && !/already issued/.test(body.error_description ?? ''))
    throw new Error(`credential ${credential.status} ${JSON.stringify(body)}`)
  return recorded.body.milestoneId
}

beforeAll(async () => {
  ledger = await startLedgerProcess()
  ebsi = new EbsiClient({ baseUrl: ledger.url })
  const chain = await bootstrapPilotChain(ebsi, ledger.operatorFile, ['DublinRequestMilestone'])
  database = tempSqliteDatabase()
  const port = await freePort()
  url = `http://127.0.0.1:${port}`
  env = {
    FLORA_ISSUER_DATABASE_URL: database.url,
    FLORA_DATA_DIR: database.dataDir,
    FLORA_ISSUER_HOST: '127.0.0.1',
    FLORA_ISSUER_PORT: String(port),
    FLORA_ISSUER_PUBLIC_URL: url,
    FLORA_LEDGER_URL: ledger.url,
    FLORA_ISSUER_ANCHOR_INTERVAL_MS: '250',
    FLORA_ISSUER_ANCHOR_MIN_BATCH: '16',
    FLORA_LOG_LEVEL: 'error',
  }
  // Set-up as the deployment operator would: tenant, onboarding, proxy, anchoring identity, token.
  forgetAccreditations()
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
  const attributeId = await chain.accreditTi(entity, ['DublinRequestMilestone'])
  await registerAuthorityOnLedger(ctx, ebsi, entity, 'bamf-dublin', attributeId)
  await onboardAnchoringIdentity(ctx, ebsi, setup.keyStore, chain.authoriseOnboarding)
  token = (
    await createApiToken(ctx, undefined, { authorityId: 'bamf-dublin', name: 'case system', role: 'staff' })
  ).token
  await setup.close()
  child = await spawnIssuer()
  for (let i = 0; i < N; i++) {
    const holder = newHolder()
    const opened = await api({ url }, token, 'POST', '/cases', { holderDid: holder.did })
    cases.push({ holder, caseId: opened.body.id })
  }
}, 180_000)

afterAll(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGTERM')
    await new Promise((r) => child!.once('exit', r))
  }
  await database?.dispose()
  await ledger?.stop()
})

describe('SIGKILL during an idempotent burst', () => {
  it('after restart and retry every credential exists exactly once and every hash is anchored', async () => {
    let done = 0
    const killed = new Promise<void>((resolveKill) => {
      const first = Promise.allSettled(
        Array.from({ length: N }, (_, i) =>
          recordAndRedeem(i).then(() => {
            done++
            if (done === Math.floor(N / 3) && child?.exitCode === null) {
              child.kill('SIGKILL')
              resolveKill()
            }
          }),
        ),
      )
      void first.then(() => resolveKill())
    })
    await killed
    if (child!.exitCode === null && child!.signalCode === null)
      await new Promise((r) => child!.once('exit', r))
    expect(child!.signalCode).toBe('SIGKILL')
    expect(done).toBeLessThan(N) // the kill really interrupted the burst
    child = await spawnIssuer()
    const ids = await Promise.all(Array.from({ length: N }, (_, i) => recordAndRedeem(i)))
    expect(new Set(ids).size).toBe(N)
    for (const [i, { caseId }] of cases.entries()) {
      const list = await api({ url }, token, 'GET', `/cases/${caseId}/milestones`)
      expect(list.body.items, `case ${i}`).toHaveLength(1)
      expect(list.body.items[0]).toMatchObject({ id: ids[i], state: 'issued' })
    }
    // every hash anchored: poll the wallet endpoint until each credential has its proof
    const credentialIds = await Promise.all(
      ids.map(
        async (id) => (await api({ url }, token, 'GET', `/milestones/${id}`)).body.credentialId as string,
      ),
    )
    const deadline = Date.now() + 60_000
    const roots = new Set<string>()
    for (const credentialId of credentialIds) {
      for (;;) {
        const proof = await api(
          { url },
          undefined,
          'GET',
          `/anchoring/proofs/${encodeURIComponent(credentialId)}`,
        )
        if (proof.status === 200) {
          roots.add(proof.body.ledger.timestampId)
          break
        }
        if (Date.now() > deadline) throw new Error(`credential ${credentialId} not anchored`)
        await new Promise((r) => setTimeout(r, 200))
      }
    }
    for (const timestampId of roots)
      expect((await ebsi.timestamp.getTimestamp(timestampId)).transactionHash).toMatch(/^0x/)
  })
})
