import { readFileSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { createDb, type Db } from '@flora/db'
import { type TestDatabase, tempSqliteDatabase } from '@flora/db/testing'
import { EbsiClient, issueAccreditation } from '@flora/ebsi-connector'
import { createLogger, listen, type RunningServer } from '@flora/service-kit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createVerifierApp, loadVerifierConfig, type VerifierServices } from '../src/index.ts'
import { ADMIN_TOKEN_FILE } from '../src/services/deployment.ts'
import { startLedgerNode } from './support/ledger-node.ts'

let ledger: Awaited<ReturnType<typeof startLedgerNode>>
let database: TestDatabase
const running: { server: RunningServer; db: Db<'verifier'> }[] = []

async function boot(env: Record<string, string> = {}): Promise<{ url: string; services: VerifierServices }> {
  const config = loadVerifierConfig({
    FLORA_VERIFIER_DATABASE_URL: database.url,
    FLORA_LEDGER_URL: ledger.url,
    FLORA_VERIFIER_LEDGER_TIMEOUT_MS: '5000',
    ...env,
  })
  const db = await createDb({ service: 'verifier', url: database.url })
  const { app, services } = await createVerifierApp({ config, db, logger: createLogger('verifier', 'silent') })
  const server = await listen(app, { host: '127.0.0.1', port: 0 })
  running.push({ server, db })
  return { url: server.url, services }
}

async function stopAll() {
  for (const { server, db } of running.splice(0)) {
    await server.close()
    await db.close()
  }
}

let url: string
let services: VerifierServices
let token: string
const call = async (method: string, path: string, body?: unknown, bearer: string | null = token) => {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  })
  // biome-ignore lint/suspicious/noExplicitAny: JSON bodies read by the tests
  return { status: response.status, body: (await response.json()) as Record<string, any> }
}

beforeAll(async () => {
  ledger = await startLedgerNode()
  database = tempSqliteDatabase()
  ;({ url, services } = await boot())
  token = readFileSync(join(dirname(database.url.replace(/^file:/, '')), ADMIN_TOKEN_FILE), 'utf8').trim()
}, 90_000)

afterAll(async () => {
  await stopAll()
  await database?.dispose()
  await ledger?.stop()
})

describe('verifier deployment-admin API', () => {
  it('generates the admin token into the data dir (0600) and requires it', async () => {
    const file = join(dirname(database.url.replace(/^file:/, '')), ADMIN_TOKEN_FILE)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(token).toMatch(/^fva_/)
    expect((await call('GET', '/deployment/trust', undefined, null)).status).toBe(401)
    expect((await call('GET', '/deployment/trust', undefined, 'fva_wrong')).status).toBe(401)
  })

  it('registers the verifier’s did:ebsi with a TAO’s authorisation, once', async () => {
    const did = services.identity.did
    const controllerKey = services.identity.controller.publicKeyJwk
    expect((await call('GET', '/deployment/onboarding')).body).toEqual({
      did,
      registered: false,
      controllerKey: { kid: services.identity.controller.kid, publicKeyJwk: controllerKey },
    })
    const authorise = (subjectDid: string, key = controllerKey) =>
      issueAccreditation({
        issuer: { did: ledger.operator.did, signer: ledger.operator.assertion },
        subjectDid,
        kind: 'VerifiableAuthorisationToOnboard',
        controllerKey: key,
        schemasUrl: `${ledger.url}/trusted-schemas-registry/v3/schemas`,
      })
    const wrong = await call('POST', '/deployment/onboarding', {
      authorisationToOnboard: await authorise('did:ebsi:zSomeoneElse1234567890'),
    })
    expect(wrong.status).toBe(400)
    const otherKey = await call('POST', '/deployment/onboarding', {
      authorisationToOnboard: await authorise(did, ledger.operator.controller.publicKeyJwk),
    })
    expect(otherKey.status).toBe(400)
    expect(otherKey.body.detail).toMatch(/controller key/)
    const authorisationToOnboard = await authorise(did)
    const onboarded = await call('POST', '/deployment/onboarding', { authorisationToOnboard })
    expect(onboarded.status).toBe(200)
    expect(onboarded.body).toMatchObject({ did, registered: true, transactions: 4 })
    expect((await call('POST', '/deployment/onboarding', { authorisationToOnboard })).body.transactions).toBe(0)
    expect((await call('GET', '/deployment/onboarding')).body.registered).toBe(true)
    const document = (await new EbsiClient({ baseUrl: ledger.url }).didRegistry.resolve(did)) as unknown as Record<
      string,
      string[]
    >
    expect(document.assertionMethod).toContain(services.identity.kid)
  })

  it('sets trust anchors and anchorers, used by the pipeline and kept across restarts', async () => {
    const trust = {
      trustAnchors: [{ did: 'did:ebsi:zRootTao1234567890', types: ['DublinReplyMilestone'] }],
      trustedAnchorers: ['did:ebsi:zAnchoring123', '0x524a4228E1A6FB7Dc408131EAdd3D6DFA96F7A62'],
    }
    expect((await call('PUT', '/deployment/trust', { trustAnchors: [{ did: 'nope' }] })).status).toBe(400)
    const set = await call('PUT', '/deployment/trust', trust)
    expect(set.status).toBe(200)
    expect(set.body).toEqual({ ...trust, anchorsSource: 'deployment' })
    expect(services.trust.context().trustAnchors).toEqual(trust.trustAnchors)
    expect(services.trust.context().trustedAnchorers).toEqual(trust.trustedAnchorers)
    await stopAll()
    ;({ url, services } = await boot())
    expect((await call('GET', '/deployment/trust')).body).toEqual({ ...trust, anchorsSource: 'deployment' })
    expect(services.trust.context().trustAnchors).toEqual(trust.trustAnchors)
  })

  it('environment variables keep precedence over the deployment setting', async () => {
    await stopAll()
    ;({ url, services } = await boot({
      FLORA_VERIFIER_TRUST_ANCHORS: 'did:ebsi:zFromEnvironment123',
      FLORA_VERIFIER_TRUSTED_ANCHORERS: '0xabc',
    }))
    const { body } = await call('GET', '/deployment/trust')
    expect(body.anchorsSource).toBe('environment')
    expect(body.trustAnchors).toEqual([{ did: 'did:ebsi:zFromEnvironment123' }])
    expect(body.trustedAnchorers).toEqual(['0xabc'])
    await stopAll()
    ;({ url, services } = await boot())
  })

  it('creates staff accounts that can log in; documents the routes', async () => {
    const created = await call('POST', '/deployment/staff', {
      username: 'dublin.officer',
      password: 'a long enough password',
      role: 'officer',
    })
    expect(created.status).toBe(201)
    expect(
      (await call('POST', '/deployment/staff', { username: 'dublin.officer', password: 'a long enough password', role: 'officer' }))
        .status,
    ).toBe(409)
    const login = await call('POST', '/session', { username: 'dublin.officer', password: 'a long enough password' }, null)
    expect(login.status).toBe(200)
    expect((await call('POST', '/deployment/staff', { username: 'x', password: 'short', role: 'officer' })).status).toBe(400)
    const openapi = (await call('GET', '/openapi.json', undefined, null)).body
    for (const path of ['/deployment/onboarding', '/deployment/trust', '/deployment/staff'])
      expect(openapi.paths[path], path).toBeDefined()
  })
})
