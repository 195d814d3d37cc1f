import { randomBytes } from 'node:crypto'
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  accreditEntity,
  actorAddress,
  actorOf,
  addIssuerProxy,
  addVerificationMethod,
  authoriseOnboarding,
  createVpJwt,
  EbsiClient,
  type EbsiEntity,
  EbsiNotFound,
  EbsiProblem,
  EbsiUnauthorised,
  endVerificationMethod,
  onboardEntity,
  registerRootTao,
  registerSchema,
  rollVerificationMethod,
  timestampHashes,
  TransactionReverted,
  updateIssuerProxy,
} from '../../src/client/index.ts'
import {
  ethereumAddressFromPublicKey,
  generateDidEbsi,
  proxyIdOf,
  timestampIdOf,
} from '../../src/core/index.ts'
import { generateKey } from '../../src/keys/index.ts'
import { localSigner, type RunningLedger, startLedger } from './helpers/ledger.ts'
import { type Exchange, recordingFetch } from './helpers/recorder.ts'
import { StatusListServer } from './helpers/status-server.ts'

const SCOPES = [
  'didr_invite',
  'didr_write',
  'tir_invite',
  'tir_write',
  'timestamp_write',
  'tsr_write',
] as const
const TYPES = ['VerifiableCredential', 'VerifiableAttestation', 'ArrivalCertificateMilestone']

const freshEntity = (): EbsiEntity => ({
  did: generateDidEbsi(),
  controller: localSigner('Secp256k1', generateKey('Secp256k1').privateKey),
  assertion: localSigner('Secp256r1', generateKey('Secp256r1').privateKey),
})

