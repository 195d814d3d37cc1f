import { readFileSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { EbsiClient, issueAccreditation, newAttributeId } from '@flora/ebsi-connector'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_TOKEN_FILE } from '../src/services/deployment-admin.ts'
import { api, bootIssuer, newHolder, type TestIssuer } from './helpers/harness.ts'
import { bootstrapPilotChain, type PilotChain, startLedgerProcess } from './helpers/ledger.ts'

const tokenOf = (t: TestIssuer) =>
  readFileSync(join(dirname(t.database.url.replace(/^file:/, '')), ADMIN_TOKEN_FILE), 'utf8').trim()

describe('deployment-admin API (memory ledger)', () => {
  let t: TestIssuer
  let admin: string
  beforeAll(async () => {
    t = await bootIssuer()
    admin = tokenOf(t)
  })
  afterAll(() => t?.close())

  it('generates the admin token once into the data dir, mode 0600, and requires it', async () => {
    const file = join(dirname(t.database.url.replace(/^file:/, '')), ADMIN_TOKEN_FILE)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(admin).toMatch(/^fla_[\w-]{43}$/)
    expect((await api(t, undefined, 'GET', '/admin/authorities')).status).toBe(401)
    expect((await api(t, 'fla_wrong', 'GET', '/admin/authorities')).status).toBe(401)
    expect((await api(t, admin, 'GET', '/admin/authorities')).status).toBe(200)
  })

  it('an authority’s own admin token is not the deployment admin', async () => {
    await api(t, admin, 'POST', '/admin/authorities', { id: 'tenant-a', name: 'A', role: 'BAMF_BRANCH_OFFICE' })
    const tenantAdmin = await api(t, admin, 'POST', '/admin/authorities/tenant-a/api-tokens', {
      name: 'a admin',
      role: 'admin',
    })
    expect(tenantAdmin.status).toBe(201)
    expect((await api(t, tenantAdmin.body.token, 'GET', '/admin/authorities')).status).toBe(401)
    expect((await api(t, tenantAdmin.body.token, 'GET', '/admin/api-tokens')).status).toBe(200)
  })

  it('creates a tenant (zod-validated, catalogue role), refuses duplicates, keeps the jurisdiction', async () => {
    const bad = await api(t, admin, 'POST', '/admin/authorities', { id: 'X!', name: '', role: 'NOPE' })
    expect(bad.status).toBe(400)
    const role = await api(t, admin, 'POST', '/admin/authorities', { id: 'x-1', name: 'X', role: 'NOPE' })
    expect(role.status).toBe(400)
    const created = await api(t, admin, 'POST', '/admin/authorities', {
      id: 'bamf-bochum',
      name: 'BAMF Außenstelle Bochum',
      role: 'BAMF_BRANCH_OFFICE',
      jurisdiction: 'DE-NW',
    })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ id: 'bamf-bochum', jurisdiction: 'DE-NW', stage: 'created', did: null })
    expect((await api(t, admin, 'POST', '/admin/authorities', { id: 'bamf-bochum', name: 'B', role: 'BAMF_BRANCH_OFFICE' })).status).toBe(409)
  })

  it('generates keys and a did:ebsi once (repeating returns the same)', async () => {
    const one = await api(t, admin, 'POST', '/admin/authorities/bamf-bochum/did')
    expect(one.status).toBe(200)
    expect(one.body.did).toMatch(/^did:ebsi:z/)
    expect(one.body.assertionKey.publicKeyJwk.crv).toBe('P-256')
    expect(one.body.controllerKey.publicKeyJwk.crv).toBe('secp256k1')
    expect(JSON.stringify(one.body)).not.toMatch(/"d"/)
    const two = await api(t, admin, 'POST', '/admin/authorities/bamf-bochum/did')
    expect(two.body).toEqual(one.body)
    expect((await api(t, admin, 'GET', '/admin/authorities/bamf-bochum')).body.stage).toBe('keys')
    expect((await api(t, admin, 'POST', '/admin/authorities/nobody/did')).status).toBe(404)
  })

  it('refuses an onboarding authorisation about another DID and malformed accreditation bodies', async () => {
    const notJwt = await api(t, admin, 'POST', '/admin/authorities/bamf-bochum/onboarding', {
      authorisationToOnboard: 'nope',
    })
    expect(notJwt.status).toBe(400)
    const other = `e30.${Buffer.from(JSON.stringify({ sub: 'did:ebsi:zOther' })).toString('base64url')}.c2ln`
    const wrong = await api(t, admin, 'POST', '/admin/authorities/bamf-bochum/onboarding', {
      authorisationToOnboard: other,
    })
    expect(wrong.status).toBe(400)
    expect(wrong.body.detail).toMatch(/not about/)
    const badId = await api(t, admin, 'POST', '/admin/authorities/bamf-bochum/accreditation', {
      attributeId: '0x12',
      accreditation: other,
    })
    expect(badId.status).toBe(400)
  })

  it('creates staff of a tenant who can log in; every step is audited', async () => {
    const staff = await api(t, admin, 'POST', '/admin/authorities/bamf-bochum/staff', {
      username: 'bochum.staff@bamf.test',
      password: 'a long enough password',
      role: 'staff',
    })
    expect(staff.status).toBe(201)
    const again = await api(t, admin, 'POST', '/admin/authorities/bamf-bochum/staff', {
      username: 'bochum.staff@bamf.test',
      password: 'a long enough password',
      role: 'staff',
    })
    expect(again.status).toBe(409)
    const login = await api(t, undefined, 'POST', '/session', {
      username: 'bochum.staff@bamf.test',
      password: 'a long enough password',
      authorityId: 'bamf-bochum',
    })
    expect(login.status).toBe(201)
    const events = await t.issuer.db.client.auditEvent.findMany({
      where: { authorityId: 'bamf-bochum', actorType: 'deployment-admin' },
    })
    expect(events.map((e) => e.action)).toEqual(
      expect.arrayContaining(['authority.create', 'authority.did', 'staff.create']),
    )
  })

  it('lists the schemas the TSR must hold, with the URLs credentials name', async () => {
    const { body } = await api(t, admin, 'GET', '/admin/ledger/schemas')
    const names = body.items.map((s: { name: string }) => s.name)
    expect(names).toContain('ArrivalCertificateMilestone')
    expect(body.items.find((s: { name: string }) => s.name === 'StatusList2021Entry').url).toBe(
      t.ledger.statusEntrySchemaUrl(),
    )
  })

  it('documents the deployment routes in /openapi.json', async () => {
    const { body } = await api(t, undefined, 'GET', '/openapi.json')
    for (const path of [
      '/admin/authorities',
      '/admin/authorities/{authorityId}/did',
      '/admin/authorities/{authorityId}/onboarding',
      '/admin/authorities/{authorityId}/accreditation',
      '/admin/authorities/{authorityId}/staff',
      '/admin/anchoring/onboarding',
    ])
      expect(body.paths[path], path).toBeDefined()
    expect(body.components.securitySchemes.deploymentAdmin).toMatchObject({ scheme: 'bearer' })
  })
})

