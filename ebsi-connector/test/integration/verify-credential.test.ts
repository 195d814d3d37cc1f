import { randomUUID } from 'node:crypto'
import { memoizedGet, verifyCredentialJwt } from '@cef-ebsi/verifiable-credential'
import { credentialSchemaFor } from '@flora/credentials'
import { memoizeClear } from 'memoize'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  accreditEntity,
  addIssuerProxy,
  authoriseOnboarding,
  type EbsiClient,
  type EbsiEntity,
  isoSeconds,
  onboardEntity,
  registerRootTao,
  registerSchema,
  revokeAccreditation,
  signCredentialJwt,
} from '../../src/client/index.ts'
import { generateDidEbsi } from '../../src/core/index.ts'
import { generateKey } from '../../src/keys/index.ts'
import { type AccreditationReader, walkAccreditationChain } from '../../src/trust/index.ts'
import { createDidKeyJwkJcs } from '../../src/veramo/index.ts'
import { localSigner, type RunningLedger, startLedger } from './helpers/ledger.ts'
import { StatusListServer } from './helpers/status-server.ts'

const MILESTONE = 'FormalApplicationMilestone'
const TYPES = ['VerifiableCredential', 'VerifiableAttestation', MILESTONE]
const DEU = 'https://publications.europa.eu/resource/authority/atu/DEU'
const STATUS_INDEX = 7

const freshEntity = (): EbsiEntity => ({
  did: generateDidEbsi(),
  controller: localSigner('Secp256k1', generateKey('Secp256k1').privateKey),
  assertion: localSigner('Secp256r1', generateKey('Secp256r1').privateKey),
})

/**
 * The acceptance of issue 3 against the REAL embedded node over HTTP: a milestone credential signed
 * ES256 by an accredited TI, with termsOfUse → its TIR attribute and a StatusList2021Entry whose
 * list is served by the TI's own HTTP server through its TIR proxy (registered with addIssuerProxy,
 * so the node's proxy test ran), verifies with @cef-ebsi/verifiable-credential 5.5.0 with no skip
 * options; it fails once its status bit is set, and once the TI's accreditation is revoked.
 */
