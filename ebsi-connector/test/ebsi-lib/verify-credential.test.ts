import { randomBytes, randomUUID } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { memoizedGet, verifyCredentialJwt } from '@cef-ebsi/verifiable-credential'
import { createDb, type Db } from '@flora/db'
import { type TestDatabase, tempSqliteDatabase } from '@flora/db/testing'
import { memoizeClear } from 'memoize'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  EbsiClient,
  isoSeconds,
  issueAccreditation,
  issueStatusListCredential,
  newAttributeId,
  signCredentialJwt,
  StatusListBits,
} from '../../src/client/index.ts'
import { generateDidEbsi, schemaIdOf } from '../../src/core/index.ts'
import { PrismaKeyStore, type Signer } from '../../src/keys/index.ts'
import { type AccreditationReader, walkAccreditationChain } from '../../src/trust/index.ts'
import { createDidKeyJwkJcs } from '../../src/veramo/index.ts'
import { RegistryFixture } from './registry-fixture.ts'

const MILESTONE = 'ArrivalCertificate'
const TYPES = ['VerifiableCredential', 'VerifiableAttestation', MILESTONE]
const DEU = 'https://publications.europa.eu/resource/authority/atu/DEU'
const milestoneSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'Arrival certificate (test)',
  type: 'object',
  properties: {
    type: { type: 'array', contains: { const: MILESTONE } },
    credentialSubject: {
      type: 'object',
      properties: { id: { type: 'string' }, milestoneDate: { type: 'string', format: 'date' } },
      required: ['id', 'milestoneDate'],
    },
  },
  required: ['type', 'credentialSubject', 'termsOfUse', 'credentialStatus'],
}

interface Entity {
  did: string
  controller: Signer
  assertion: Signer
  attributeId: string
}