describe('EBSI client ↔ the embedded ledger node over HTTP', () => {
  let ledger: RunningLedger
  let ebsi: EbsiClient
  let exchanges: Exchange[]
  let operator: EbsiEntity
  let root: EbsiEntity
  let tao: EbsiEntity
  let ti: EbsiEntity
  let rootAttributeId: string
  let taoAttributeId: string
  let tiAttributeId: string
  let schemaUrl: string
  let statusServer: StatusListServer
  const tsSchema = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: `round-trip ${randomBytes(4).toString('hex')}`,
    type: 'object',
  }

  beforeAll(async () => {
    ledger = await startLedger()
    const recorder = recordingFetch()
    exchanges = recorder.exchanges
    ebsi = new EbsiClient({ baseUrl: ledger.url, fetch: recorder.fetch, pollIntervalMs: 10 })
    operator = ledger.operator
    root = freshEntity()
    tao = freshEntity()
    ti = freshEntity()
    await onboardEntity(ebsi, {
      entity: root,
      authorisationToOnboard: await authoriseOnboarding(ebsi, { issuer: operator, subjectDid: root.did, controllerKey: root.controller.publicKeyJwk }),
    })
    ;({ attributeId: rootAttributeId } = await registerRootTao(ebsi, {
      supportOffice: operator,
      rootTao: root,
    }))
    ;({ url: schemaUrl } = await registerSchema(ebsi, {
      writer: operator,
      schema: tsSchema,
      metadata: { title: 'round trip' },
    }))
    const accreditedFor = [{ schemaId: schemaUrl, types: TYPES }]
    await onboardEntity(ebsi, {
      entity: tao,
      authorisationToOnboard: await authoriseOnboarding(ebsi, { issuer: root, subjectDid: tao.did, controllerKey: tao.controller.publicKeyJwk }),
    })
    ;({ attributeId: taoAttributeId } = await accreditEntity(ebsi, {
      accreditor: root,
      accreditorAttributeId: rootAttributeId,
      subject: tao,
      role: 'TAO',
      accreditedFor,
    }))
    await onboardEntity(ebsi, {
      entity: ti,
      authorisationToOnboard: await authoriseOnboarding(ebsi, { issuer: tao, subjectDid: ti.did, controllerKey: ti.controller.publicKeyJwk }),
    })
    ;({ attributeId: tiAttributeId } = await accreditEntity(ebsi, {
      accreditor: tao,
      accreditorAttributeId: taoAttributeId,
      subject: ti,
      role: 'TI',
      accreditedFor,
    }))
    statusServer = new StatusListServer(
      { did: ti.did, signer: ti.assertion },
      ebsi.trustedSchemasRegistry.schemaUrl('').replace(/\/$/, ''),
    )
    await statusServer.start()
  }, 60_000)

  afterAll(async () => {
    await statusServer?.stop()
    await ledger?.stop()
  })

  describe('Authorisation v4', () => {
    it('serves its OP metadata, JWKS and a presentation definition per scope', async () => {
      const configuration = await ebsi.authorisation.openIdConfiguration()
      expect(configuration.issuer).toBe(`${ledger.url}/authorisation/v4`)
      expect(configuration.token_endpoint).toBe(`${ledger.url}/authorisation/v4/token`)
      expect((await ebsi.authorisation.jwks()).keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256' })
      for (const scope of SCOPES) {
        const definition = await ebsi.authorisation.presentationDefinition(scope)
        expect(definition.id).toBe(`${scope}_presentation`)
        expect(definition.input_descriptors.map((d) => d.id)).toEqual(
          scope === 'didr_invite' || scope === 'tir_invite' ? [`${scope}_credential`] : [],
        )
      }
    })

    it('a write-scope token names the holder and the scope, and is cached by the write loop', async () => {
      for (const scope of ['didr_write', 'tir_write', 'timestamp_write'] as const) {
        const token = await ebsi.transactions.accessToken(scope, actorOf(ti))
        const claims = decodeJwt(token)
        expect(claims).toMatchObject({
          sub: ti.did,
          scp: `openid ${scope}`,
          iss: `${ledger.url}/authorisation/v4`,
        })
        expect(await ebsi.transactions.accessToken(scope, actorOf(ti))).toBe(token)
      }
      const tsr = decodeJwt(await ebsi.transactions.accessToken('tsr_write', actorOf(operator)))
      expect(tsr.scp).toBe('openid tsr_write')
    })

    it('refuses a replayed VP nonce, tsr_write without TPR rights, and a write outside the token scope', async () => {
      const configuration = await ebsi.authorisation.openIdConfiguration()
      const vpToken = await createVpJwt({
        holder: { did: ti.did, signer: ti.assertion },
        audience: configuration.issuer,
        credentials: [],
        nonce: `replay-${randomBytes(8).toString('hex')}`,
      })
      const submission = { id: 'x', definition_id: 'timestamp_write_presentation', descriptor_map: [] }
      await ebsi.authorisation.token({
        scope: 'timestamp_write',
        vpToken,
        presentationSubmission: submission,
      })
      await expect(
        ebsi.authorisation.token({ scope: 'timestamp_write', vpToken, presentationSubmission: submission }),
      ).rejects.toMatchObject({ status: 400, problem: { detail: expect.stringMatching(/nonce/i) } })

      await expect(ebsi.transactions.accessToken('tsr_write', actorOf(ti))).rejects.toMatchObject({
        status: 400,
        problem: { detail: expect.stringMatching(/TSR:insertSchema/) },
      })

      const token = await ebsi.transactions.accessToken('timestamp_write', actorOf(ti))
      const unsigned = await ebsi.transactions
        .build(
          'trusted-issuers-registry',
          'addIssuerProxy',
          {
            from: actorAddress(actorOf(ti)),
            did: ti.did,
            proxyData: JSON.stringify({
              prefix: statusServer.url,
              headers: {},
              testSuffix: '/credentials/status/1',
            }),
          },
          token,
        )
        .catch((error: unknown) => error)
      expect(unsigned).toBeInstanceOf(EbsiUnauthorised)
      expect((unsigned as EbsiUnauthorised).status).toBe(403)
    })
  })

  describe('DID Registry v5', () => {
    it('lists, resolves and checks controllers', async () => {
      const all = await ebsi.didRegistry.listIdentifiers({ size: 50 })
      expect(all.items.map((i) => i.did)).toEqual(
        expect.arrayContaining([operator.did, root.did, tao.did, ti.did]),
      )
      expect(all.total).toBeGreaterThanOrEqual(4)
      const document = await ebsi.didRegistry.resolve(ti.did)
      expect(document.id).toBe(ti.did)
      expect(document.capabilityInvocation).toEqual([`${ti.did}#${ti.controller.kid}`])
      expect(document.assertionMethod).toEqual([`${ti.did}#${ti.assertion.kid}`])
      expect(document.authentication).toEqual(
        expect.arrayContaining([`${ti.did}#${ti.assertion.kid}`, `${ti.did}#${ti.controller.kid}`]),
      )
      expect(await ebsi.didRegistry.checkController(ti.did, actorAddress(actorOf(ti)))).toBe(true)
      expect(await ebsi.didRegistry.checkController(ti.did, actorAddress(actorOf(tao)))).toBe(false)
      await expect(ebsi.didRegistry.resolve(generateDidEbsi())).rejects.toBeInstanceOf(EbsiNotFound)
    })

    it('every DIDR write method: add a key with relationships, expire it, revoke another, roll one; valid-at shows history', async () => {
      const entity = freshEntity()
      await onboardEntity(ebsi, {
        entity,
        authorisationToOnboard: await authoriseOnboarding(ebsi, { issuer: tao, subjectDid: entity.did, controllerKey: entity.controller.publicKeyJwk }),
      })
      const onboarded = new Date()
      await new Promise((r) => setTimeout(r, 1100))

      const extra = localSigner('Secp256r1', generateKey('Secp256r1').privateKey)
      await addVerificationMethod(ebsi, {
        entity,
        publicKeyJwk: extra.publicKeyJwk,
        relationships: ['assertionMethod', 'authentication'],
      })
      let document = await ebsi.didRegistry.resolve(entity.did)
      expect(document.assertionMethod).toContain(`${entity.did}#${extra.kid}`)

      const expireAt = new Date(Date.now() + 3600_000)
      await endVerificationMethod(ebsi, { entity, vMethodId: extra.kid, how: 'expire', at: expireAt })
      expect(
        (await ebsi.didRegistry.resolve(entity.did, { validAt: new Date(expireAt.getTime() + 1000) }))
          .assertionMethod,
      ).not.toContain(`${entity.did}#${extra.kid}`)
      await endVerificationMethod(ebsi, { entity, vMethodId: extra.kid, how: 'revoke' })
      document = await ebsi.didRegistry.resolve(entity.did)
      expect(document.assertionMethod).not.toContain(`${entity.did}#${extra.kid}`)
      await expect(
        endVerificationMethod(ebsi, {
          entity,
          vMethodId: extra.kid,
          how: 'expire',
          at: new Date(Date.now() - 5000),
        }),
      ).rejects.toMatchObject({ status: 400, problem: { detail: expect.stringMatching(/future/) } })

      const newAssertion = localSigner('Secp256r1', generateKey('Secp256r1').privateKey)
      await rollVerificationMethod(ebsi, { entity, oldKid: entity.assertion.kid, newKey: newAssertion })
      const rolled = new Date(Date.now() + 1100)
      await new Promise((r) => setTimeout(r, 1200))
      const after = await ebsi.didRegistry.resolve(entity.did, { validAt: rolled })
      expect(after.assertionMethod).toEqual([`${entity.did}#${newAssertion.kid}`])
      const before = await ebsi.didRegistry.resolve(entity.did, { validAt: onboarded })
      expect(before.assertionMethod).toEqual([`${entity.did}#${entity.assertion.kid}`])
      expect(before.verificationMethod?.map((vm) => vm.id)).not.toContain(`${entity.did}#${newAssertion.kid}`)
    })

    it('rolls the secp256k1 controller key: the new key signs transactions, the old one no longer controls', async () => {
      const entity = freshEntity()
      await onboardEntity(ebsi, {
        entity,
        authorisationToOnboard: await authoriseOnboarding(ebsi, { issuer: tao, subjectDid: entity.did, controllerKey: entity.controller.publicKeyJwk }),
      })
      const newController = localSigner('Secp256k1', generateKey('Secp256k1').privateKey)
      await rollVerificationMethod(ebsi, { entity, oldKid: entity.controller.kid, newKey: newController })
      ebsi.transactions.forgetTokens(entity.did)
      const oldAddress = ethereumAddressFromPublicKey(entity.controller.publicKeyJwk)
      await new Promise((r) => setTimeout(r, 1100))
      expect(await ebsi.didRegistry.checkController(entity.did, oldAddress)).toBe(false)
      expect(
        await ebsi.didRegistry.checkController(
          entity.did,
          ethereumAddressFromPublicKey(newController.publicKeyJwk),
        ),
      ).toBe(true)
      const receipt = await timestampHashes(ebsi, {
        writer: { ...entity, controller: newController },
        hashes: [`0x${randomBytes(32).toString('hex')}`],
      })
      expect(receipt.status).toBe('0x1')
    })
  })

  describe('Trusted Issuers Registry v5', () => {
    it('reads issuers, attributes and revisions of the accredited chain', async () => {
      const issuers = await ebsi.trustedIssuersRegistry.listIssuers({ size: 50 })
      expect(issuers.items.map((i) => i.did)).toEqual(expect.arrayContaining([root.did, tao.did, ti.did]))
      const issuer = await ebsi.trustedIssuersRegistry.getIssuer(ti.did)
      expect(issuer.attributes).toHaveLength(1)
      expect(issuer.attributes[0]).toMatchObject({ issuerType: 'TI', tao: tao.did, rootTao: root.did })
      const attributes = await ebsi.trustedIssuersRegistry.listAttributes(ti.did)
      expect(attributes.items.map((a) => a.id)).toEqual([tiAttributeId.slice(2)])
      const { attribute } = await ebsi.trustedIssuersRegistry.getAttribute(ti.did, tiAttributeId)
      const body = decodeJwt(attribute.body) as {
        vc: { type: string[]; credentialSubject: { accreditedFor: unknown[] } }
      }
      expect(body.vc.type).toContain('VerifiableAccreditationToAttest')
      expect(body.vc.credentialSubject.accreditedFor).toEqual([{ schemaId: schemaUrl, types: TYPES }])
      const revisions = await ebsi.trustedIssuersRegistry.listAttributeRevisions(ti.did, tiAttributeId)
      expect(revisions.total).toBe(2)
      const rootAttribute = await ebsi.trustedIssuersRegistry.getAttribute(root.did, rootAttributeId)
      expect(rootAttribute.attribute.issuerType).toBe('RootTAO')
    })

    it('addIssuerProxy passes the proxy test, forwards to the issuer; updateIssuerProxy keeps the id', async () => {
      const proxy = { prefix: statusServer.url, headers: {}, testSuffix: '/credentials/status/1' }
      const { proxyId } = await addIssuerProxy(ebsi, { issuer: ti, proxy })
      expect(proxyId).toBe(proxyIdOf(ti.did, proxy))
      expect((await ebsi.trustedIssuersRegistry.listProxies(ti.did)).items.map((p) => p.proxyId)).toEqual([
        proxyId,
      ])
      expect(await ebsi.trustedIssuersRegistry.getProxy(ti.did, proxyId)).toEqual(proxy)
      const jwt = await ebsi.trustedIssuersRegistry.readThroughProxy(ti.did, proxyId, 'credentials/status/1')
      const listJwt = jwt.startsWith('"') ? (JSON.parse(jwt) as string) : jwt
      expect(decodeJwt(listJwt)).toMatchObject({ iss: ti.did })

      const moved = { ...proxy, testSuffix: '/credentials/status/2' }
      await updateIssuerProxy(ebsi, { issuer: ti, proxyId, proxy: moved })
      expect(await ebsi.trustedIssuersRegistry.getProxy(ti.did, proxyId)).toEqual(moved)

      // the proxy test is real: a prefix that serves no status list is refused at send
      await expect(
        addIssuerProxy(ebsi, { issuer: ti, proxy: { ...proxy, testSuffix: '/nothing-here' } }),
      ).rejects.toMatchObject({ status: 400, problem: { code: 'ERR_PROXY_TEST_FAILED' } })
    })

    it('a TI may not accredit (setAttributeMetadata) and writes only its own attribute', async () => {
      const outsider = freshEntity()
      await expect(
        accreditEntity(ebsi, {
          accreditor: ti,
          accreditorAttributeId: tiAttributeId,
          subject: outsider,
          role: 'TI',
          accreditedFor: [{ schemaId: schemaUrl, types: TYPES }],
        }),
      ).rejects.toMatchObject({ status: 400, problem: { detail: expect.stringMatching(/Root TAO or TAO/) } })
    })
  })

  describe('Trusted Schemas Registry v3', () => {
    it('insertSchema (tsr_write through the TPR) then every read', async () => {
      const schema = { ...tsSchema, title: `another ${randomBytes(4).toString('hex')}` }
      const { schemaId, schemaIdHex, url, receipt } = await registerSchema(ebsi, {
        writer: operator,
        schema,
        metadata: { title: 'another' },
      })
      expect(receipt.status).toBe('0x1')
      expect(url).toBe(`${ledger.url}/trusted-schemas-registry/v3/schemas/${schemaId}`)
      expect(schemaIdHex).toMatch(/^0x[0-9a-f]{64}$/)
      const list = await ebsi.trustedSchemasRegistry.listSchemas({ size: 50 })
      expect(list.items.map((s) => s.schemaId)).toEqual(expect.arrayContaining([schemaId]))
      expect(await ebsi.trustedSchemasRegistry.getSchema(schemaId)).toEqual(schema)
      const revisions = await ebsi.trustedSchemasRegistry.listRevisions(schemaId)
      expect(revisions.items).toHaveLength(1)
      const revisionId = revisions.items[0]!.schemaRevisionId
      expect(await ebsi.trustedSchemasRegistry.getRevision(schemaId, revisionId)).toEqual(schema)
      const metadata = await ebsi.trustedSchemasRegistry.getRevisionMetadata(schemaId, revisionId)
      expect(metadata.items).toHaveLength(1)
      expect(
        await ebsi.trustedSchemasRegistry.getMetadata(schemaId, revisionId, metadata.items[0]!.metadataId),
      ).toEqual({ title: 'another' })
    })
  })

  describe('Timestamp v4 and Ledger v4', () => {
    it('timestampHashes, then the timestamps, hash algorithms, receipt, transaction and block', async () => {
      const hashes = [`0x${randomBytes(32).toString('hex')}`, `0x${randomBytes(32).toString('hex')}`]
      const receipt = await timestampHashes(ebsi, { writer: ti, hashes, data: [{ n: 1 }, { n: 2 }] })
      expect(receipt).toMatchObject({ status: '0x1', from: actorAddress(actorOf(ti)).toLowerCase() })

      const algorithms = await ebsi.timestamp.listHashAlgorithms()
      expect(algorithms.items.length).toBeGreaterThanOrEqual(1)
      expect(await ebsi.timestamp.getHashAlgorithm(0)).toMatchObject({
        ianaName: 'sha-256',
        multihash: 'sha2-256',
      })
      const timestamp = await ebsi.timestamp.getTimestamp(timestampIdOf(hashes[0]!))
      expect(timestamp).toMatchObject({
        timestampedBy: actorAddress(actorOf(ti)),
        transactionHash: receipt.transactionHash,
        blockNumber: Number(receipt.blockNumber),
      })
      const list = await ebsi.timestamp.listTimestamps({ size: 50 })
      expect(list.items.map((t) => t.timestampId)).toEqual(
        expect.arrayContaining(hashes.map((h) => timestampIdOf(h))),
      )

      const again = await ebsi.ledger.getTransactionReceipt(receipt.transactionHash)
      expect(again).toMatchObject({ status: '0x1', blockHash: receipt.blockHash })
      const tx = await ebsi.ledger.getTransactionByHash(receipt.transactionHash)
      expect(tx).toMatchObject({ hash: receipt.transactionHash, blockNumber: receipt.blockNumber })
      const block = await ebsi.ledger.getBlockByNumber(Number(receipt.blockNumber))
      expect(block).toMatchObject({ hash: receipt.blockHash, number: receipt.blockNumber })
      expect(block?.transactions).toContain(receipt.transactionHash)
      expect(await ebsi.ledger.getBlockByNumber('earliest')).toMatchObject({ number: '0x0' })
      expect(await ebsi.ledger.getBlockByNumber('latest')).toHaveProperty('hash')
      expect(await ebsi.ledger.getTransactionReceipt(`0x${'ab'.repeat(32)}`)).toBeNull()
    })

    it('a refused state rule surfaces as a typed error (duplicate timestamp)', async () => {
      const hash = `0x${randomBytes(32).toString('hex')}`
      await timestampHashes(ebsi, { writer: ti, hashes: [hash] })
      const error = await timestampHashes(ebsi, { writer: ti, hashes: [hash] }).catch((e: unknown) => e)
      expect(error instanceof EbsiProblem || error instanceof TransactionReverted).toBe(true)
    })
  })

  describe('Trusted Policies Registry v3', () => {
    it("lists users and policies; the operator's address holds the Support Office attributes", async () => {
      const address = actorAddress(actorOf(operator))
      const users = await ebsi.trustedPoliciesRegistry.listUsers({ size: 50 })
      expect(users.items.map((u) => u.address.toLowerCase())).toContain(address.toLowerCase())
      const user = await ebsi.trustedPoliciesRegistry.getUser(address)
      expect(Object.keys(user.attributes)).toEqual(
        expect.arrayContaining(['TIR:setAttributeMetadata', 'TSR:insertSchema']),
      )
      const policies = await ebsi.trustedPoliciesRegistry.listPolicies()
      expect(policies.total).toBe(policies.items.length)
      for (const policy of policies.items.slice(0, 3))
        expect(await ebsi.trustedPoliciesRegistry.getPolicy(policy.policyName!)).toHaveProperty(
          'policyName',
          policy.policyName,
        )
      await expect(ebsi.trustedPoliciesRegistry.getUser(`0x${'12'.repeat(20)}`)).rejects.toBeInstanceOf(
        EbsiNotFound,
      )
    })
  })

  describe('paging', () => {
    it('the client refuses page[size] > 50 and so does the node', async () => {
      await expect(async () => ebsi.didRegistry.listIdentifiers({ size: 51 })).rejects.toThrow(/50/)
      await expect(
        ebsi.http.getJson('/did-registry/v5/identifiers', { 'page[size]': 51 }),
      ).rejects.toMatchObject({ status: 400 })
      const first = await ebsi.didRegistry.listIdentifiers({ size: 2 })
      expect(first.items).toHaveLength(2)
      const { collectAll } = await import('../../src/client/index.ts')
      const all = await collectAll(ebsi.http, first)
      expect(all.length).toBe(first.total)
    })
  })

  describe('the write loop under a nonce race', () => {
    it('concurrent writes of one DID through independent clients all land; the races were retried', async () => {
      const recorder = recordingFetch()
      const N = 6
      // Hold every first send until all N builds were answered: all N carry the same nonce.
      let built = 0
      let open!: () => void
      const barrier = new Promise<void>((resolve) => {
        open = resolve
      })
      const racing: typeof fetch = async (input, init) => {
        const body = typeof init?.body === 'string' ? init.body : ''
        if (body.includes('"sendSignedTransaction"')) await barrier
        const response = await recorder.fetch(input, init)
        if (body.includes('"timestampHashes"') && ++built === N) open()
        return response
      }
      const writers = Array.from(
        { length: N },
        () => new EbsiClient({ baseUrl: ledger.url, fetch: racing, pollIntervalMs: 5, nonceRetries: 2 * N }),
      )
      const hashes = writers.map(() => `0x${randomBytes(32).toString('hex')}`)
      const receipts = await Promise.all(
        writers.map((client, i) => timestampHashes(client, { writer: ti, hashes: [hashes[i]!] })),
      )
      expect(receipts.every((r) => r.status === '0x1')).toBe(true)
      expect(new Set(receipts.map((r) => r.transactionHash)).size).toBe(N)
      const races = recorder.exchanges.filter((e) => e.status === 400 && e.code === 'ERR_NONCE_MISMATCH')
      expect(races.length).toBeGreaterThanOrEqual(N - 1)
      for (const hash of hashes)
        expect((await ebsi.timestamp.getTimestamp(timestampIdOf(hash))).hash).toBeTruthy()
    })

    it('writes from one client are serialised per address and never race', async () => {
      const recorder = recordingFetch()
      const client = new EbsiClient({ baseUrl: ledger.url, fetch: recorder.fetch, pollIntervalMs: 5 })
      const receipts = await Promise.all(
        Array.from({ length: 5 }, () =>
          timestampHashes(client, { writer: ti, hashes: [`0x${randomBytes(32).toString('hex')}`] }),
        ),
      )
      expect(receipts.every((r) => r.status === '0x1')).toBe(true)
      expect(recorder.exchanges.some((e) => e.code === 'ERR_NONCE_MISMATCH')).toBe(false)
    })
  })

  describe('Authorisation v4 across all flows', () => {
    it('every scope was granted a token over the flows above, and no token request failed unexpectedly', () => {
      const tokens = exchanges.filter((e) => e.url.endsWith('/authorisation/v4/token'))
      const granted = new Set(tokens.filter((e) => e.status === 200).map((e) => e.operation))
      expect([...granted].sort()).toEqual(SCOPES.map((s) => `openid ${s}`).sort())
      // the only refused token requests are the two failure cases asserted above
      expect(tokens.filter((e) => e.status !== 200)).toHaveLength(2)
    })
  })
})