describe('@cef-ebsi/verifiable-credential 5.5.0 verifies a milestone credential against the node (no skip options)', () => {
  let ledger: RunningLedger
  let ebsi: EbsiClient
  let root: EbsiEntity & { attributeId: string }
  let tao: EbsiEntity & { attributeId: string }
  let ti: EbsiEntity & { attributeId: string }
  let statusServer: StatusListServer
  let credential: string
  let schemaUrl: string
  let options: Parameters<typeof verifyCredentialJwt>[1]

  const verify = (jwt = credential) => {
    memoizeClear(memoizedGet) // the library caches every GET per URL for 5 minutes
    return verifyCredentialJwt(jwt, options)
  }

  beforeAll(async () => {
    ledger = await startLedger()
    ebsi = ledger.client()
    const operator = ledger.operator
    const onboard = async (accreditor: EbsiEntity) => {
      const entity = freshEntity()
      await onboardEntity(ebsi, {
        entity,
        authorisationToOnboard: await authoriseOnboarding(ebsi, {
          issuer: accreditor,
          subjectDid: entity.did,
          controllerKey: entity.controller.publicKeyJwk,
        }),
      })
      return entity
    }
    // the catalogue schema of the milestone, registered on the TSR by the TPR holder (operator)
    ;({ url: schemaUrl } = await registerSchema(ebsi, {
      writer: operator,
      schema: credentialSchemaFor(MILESTONE) as Record<string, unknown>,
      metadata: { title: MILESTONE },
    }))
    const accreditedFor = [{ schemaId: schemaUrl, types: TYPES, limitJurisdiction: DEU }]
    const rootEntity = await onboard(operator)
    root = {
      ...rootEntity,
      ...(await registerRootTao(ebsi, { supportOffice: operator, rootTao: rootEntity })),
    }
    const taoEntity = await onboard(root)
    tao = {
      ...taoEntity,
      ...(await accreditEntity(ebsi, {
        accreditor: root,
        accreditorAttributeId: root.attributeId,
        subject: taoEntity,
        role: 'TAO',
        accreditedFor,
      })),
    }
    const tiEntity = await onboard(tao)
    ti = {
      ...tiEntity,
      ...(await accreditEntity(ebsi, {
        accreditor: tao,
        accreditorAttributeId: tao.attributeId,
        subject: tiEntity,
        role: 'TI',
        accreditedFor,
      })),
    }

    // the TI's own status-list service, registered as its TIR proxy (the node runs the proxy test)
    statusServer = new StatusListServer(
      { did: ti.did, signer: ti.assertion },
      ebsi.trustedSchemasRegistry.schemaUrl('').replace(/\/$/, ''),
    )
    await statusServer.start()
    const { proxyId } = await addIssuerProxy(ebsi, {
      issuer: ti,
      proxy: { prefix: `${statusServer.url}/credentials`, headers: {}, testSuffix: '/status/1' },
    })
    statusServer.publicUrl = (list) => ebsi.trustedIssuersRegistry.proxyUrl(ti.did, proxyId, `status/${list}`)
    const statusListUrl = statusServer.publicUrl('1')

    const holder = createDidKeyJwkJcs(generateKey('Secp256r1').publicJwk)
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
        credentialSubject: {
          id: holder,
          previousMilestoneHash: null,
          milestoneDate: '2026-01-15',
          permissionToStayIssued: true,
        },
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
    options = {
      ebsiAuthority: new URL(ledger.url).host,
      ebsiEnvConfig: {
        didRegistry: `${ledger.url}/did-registry/v5/identifiers`,
        trustedIssuersRegistry: `${ledger.url}/trusted-issuers-registry/v5/issuers`,
        trustedPoliciesRegistry: `${ledger.url}/trusted-policies-registry/v3/users`,
      },
    }
  }, 60_000)

  afterAll(async () => {
    await statusServer?.stop()
    await ledger?.stop()
  })

  it('verifies: ES256 signature (DIDR), schema from the TSR, accreditation in the TIR, status through the TI proxy', async () => {
    const before = statusServer.requests.length
    const vc = await verify()
    expect(vc.type).toEqual(TYPES)
    expect(vc.issuer).toBe(ti.did)
    // the status list really travelled node → TI's server
    expect(statusServer.requests.length).toBeGreaterThan(before)
  })

  it('our own chain walk over the same TIR reaches the Root TAO', async () => {
    const reader: AccreditationReader = {
      readAttribute: async (url) => {
        const res = await fetch(url)
        return res.ok
          ? ((await res.json()) as Awaited<ReturnType<AccreditationReader['readAttribute']>>)
          : undefined
      },
    }
    const chain = await walkAccreditationChain(
      {
        issuer: ti.did,
        types: TYPES,
        schemaId: schemaUrl,
        termsOfUse: ebsi.trustedIssuersRegistry.attributeUrl(ti.did, ti.attributeId),
        jurisdiction: DEU,
      },
      reader,
      { trustAnchors: [root.did] },
    )
    expect(chain.links.map((l) => l.issuerType)).toEqual(['TI', 'TAO', 'RootTAO'])
  })

  it('fails once the status bit is set (and verifies again once it is cleared)', async () => {
    statusServer.bits('1').set(STATUS_INDEX, true)
    await expect(verify()).rejects.toThrow(/revoked/)
    statusServer.bits('1').set(STATUS_INDEX, false)
    await expect(verify()).resolves.toBeTruthy()
  })

  it("fails once the TI's accreditation is revoked through the client", async () => {
    await revokeAccreditation(ebsi, {
      accreditor: tao,
      accreditorAttributeId: tao.attributeId,
      subjectDid: ti.did,
      attributeId: ti.attributeId,
    })
    expect(
      (await ebsi.trustedIssuersRegistry.getAttribute(ti.did, ti.attributeId)).attribute.issuerType,
    ).toBe('Revoked')
    await expect(verify()).rejects.toThrow(/Revoked/)
  })
})