describe('a milestone credential verifies with @cef-ebsi/verifiable-credential 5.5.0 (no skip options)', () => {
  const registry = new RegistryFixture()
  let tmp: TestDatabase
  let db: Db<'issuer'>
  let statusServer: Server
  let statusJwt = ''
  let base = ''
  let ti: Entity
  let tao: Entity
  let root: Entity
  let credential = ''
  let options: Parameters<typeof verifyCredentialJwt>[1]
  const bits = new StatusListBits()
  const STATUS_INDEX = 5

  const entity = async (owner: string): Promise<Entity> => {
    const keys = new PrismaKeyStore({ db: db.client, kek: randomBytes(32), owner })
    const controller = await keys.getSigner((await keys.createKey({ keyType: 'Secp256k1' })).kid)
    const assertion = await keys.getSigner((await keys.createKey({ keyType: 'Secp256r1' })).kid)
    const did = generateDidEbsi()
    registry.addEntity(did, controller, assertion)
    return { did, controller, assertion, attributeId: newAttributeId() }
  }

  beforeAll(async () => {
    tmp = tempSqliteDatabase()
    db = await createDb({ service: 'issuer', url: tmp.url })
    base = await registry.start()
    const ebsi = new EbsiClient({ baseUrl: base })
    const schemasUrl = `${base}/trusted-schemas-registry/v3/schemas`
    const schemaId = schemaIdOf(milestoneSchema).multibase
    registry.schemas.set(schemaId, milestoneSchema)
    const schemaUrl = ebsi.trustedSchemasRegistry.schemaUrl(schemaId)

    root = await entity('root-tao')
    tao = await entity('bamf-hq')
    ti = await entity('bamf-dresden')
    registry.grantTpr(root.controller, ['TIR:setAttributeMetadata'])
    const accreditedFor = [{ schemaId: schemaUrl, types: TYPES, limitJurisdiction: DEU }]

    // Root TAO: authorisation for the trust chain, self-attested by the operator role (TPR admin).
    const rootBody = await issueAccreditation({
      issuer: { did: root.did, signer: root.assertion },
      subjectDid: root.did,
      kind: 'VerifiableAuthorisationForTrustChain',
      schemasUrl,
      reservedAttributeId: root.attributeId,
    })
    registry.setAttribute(root.did, root.attributeId, rootBody, 'RootTAO', root.did, root.did)
    const taoBody = await issueAccreditation({
      issuer: { did: root.did, signer: root.assertion },
      subjectDid: tao.did,
      kind: 'VerifiableAccreditationToAccredit',
      schemasUrl,
      reservedAttributeId: tao.attributeId,
      accreditedFor,
      termsOfUse: ebsi.trustedIssuersRegistry.attributeUrl(root.did, root.attributeId),
    })
    registry.setAttribute(tao.did, tao.attributeId, taoBody, 'TAO', root.did, root.did)
    const tiBody = await issueAccreditation({
      issuer: { did: tao.did, signer: tao.assertion },
      subjectDid: ti.did,
      kind: 'VerifiableAccreditationToAttest',
      schemasUrl,
      reservedAttributeId: ti.attributeId,
      accreditedFor,
      termsOfUse: ebsi.trustedIssuersRegistry.attributeUrl(tao.did, tao.attributeId),
    })
    registry.setAttribute(ti.did, ti.attributeId, tiBody, 'TI', tao.did, root.did)

    // The TI's own status-list server, reached through its TIR proxy.
    statusServer = createServer((req, res) => {
      if (req.url === '/status/1') {
        res.writeHead(200, { 'content-type': 'application/jwt' })
        res.end(statusJwt)
      } else {
        res.writeHead(404)
        res.end()
      }
    })
    await new Promise<void>((resolve) => statusServer.listen(0, 'localhost', resolve))
    const proxyId = `0x${randomBytes(32).toString('hex')}`
    registry.proxies.set(`${ti.did}/${proxyId}`, {
      prefix: `http://localhost:${(statusServer.address() as AddressInfo).port}`,
      headers: {},
      testSuffix: '/status/1',
    })
    const statusListUrl = ebsi.trustedIssuersRegistry.proxyUrl(ti.did, proxyId, 'status/1')
    const signStatusList = async () => {
      statusJwt = await issueStatusListCredential({
        issuer: { did: ti.did, signer: ti.assertion },
        url: statusListUrl,
        schemasUrl,
        bits,
      })
    }
    await signStatusList()
    ;(globalThis as Record<string, unknown>).__resignStatusList = signStatusList

    const holder = createDidKeyJwkJcs(
      (
        await new PrismaKeyStore({ db: db.client, kek: randomBytes(32), owner: 'wallet' }).createKey({
          keyType: 'Secp256r1',
        })
      ).publicKeyJwk,
    )
    const now = isoSeconds(new Date(Date.now() - 1000))
    credential = await signCredentialJwt(
      { did: ti.did, signer: ti.assertion },
      {
        '@context': ['https://www.w3.org/2018/credentials/v1'],
        id: `urn:uuid:${randomUUID()}`,
        type: TYPES,
        issuer: ti.did,
        issuanceDate: now,
        issued: now,
        validFrom: now,
        expirationDate: isoSeconds(new Date(Date.now() + 365 * 86_400_000)),
        credentialSubject: { id: holder, milestoneDate: '2025-03-01' },
        credentialSchema: { id: schemaUrl, type: 'FullJsonSchemaValidator2021' },
        termsOfUse: {
          id: ebsi.trustedIssuersRegistry.attributeUrl(ti.did, ti.attributeId),
          type: 'IssuanceCertificate',
        },
        credentialStatus: {
          id: `${statusListUrl}#${STATUS_INDEX}`,
          type: 'StatusList2021Entry',
          statusPurpose: 'revocation',
          statusListIndex: String(STATUS_INDEX),
          statusListCredential: statusListUrl,
        },
      },
    )
    const authority = new URL(base).host
    options = {
      ebsiAuthority: authority,
      ebsiEnvConfig: {
        didRegistry: `${base}/did-registry/v5/identifiers`,
        trustedIssuersRegistry: `${base}/trusted-issuers-registry/v5/issuers`,
        trustedPoliciesRegistry: `${base}/trusted-policies-registry/v3/users`,
      },
    }
  })

  afterAll(async () => {
    await new Promise((resolve) => statusServer?.close(resolve))
    await registry.stop()
    await db?.close()
    await tmp?.dispose()
  })

  it('verifies: signature, schema from the TSR, TI accreditation in the TIR, status via the TI proxy', async () => {
    memoizeClear(memoizedGet)
    const vc = await verifyCredentialJwt(credential, options)
    expect(vc.type).toEqual(TYPES)
  })

  it('our own chain walk reaches the Root TAO through the same TIR', async () => {
    const reader: AccreditationReader = {
      readAttribute: async (url) => {
        const res = await fetch(url)
        return res.ok
          ? ((await res.json()) as Awaited<ReturnType<AccreditationReader['readAttribute']>>)
          : undefined
      },
    }
    const payload = JSON.parse(Buffer.from(credential.split('.')[1]!, 'base64url').toString()) as {
      vc: { credentialSchema: { id: string }; termsOfUse: { id: string } }
    }
    const chain = await walkAccreditationChain(
      {
        issuer: ti.did,
        types: TYPES,
        schemaId: payload.vc.credentialSchema.id,
        termsOfUse: payload.vc.termsOfUse.id,
        jurisdiction: DEU,
      },
      reader,
      { trustAnchors: [root.did] },
    )
    expect(chain.links.map((l) => l.issuerType)).toEqual(['TI', 'TAO', 'RootTAO'])
  })

  it('fails once the status bit is set', async () => {
    bits.set(STATUS_INDEX, true)
    await ((globalThis as Record<string, unknown>).__resignStatusList as () => Promise<void>)()
    memoizeClear(memoizedGet)
    await expect(verifyCredentialJwt(credential, options)).rejects.toThrow(/revoked/)
    bits.set(STATUS_INDEX, false)
    await ((globalThis as Record<string, unknown>).__resignStatusList as () => Promise<void>)()
    memoizeClear(memoizedGet)
    await expect(verifyCredentialJwt(credential, options)).resolves.toBeTruthy()
  })

  it("fails once the TI's accreditation is revoked", async () => {
    registry.setIssuerType(ti.did, ti.attributeId, 'Revoked')
    memoizeClear(memoizedGet)
    await expect(verifyCredentialJwt(credential, options)).rejects.toThrow(/Revoked/)
  })
})