describe('deployment-admin API against the embedded ledger node', () => {
  let ledger: Awaited<ReturnType<typeof startLedgerProcess>>
  let ebsi: EbsiClient
  let chain: PilotChain
  let t: TestIssuer
  let admin: string

  beforeAll(async () => {
    ledger = await startLedgerProcess()
    ebsi = new EbsiClient({ baseUrl: ledger.url })
    chain = await bootstrapPilotChain(ebsi, ledger.operatorFile, ['ArrivalCertificateMilestone'])
    const { startIssuer } = await import('../src/assembly.ts')
    const { loadIssuerConfig } = await import('../src/config.ts')
    const { tempSqliteDatabase } = await import('@flora/db/testing')
    const { freePort } = await import('./helpers/harness.ts')
    const { createLogger } = await import('@flora/service-kit')
    const database = tempSqliteDatabase()
    const port = await freePort()
    const url = `http://127.0.0.1:${port}`
    const issuer = await startIssuer(
      loadIssuerConfig({
        FLORA_ISSUER_DATABASE_URL: database.url,
        FLORA_DATA_DIR: database.dataDir,
        FLORA_ISSUER_HOST: '127.0.0.1',
        FLORA_ISSUER_PORT: String(port),
        FLORA_ISSUER_PUBLIC_URL: url,
        FLORA_LEDGER_URL: ledger.url,
        FLORA_ISSUER_ANCHOR_INTERVAL_MS: '3600000',
        FLORA_ISSUER_ACCREDITATION_CACHE_SECONDS: '0',
        FLORA_ISSUER_ADMIN_TOKEN: 'an-explicit-deployment-admin-token-0123456789',
        FLORA_LOG_LEVEL: 'silent',
      }),
      { logger: createLogger('issuer', 'silent') },
    )
    t = {
      issuer,
      url,
      database,
      ledger: undefined as never,
      close: async () => {
        await issuer.close()
        await database.dispose()
      },
    }
    admin = 'an-explicit-deployment-admin-token-0123456789'
  }, 120_000)
  afterAll(async () => {
    await t?.close()
    await ledger?.stop()
  })

  it('onboards a tenant step by step (DIDR, TIR, proxy); repeating changes nothing; staff then issue', async () => {
    await api(t, admin, 'POST', '/admin/authorities', {
      id: 'lds',
      name: 'Landesdirektion Sachsen',
      role: 'RECEPTION_AUTHORITY',
      jurisdiction: 'DE-SN',
    })
    const { did, controllerKey } = (await api(t, admin, 'POST', '/admin/authorities/lds/did')).body
    // an authorisation for another controller key (a stolen or mixed-up file) is refused up front
    const forOtherKey = await chain.authoriseOnboarding(did, chain.tao.controller.publicKeyJwk)
    const refused = await api(t, admin, 'POST', '/admin/authorities/lds/onboarding', {
      authorisationToOnboard: forOtherKey,
    })
    expect(refused.status).toBe(400)
    expect(refused.body.detail).toMatch(/controller key/)
    const authorisationToOnboard = await chain.authoriseOnboarding(did, controllerKey.publicKeyJwk)
    const onboarded = await api(t, admin, 'POST', '/admin/authorities/lds/onboarding', { authorisationToOnboard })
    expect(onboarded.status).toBe(200)
    expect(onboarded.body.transactions).toBe(4)
    const repeated = await api(t, admin, 'POST', '/admin/authorities/lds/onboarding', { authorisationToOnboard })
    expect(repeated.body.transactions).toBe(0)
    expect((await api(t, admin, 'GET', '/admin/authorities/lds?ledger=true')).body).toMatchObject({
      stage: 'registered',
      didRegistered: true,
    })

    // Before the TAO pre-registers, the accreditation cannot be written.
    const attributeId = newAttributeId()
    const accreditation = await issueAccreditation({
      issuer: { did: chain.tao.did, signer: chain.tao.assertion },
      subjectDid: did,
      kind: 'VerifiableAccreditationToAttest',
      schemasUrl: ebsi.trustedSchemasRegistry.schemaUrl('').replace(/\/$/, ''),
      reservedAttributeId: attributeId,
      accreditedFor: [
        {
          schemaId: chain.schemaUrls.ArrivalCertificateMilestone!,
          types: ['VerifiableCredential', 'VerifiableAttestation', 'ArrivalCertificateMilestone'],
        },
      ],
      termsOfUse: ebsi.trustedIssuersRegistry.attributeUrl(chain.tao.did, chain.tao.attributeId),
    })
    const early = await api(t, admin, 'POST', '/admin/authorities/lds/accreditation', { attributeId, accreditation })
    expect(early.status).toBe(409)
    await ebsi.transactions.write({
      api: 'trusted-issuers-registry',
      method: 'setAttributeMetadata',
      scope: 'tir_write',
      actor: { did: chain.tao.did, controller: chain.tao.controller, authentication: chain.tao.assertion },
      params: { did, attributeId, issuerType: 3, taoDid: chain.tao.did, taoAttributeId: chain.tao.attributeId },
    })
    const accredited = await api(t, admin, 'POST', '/admin/authorities/lds/accreditation', { attributeId, accreditation })
    expect(accredited.status).toBe(200)
    expect(accredited.body).toMatchObject({ stage: 'accredited', attributeWritten: true })
    const again = await api(t, admin, 'POST', '/admin/authorities/lds/accreditation', { attributeId, accreditation })
    expect(again.body).toMatchObject({ stage: 'accredited', attributeWritten: false })
    expect((await ebsi.trustedIssuersRegistry.listProxies(did)).items).toHaveLength(1)

    await api(t, admin, 'POST', '/admin/authorities/lds/staff', {
      username: 'lds.staff@sachsen.test',
      password: 'a long enough password',
      role: 'staff',
    })
    const { token } = (await api(t, admin, 'POST', '/admin/authorities/lds/api-tokens', { name: 'lds system', role: 'staff' })).body
    const caseId = (await api(t, token, 'POST', '/cases', { holderDid: newHolder().did })).body.id
    const recorded = await api(t, token, 'POST', `/cases/${caseId}/milestones`, {
      type: 'ArrivalCertificateMilestone',
      claims: {
        milestoneDate: '2026-01-07',
        certificateIssued: true,
        certificateIssuedOn: '2026-01-07',
        biometricsCaptured: true,
        eurodacTransmitted: true,
        eurodacTransmittedOn: '2026-01-07',
      },
    })
    expect(recorded.status).toBe(201)
  })

  it('onboards the anchoring identity, which can then timestamp', async () => {
    expect((await api(t, admin, 'GET', '/admin/anchoring')).body.stage).toBe('none')
    const view = (await api(t, admin, 'POST', '/admin/anchoring/did')).body
    expect(view.stage).toBe('keys')
    expect((await api(t, admin, 'POST', '/admin/anchoring/did')).body.did).toBe(view.did)
    const onboarded = await api(t, admin, 'POST', '/admin/anchoring/onboarding', {
      authorisationToOnboard: await chain.authoriseOnboarding(view.did, view.controllerKey.publicKeyJwk),
    })
    expect(onboarded.status).toBe(200)
    expect(onboarded.body).toMatchObject({ stage: 'onboarded', did: view.did })
    const receipt = await t.issuer.context.ledger.anchorRoot(`0x${'ab'.repeat(32)}`)
    const timestamp = await ebsi.timestamp.getTimestamp(receipt.timestampId)
    expect(timestamp.timestampedBy).toBe(view.address)
  })
})
