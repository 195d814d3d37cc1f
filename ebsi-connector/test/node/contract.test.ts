import { randomBytes, randomUUID } from 'node:crypto'
import { tempSqliteDatabase } from '@flora/db/testing'
import { Transaction, Wallet } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  canonicalJson,
  encodeRegistryCall,
  REGISTRY_ADDRESSES,
  schemaIdOf,
  sha256Hex,
  timestampIdOf,
  toEthersTransaction,
  utf8ToHex,
} from '../../src/core/index.ts'
import { Actor } from './helpers/actor.ts'
import { LedgerTestClient, randomAttributeId } from './helpers/ledger-client.ts'
import { newOperator, startNode, testConfig } from './helpers/node-under-test.ts'
import { EbsiContract } from './helpers/openapi-validator.ts'
import { startStatusListServer } from './helpers/status-list-server.ts'
import { bootstrapTrustChain, onboard, type TrustChain } from './helpers/trust-chain.ts'

const DIDR = '/did-registry/v5'
const TIR = '/trusted-issuers-registry/v5'
const TSR = '/trusted-schemas-registry/v3'
const TS = '/timestamp/v4'
const TPR = '/trusted-policies-registry/v3'
const AUTH = '/authorisation/v4'
const BESU = '/ledger/v4/blockchains/besu'

describe('ledger node contract (EBSI OpenAPI, over HTTP)', () => {
  const database = tempSqliteDatabase()
  const operator = newOperator()
  const contract = new EbsiContract()
  let client: LedgerTestClient
  let close: () => Promise<void>
  let chain: TrustChain
  let statusServer: Awaited<ReturnType<typeof startStatusListServer>>

  beforeAll(async () => {
    const { node, url } = await startNode(testConfig(database.url, operator))
    close = () => node.close()
    client = new LedgerTestClient(url)
    chain = await bootstrapTrustChain(client, operator)
    statusServer = await startStatusListServer(chain.ti)
  })
  afterAll(async () => {
    await statusServer?.close()
    await close?.()
    await database.dispose()
  })

  describe('Authorisation v4', () => {
    it('serves OP metadata, JWKS and presentation definitions', async () => {
      const metadata = contract.check(
        'get',
        `${AUTH}/.well-known/openid-configuration`,
        await client.get(`${AUTH}/.well-known/openid-configuration`),
        200,
      )
      expect(metadata.body.issuer).toBe(`${client.url}${AUTH}`)
      const jwks = contract.check('get', `${AUTH}/jwks`, await client.get(`${AUTH}/jwks`), 200)
      expect(jwks.body.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256' })
      for (const scope of ['didr_invite', 'didr_write', 'tir_invite', 'tir_write', 'timestamp_write']) {
        const pd = contract.check(
          'get',
          `${AUTH}/presentation-definitions`,
          await client.get(`${AUTH}/presentation-definitions?scope=openid%20${scope}`),
          200,
        )
        expect(pd.body.id).toBe(`${scope}_presentation`)
      }
      contract.check(
        'get',
        `${AUTH}/presentation-definitions`,
        await client.get(`${AUTH}/presentation-definitions?scope=openid%20bogus`),
        400,
      )
    })

    it('issues ES256 access tokens against a VP and refuses nonce replay', async () => {
      const nonce = randomUUID()
      const vp = await chain.ti.vp(`${client.url}${AUTH}`, [], nonce)
      const first = await client.requestToken(chain.ti, 'tir_write', [], { vp })
      contract.check('post', `${AUTH}/token`, first, 200)
      expect(first.body).toMatchObject({ token_type: 'Bearer', scope: 'openid tir_write', expires_in: 7200 })
      const replay = await client.requestToken(chain.ti, 'tir_write', [], { vp })
      contract.check('post', `${AUTH}/token`, replay, 400)
      expect(replay.body.detail).toMatch(/nonce/)
    })

    it('refuses a VP without nonce, a wrong audience, a wrong definition id and an unknown DID', async () => {
      const noNonce = await client.requestToken(chain.ti, 'tir_write', [], {
        vp: await chain.ti.vp(`${client.url}${AUTH}`, [], ''),
      })
      contract.check('post', `${AUTH}/token`, noNonce, 400)
      const wrongAud = await client.requestToken(chain.ti, 'tir_write', [], {
        vp: await chain.ti.vp('https://elsewhere.example/authorisation/v4'),
      })
      contract.check('post', `${AUTH}/token`, wrongAud, 400)
      const wrongDefinition = await client.requestToken(chain.ti, 'tir_write', [], {
        definitionId: 'didr_write_presentation',
      })
      contract.check('post', `${AUTH}/token`, wrongDefinition, 400)
      const stranger = new Actor('stranger')
      const unknown = await client.requestToken(stranger, 'didr_write')
      contract.check('post', `${AUTH}/token`, unknown, 400)
      expect(unknown.body.detail).toMatch(/not registered/)
      const noForm = await client.post(`${AUTH}/token`, { grant_type: 'password' })
      contract.check('post', `${AUTH}/token`, noForm, 400)
    })

    it('requires an onboarding VC from a Root TAO/TAO for didr_invite, and a TIR record for tir_write', async () => {
      const newcomer = new Actor('newcomer')
      const selfIssued = await newcomer.issueVc(newcomer.did, ['VerifiableAuthorisationToOnboard'])
      contract.check(
        'post',
        `${AUTH}/token`,
        await client.requestToken(newcomer, 'didr_invite', [selfIssued]),
        400,
      )
      const fromTi = await chain.ti.issueVc(newcomer.did, ['VerifiableAuthorisationToOnboard'])
      const refused = await client.requestToken(newcomer, 'didr_invite', [fromTi])
      contract.check('post', `${AUTH}/token`, refused, 400)
      expect(refused.body.detail).toMatch(/not a Root TAO or TAO/)
      const registered = await onboard(client, chain.rootTao, 'plain-le')
      contract.check('post', `${AUTH}/token`, await client.requestToken(registered, 'tir_write'), 400)
    })
  })

  describe('DID Registry v5', () => {
    it('lists, resolves (also valid-at) and checks controllers', async () => {
      const list = contract.check(
        'get',
        `${DIDR}/identifiers`,
        await client.get(`${DIDR}/identifiers?page[size]=2`),
        200,
      )
      expect(list.body.total).toBeGreaterThanOrEqual(3)
      expect(list.body.items).toHaveLength(2)
      const filtered = contract.check(
        'get',
        `${DIDR}/identifiers`,
        await client.get(`${DIDR}/identifiers?controller=${chain.ti.address}`),
        200,
      )
      expect(filtered.body.items.map((i: { did: string }) => i.did)).toEqual([chain.ti.did])
      const doc = contract.check(
        'get',
        `${DIDR}/identifiers/{did}`,
        await client.get(`${DIDR}/identifiers/${chain.ti.did}`),
        200,
      )
      expect(doc.contentType).toMatch(/application\/did\+ld\+json/)
      expect(doc.body.capabilityInvocation).toEqual([`${chain.ti.did}#${chain.ti.secpKid}`])
      expect(doc.body.assertionMethod).toEqual([`${chain.ti.did}#${chain.ti.p256Kid}`])
      const past = contract.check(
        'get',
        `${DIDR}/identifiers/{did}`,
        await client.get(`${DIDR}/identifiers/${chain.ti.did}?valid-at=2001-01-01T00:00:00Z`),
        404,
      )
      expect(past.body.status).toBe(404)
      const ok = await client.post(`${DIDR}/identifiers/${chain.ti.did}/actions`, {
        jsonrpc: '2.0',
        method: 'checkController',
        params: [chain.ti.address],
        id: 1,
      })
      expect(contract.check('post', `${DIDR}/identifiers/{did}/actions`, ok, 200).body.result).toBe(true)
      const no = await client.post(`${DIDR}/identifiers/${chain.ti.did}/actions`, {
        jsonrpc: '2.0',
        method: 'checkController',
        params: [Wallet.createRandom().address],
        id: 2,
      })
      expect(contract.check('post', `${DIDR}/identifiers/{did}/actions`, no, 200).body.result).toBe(false)
      contract.check(
        'post',
        `${DIDR}/identifiers/{did}/actions`,
        await client.post(`${DIDR}/identifiers/${chain.ti.did}/actions`, {
          jsonrpc: '2.0',
          method: 'x',
          params: [],
          id: 3,
        }),
        400,
      )
    })

    it('answers 400 for a malformed DID, 404 for an unknown DID and 400 for page size above 50', async () => {
      contract.check(
        'get',
        `${DIDR}/identifiers/{did}`,
        await client.get(`${DIDR}/identifiers/did:web:example.com`),
        400,
      )
      contract.check(
        'get',
        `${DIDR}/identifiers/{did}`,
        await client.get(`${DIDR}/identifiers/${new Actor('x').did}`),
        404,
      )
      const big = contract.check(
        'get',
        `${DIDR}/identifiers`,
        await client.get(`${DIDR}/identifiers?page[size]=51`),
        400,
      )
      expect(big.body.detail).toBe('PageSize should not be greater than 50')
    })

    it('adds, expires, revokes and rolls verification methods with history', async () => {
      const le = await onboard(client, chain.rootTao, 'rotating-le')
      const token = await client.token(le, 'didr_write')
      const before = new Date().toISOString()
      await new Promise((resolve) => setTimeout(resolve, 1100))
      const next = new Actor('next-key')
      const now = Math.floor(Date.now() / 1000)
      await client.writeOk(
        le,
        'did-registry/v5',
        'rollVerificationMethod',
        {
          did: le.did,
          vMethodId: next.p256Kid,
          publicKey: next.p256PublicKeyHex(),
          isSecp256k1: false,
          notBefore: now - 10,
          notAfter: now + 86400,
          oldVMethodId: le.p256Kid,
          duration: 0,
        },
        token,
      )
      const rolled = await client.get(`${DIDR}/identifiers/${le.did}`)
      expect(rolled.body.assertionMethod).toEqual([`${le.did}#${next.p256Kid}`])
      const history = await client.get(`${DIDR}/identifiers/${le.did}?valid-at=${before}`)
      expect(history.body.assertionMethod).toEqual([`${le.did}#${le.p256Kid}`])
      const third = new Actor('third-key')
      await client.writeOk(
        le,
        'did-registry/v5',
        'addVerificationMethod',
        { did: le.did, vMethodId: third.p256Kid, publicKey: third.p256PublicKeyHex(), isSecp256k1: false },
        token,
      )
      await client.writeOk(
        le,
        'did-registry/v5',
        'addVerificationRelationship',
        {
          did: le.did,
          name: 'authentication',
          vMethodId: third.p256Kid,
          notBefore: now - 10,
          notAfter: now + 1000,
        },
        token,
      )
      await client.writeOk(
        le,
        'did-registry/v5',
        'expireVerificationMethod',
        { did: le.did, vMethodId: third.p256Kid, notAfter: now + 500 },
        token,
      )
      await client.writeOk(
        le,
        'did-registry/v5',
        'revokeVerificationMethod',
        { did: le.did, vMethodId: third.p256Kid, notAfter: now - 1 },
        token,
      )
      const after = await client.get(`${DIDR}/identifiers/${le.did}`)
      expect(after.body.authentication).not.toContain(`${le.did}#${third.p256Kid}`)
      const future = await client.rpc(
        'did-registry/v5',
        'revokeVerificationMethod',
        [{ from: le.address, did: le.did, vMethodId: next.p256Kid, notAfter: now + 9999 }],
        token,
      )
      contract.check('post', `${DIDR}/jsonrpc`, future, 400)
    })

    it('checks sendSignedTransaction: unsigned, mis-signed, foreign signer, tx nonce replay, wrong scope', async () => {
      const token = await client.token(chain.ti, 'didr_write')
      const other = new Actor('key')
      const unsigned = await client.build(
        'did-registry/v5',
        'addVerificationMethod',
        {
          from: chain.ti.address,
          did: chain.ti.did,
          vMethodId: other.p256Kid,
          publicKey: other.p256PublicKeyHex(),
          isSecp256k1: false,
        },
        token,
      )
      contract.check(
        'post',
        `${DIDR}/jsonrpc`,
        await client.rpc('did-registry/v5', 'addVerificationMethod', [{ from: chain.ti.address }], token),
        400,
      )
      expect(unsigned).toMatchObject({
        to: REGISTRY_ADDRESSES['did-registry'],
        value: '0x0',
        gasPrice: '0x0',
        chainId: '0x181f',
      })
      const signed = chain.ti.sign(unsigned)
      const raw = toEthersTransaction(unsigned).unsignedSerialized
      const noSignature = await client.send(
        'did-registry/v5',
        { ...signed, signedRawTransaction: raw },
        token,
      )
      contract.check('post', `${DIDR}/jsonrpc`, noSignature, 400)
      const misSigned = await client.send('did-registry/v5', { ...signed, r: signed.s }, token)
      contract.check('post', `${DIDR}/jsonrpc`, misSigned, 400)
      const byStranger = new Actor('stranger').sign({
        ...unsigned,
        from: new Wallet(`0x${'11'.repeat(32)}`).address,
      })
      contract.check('post', `${DIDR}/jsonrpc`, await client.send('did-registry/v5', byStranger, token), 400)
      const foreign = new Actor('foreign')
      const foreignSigned = foreign.sign({ ...unsigned, from: foreign.address, nonce: '0x0' })
      const refused = await client.send('did-registry/v5', foreignSigned, token)
      contract.check('post', `${DIDR}/jsonrpc`, refused, 403)
      expect(refused.body.detail).toMatch(/not controlled by the signer/)
      const sent = contract.check(
        'post',
        `${DIDR}/jsonrpc`,
        await client.send('did-registry/v5', signed, token),
        200,
      )
      expect((await client.receipt(sent.body.result)).status).toBe('0x1')
      const replay = await client.send('did-registry/v5', signed, token)
      contract.check('post', `${DIDR}/jsonrpc`, replay, 400)
      expect(replay.body.detail).toMatch(/nonce/)
      const tsToken = await client.token(chain.ti, 'timestamp_write')
      contract.check(
        'post',
        `${DIDR}/jsonrpc`,
        await client.rpc(
          'did-registry/v5',
          'addVerificationMethod',
          [
            {
              from: chain.ti.address,
              did: chain.ti.did,
              vMethodId: other.p256Kid,
              publicKey: other.p256PublicKeyHex(),
              isSecp256k1: false,
            },
          ],
          tsToken,
        ),
        403,
      )
      const wrongScopeSend = await client.send(
        'did-registry/v5',
        chain.ti.sign({
          ...unsigned,
          nonce: sent.body.result
            ? (
                await client.build(
                  'timestamp/v4',
                  'timestampHashes',
                  {
                    from: chain.ti.address,
                    hashAlgorithmIds: [0],
                    hashValues: [`0x${randomBytes(32).toString('hex')}`],
                  },
                  tsToken,
                )
              ).nonce
            : '0x0',
        }),
        tsToken,
      )
      contract.check('post', `${DIDR}/jsonrpc`, wrongScopeSend, 403)
      contract.check(
        'post',
        `${DIDR}/jsonrpc`,
        await client.rpc('did-registry/v5', 'insertDidDocument', [{}]),
        401,
      )
    })
  })

  describe('Trusted Issuers Registry v5', () => {
    it('lists issuers, attributes and revisions', async () => {
      const issuers = contract.check('get', `${TIR}/issuers`, await client.get(`${TIR}/issuers`), 200)
      expect(issuers.body.items.map((i: { did: string }) => i.did)).toEqual(
        expect.arrayContaining([chain.rootTao.did, chain.ti.did]),
      )
      const issuer = contract.check(
        'get',
        `${TIR}/issuers/{did}`,
        await client.get(`${TIR}/issuers/${chain.ti.did}`),
        200,
      )
      expect(issuer.body.attributes[0]).toMatchObject({
        issuerType: 'TI',
        tao: chain.rootTao.did,
        rootTao: chain.rootTao.did,
      })
      const attrs = contract.check(
        'get',
        `${TIR}/issuers/{did}/attributes`,
        await client.get(`${TIR}/issuers/${chain.ti.did}/attributes`),
        200,
      )
      expect(attrs.body.items[0].id).toBe(chain.tiAttributeId.slice(2))
      const attr = contract.check(
        'get',
        `${TIR}/issuers/{did}/attributes/{attributeId}`,
        await client.get(`${TIR}/issuers/${chain.ti.did}/attributes/${chain.tiAttributeId}`),
        200,
      )
      expect(attr.body.attribute.hash).toBe(sha256Hex(attr.body.attribute.body))
      const revisions = contract.check(
        'get',
        `${TIR}/issuers/{did}/attributes/{attributeId}/revisions`,
        await client.get(
          `${TIR}/issuers/${chain.ti.did}/attributes/${chain.tiAttributeId.slice(2)}/revisions`,
        ),
        200,
      )
      expect(revisions.body.total).toBe(2)
      contract.check(
        'get',
        `${TIR}/issuers/{did}`,
        await client.get(`${TIR}/issuers/${new Actor('n').did}`),
        404,
      )
      contract.check(
        'get',
        `${TIR}/issuers/{did}/attributes/{attributeId}`,
        await client.get(`${TIR}/issuers/${chain.ti.did}/attributes/xyz`),
        400,
      )
      contract.check('get', `${TIR}/issuers`, await client.get(`${TIR}/issuers?page[size]=100`), 400)
    })

    it("registers a proxy after EBSI's proxy test and forwards status-list requests", async () => {
      const token = await client.token(chain.ti, 'tir_write')
      const proxyData = {
        prefix: statusServer.url,
        headers: { authorization: 'Bearer test' },
        testSuffix: '/credentials/status/1',
      }
      await client.writeOk(
        chain.ti,
        'trusted-issuers-registry/v5',
        'addIssuerProxy',
        { did: chain.ti.did, proxyData: utf8ToHex(JSON.stringify(proxyData)) },
        token,
      )
      expect(statusServer.requests).toContain('/credentials/status/1')
      const proxies = contract.check(
        'get',
        `${TIR}/issuers/{did}/proxies`,
        await client.get(`${TIR}/issuers/${chain.ti.did}/proxies`),
        200,
      )
      const proxyId = proxies.body.items[0].proxyId as string
      const proxy = contract.check(
        'get',
        `${TIR}/issuers/{did}/proxies/{proxyId}`,
        await client.get(`${TIR}/issuers/${chain.ti.did}/proxies/${proxyId}`),
        200,
      )
      expect(proxy.body).toEqual(proxyData)
      const list = contract.check(
        'get',
        `${TIR}/issuers/{did}/proxies/{proxyId}/{path}`,
        await client.get(`${TIR}/issuers/${chain.ti.did}/proxies/${proxyId}/credentials/status/7`),
        200,
      )
      expect(list.body.split('.')).toHaveLength(3)
      contract.check(
        'get',
        `${TIR}/issuers/{did}/proxies/{proxyId}/{path}`,
        await client.get(`${TIR}/issuers/${chain.ti.did}/proxies/${proxyId}/nothing-here`),
        404,
      )
      contract.check(
        'get',
        `${TIR}/issuers/{did}/proxies/{proxyId}`,
        await client.get(`${TIR}/issuers/${chain.ti.did}/proxies/0x${'ab'.repeat(32)}`),
        404,
      )
      await client.writeOk(
        chain.ti,
        'trusted-issuers-registry/v5',
        'updateIssuerProxy',
        { did: chain.ti.did, proxyId, proxyData: utf8ToHex(JSON.stringify({ ...proxyData, headers: {} })) },
        token,
      )
      expect((await client.get(`${TIR}/issuers/${chain.ti.did}/proxies/${proxyId}`)).body.headers).toEqual({})
    })

    it('refuses a proxy whose status list is not signed by the issuer, or on a host not allowed', async () => {
      const token = await client.token(chain.ti, 'tir_write')
      const forged = await startStatusListServer(chain.ti, { signer: chain.rootTao })
      try {
        const bad = await client.rpc(
          'trusted-issuers-registry/v5',
          'addIssuerProxy',
          [
            {
              from: chain.ti.address,
              did: chain.ti.did,
              proxyData: utf8ToHex(
                JSON.stringify({ prefix: forged.url, headers: {}, testSuffix: '/credentials/status/1' }),
              ),
            },
          ],
          token,
        )
        contract.check('post', `${TIR}/jsonrpc`, bad, 400)
        expect(bad.body.detail).toMatch(/status list/)
      } finally {
        await forged.close()
      }
      const offsite = await client.rpc(
        'trusted-issuers-registry/v5',
        'addIssuerProxy',
        [
          {
            from: chain.ti.address,
            did: chain.ti.did,
            proxyData: utf8ToHex(
              JSON.stringify({ prefix: 'https://status.example.org', headers: {}, testSuffix: '/1' }),
            ),
          },
        ],
        token,
      )
      contract.check('post', `${TIR}/jsonrpc`, offsite, 400)
      expect(offsite.body.detail).toMatch(/not allowed/)
    })

    it('lets only a Root TAO/TAO accredit, a TI write only its own attribute, and refuses a revoked TI', async () => {
      const tiToken = await client.token(chain.ti, 'tir_write')
      const victim = await onboard(client, chain.rootTao, 'victim')
      const notAccreditor = await client.rpc(
        'trusted-issuers-registry/v5',
        'setAttributeMetadata',
        [
          {
            from: chain.ti.address,
            did: victim.did,
            attributeId: randomAttributeId(),
            issuerType: 3,
            taoDid: chain.ti.did,
            taoAttributeId: chain.tiAttributeId,
          },
        ],
        tiToken,
      )
      contract.check('post', `${TIR}/jsonrpc`, notAccreditor, 400)
      expect(notAccreditor.body.detail).toMatch(/only a Root TAO or TAO accredits/)
      const foreignWrite = await client.rpc(
        'trusted-issuers-registry/v5',
        'setAttributeData',
        [
          {
            from: chain.ti.address,
            did: chain.rootTao.did,
            attributeId: chain.rootTaoAttributeId,
            attributeData: utf8ToHex('a.b.c'),
          },
        ],
        tiToken,
      )
      contract.check('post', `${TIR}/jsonrpc`, foreignWrite, 400)
      expect(foreignWrite.body.detail).toMatch(/only its own attribute/)

      const forged = await chain.ti.issueVc(chain.ti.did, ['VerifiableAccreditationToAttest'], {
        reservedAttributeId: chain.tiAttributeId,
      })
      const selfIssued = await client.rpc(
        'trusted-issuers-registry/v5',
        'setAttributeData',
        [
          {
            from: chain.ti.address,
            did: chain.ti.did,
            attributeId: chain.tiAttributeId,
            attributeData: utf8ToHex(forged),
          },
        ],
        tiToken,
      )
      contract.check('post', `${TIR}/jsonrpc`, selfIssued, 400)
      expect(selfIssued.body.detail).toMatch(/issued by the accreditor/)

      const rootToken = await client.token(chain.rootTao, 'tir_write')
      await client.writeOk(
        chain.rootTao,
        'trusted-issuers-registry/v5',
        'setAttributeMetadata',
        {
          did: chain.ti.did,
          attributeId: chain.tiAttributeId,
          issuerType: 4,
          taoDid: chain.rootTao.did,
          taoAttributeId: chain.rootTaoAttributeId,
        },
        rootToken,
      )
      const revoked = await client.get(`${TIR}/issuers/${chain.ti.did}/attributes/${chain.tiAttributeId}`)
      expect(revoked.body.attribute.issuerType).toBe('Revoked')
      const vc = await chain.rootTao.issueVc(chain.ti.did, ['VerifiableAccreditationToAttest'], {
        reservedAttributeId: chain.tiAttributeId,
      })
      const refused = await client.rpc(
        'trusted-issuers-registry/v5',
        'setAttributeData',
        [
          {
            from: chain.ti.address,
            did: chain.ti.did,
            attributeId: chain.tiAttributeId,
            attributeData: utf8ToHex(vc),
          },
        ],
        tiToken,
      )
      contract.check('post', `${TIR}/jsonrpc`, refused, 400)
      expect(refused.body.detail).toMatch(/revoked/)
      // the same call signed and sent directly is included but reverts
      const nonce = await client
        .build(
          'trusted-issuers-registry/v5',
          'addIssuerProxy',
          {
            from: chain.rootTao.address,
            did: chain.rootTao.did,
            proxyData: utf8ToHex(
              JSON.stringify({ prefix: statusServer.url, headers: {}, testSuffix: '/credentials/status/1' }),
            ),
          },
          rootToken,
        )
        .catch(() => undefined)
      void nonce
      const data = encodeRegistryCall('trusted-issuers-registry', 'setAttributeData', {
        did: chain.ti.did,
        attributeId: chain.tiAttributeId,
        attributeData: utf8ToHex(vc),
      })
      const probe = await client.build(
        'trusted-issuers-registry/v5',
        'setAttributeMetadata',
        {
          from: chain.rootTao.address,
          did: chain.ti.did,
          attributeId: chain.tiAttributeId,
          issuerType: 4,
          taoDid: chain.rootTao.did,
          taoAttributeId: chain.rootTaoAttributeId,
        },
        rootToken,
      )
      const tiNonce = (
        await client.build(
          'timestamp/v4',
          'timestampHashes',
          {
            from: chain.ti.address,
            hashAlgorithmIds: [0],
            hashValues: [`0x${randomBytes(32).toString('hex')}`],
          },
          await client.token(chain.ti, 'timestamp_write'),
        )
      ).nonce
      const direct = chain.ti.sign({ ...probe, from: chain.ti.address, data, nonce: tiNonce })
      const sent = contract.check(
        'post',
        `${TIR}/jsonrpc`,
        await client.send('trusted-issuers-registry/v5', direct, tiToken),
        200,
      )
      const receipt = await client.receipt(sent.body.result)
      expect(receipt.status).toBe('0x0')
      expect(receipt.revertReason).toMatch(/revoked/)
      const tx = contract.check(
        'post',
        BESU,
        await client.post(BESU, {
          jsonrpc: '2.0',
          method: 'eth_getTransactionByHash',
          params: [sent.body.result],
          id: 9,
        }),
        200,
      )
      expect(tx.body.result.input).toBe(data)
      expect(Transaction.from(direct.signedRawTransaction).hash).toBe(sent.body.result)
    })
  })

  describe('Trusted Schemas Registry v3 (tsr_write through the TPR)', () => {
    const schema = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      title: 'Milestone',
      type: 'object',
      properties: { n: { type: 'integer' } },
    }
    it("inserts a schema with EBSI's schemaId and serves schemas, revisions and metadata", async () => {
      const token = await client.token(operator, 'tsr_write')
      const id = schemaIdOf(schema)
      await client.writeOk(
        operator,
        'trusted-schemas-registry/v3',
        'insertSchema',
        {
          schemaId: id.hex,
          schema: utf8ToHex(JSON.stringify(schema)),
          metadata: utf8ToHex(JSON.stringify({ name: 'milestone' })),
        },
        token,
      )
      const list = contract.check('get', `${TSR}/schemas`, await client.get(`${TSR}/schemas`), 200)
      expect(list.body.items[0].schemaId).toBe(id.multibase)
      expect(
        contract.check(
          'get',
          `${TSR}/schemas/{schemaId}`,
          await client.get(`${TSR}/schemas/${id.multibase}`),
          200,
        ).body,
      ).toEqual(schema)
      const revisions = contract.check(
        'get',
        `${TSR}/schemas/{schemaId}/revisions`,
        await client.get(`${TSR}/schemas/${id.multibase}/revisions`),
        200,
      )
      const revisionId = revisions.body.items[0].schemaRevisionId as string
      expect(revisionId).toBe(`0x${sha256Hex(canonicalJson(schema))}`)
      contract.check(
        'get',
        `${TSR}/schemas/{schemaId}/revisions/{schemaRevisionId}`,
        await client.get(`${TSR}/schemas/${id.multibase}/revisions/${revisionId}`),
        200,
      )
      const metadata = contract.check(
        'get',
        `${TSR}/schemas/{schemaId}/revisions/{schemaRevisionId}/metadata`,
        await client.get(`${TSR}/schemas/${id.multibase}/revisions/${revisionId}/metadata`),
        200,
      )
      const one = contract.check(
        'get',
        `${TSR}/schemas/{schemaId}/revisions/{schemaRevisionId}/metadata/{metadataId}`,
        await client.get(
          `${TSR}/schemas/${id.multibase}/revisions/${revisionId}/metadata/${metadata.body.items[0].metadataId}`,
        ),
        200,
      )
      expect(one.body).toEqual({ name: 'milestone' })
      contract.check('get', `${TSR}/abi`, await client.get(`${TSR}/abi`), 200)
      contract.check('get', `${TSR}/schemas/{schemaId}`, await client.get(`${TSR}/schemas/not-an-id`), 400)
      contract.check(
        'get',
        `${TSR}/schemas/{schemaId}`,
        await client.get(`${TSR}/schemas/${schemaIdOf({ other: 1 }).multibase}`),
        404,
      )
    })
    it('refuses tsr_write to a DID without the TPR attribute, and a wrong schemaId', async () => {
      contract.check('post', `${AUTH}/token`, await client.requestToken(chain.rootTao, 'tsr_write'), 400)
      const token = await client.token(operator, 'tsr_write')
      const wrong = await client.rpc(
        'trusted-schemas-registry/v3',
        'insertSchema',
        [
          {
            from: operator.address,
            schemaId: `0x${'12'.repeat(32)}`,
            schema: utf8ToHex('{"a":1}'),
            metadata: utf8ToHex('{}'),
          },
        ],
        token,
      )
      contract.check('post', `${TSR}/jsonrpc`, wrong, 400)
    })
  })

  describe('Timestamp v4', () => {
    it("timestamps hashes with EBSI's timestampId and serves them", async () => {
      const token = await client.token(chain.rootTao, 'timestamp_write')
      const hash = `0x${randomBytes(32).toString('hex')}`
      const receipt = await client.writeOk(
        chain.rootTao,
        'timestamp/v4',
        'timestampHashes',
        { hashAlgorithmIds: [0], hashValues: [hash], timestampData: [utf8ToHex('{"batch":1}')] },
        token,
      )
      const id = timestampIdOf(hash)
      const list = contract.check('get', `${TS}/timestamps`, await client.get(`${TS}/timestamps`), 200)
      expect(list.body.items.map((i: { timestampId: string }) => i.timestampId)).toContain(id)
      const one = contract.check(
        'get',
        `${TS}/timestamps/{timestampId}`,
        await client.get(`${TS}/timestamps/${id}`),
        200,
      )
      expect(one.body).toMatchObject({
        hash,
        timestampedBy: chain.rootTao.address,
        transactionHash: receipt.transactionHash,
        blockNumber: Number(receipt.blockNumber),
      })
      contract.check('get', `${TS}/hash-algorithms`, await client.get(`${TS}/hash-algorithms`), 200)
      contract.check(
        'get',
        `${TS}/hash-algorithms/{hashAlgorithmId}`,
        await client.get(`${TS}/hash-algorithms/0`),
        200,
      )
      contract.check(
        'get',
        `${TS}/hash-algorithms/{hashAlgorithmId}`,
        await client.get(`${TS}/hash-algorithms/99`),
        404,
      )
      contract.check(
        'get',
        `${TS}/timestamps/{timestampId}`,
        await client.get(`${TS}/timestamps/uEiDnothere000000000000000000000000000000000000`),
        404,
      )
      const again = await client.rpc(
        'timestamp/v4',
        'timestampHashes',
        [{ from: chain.rootTao.address, hashAlgorithmIds: [0], hashValues: [hash] }],
        token,
      )
      contract.check('post', `${TS}/jsonrpc`, again, 400)
      const tooMany = await client.rpc(
        'timestamp/v4',
        'timestampHashes',
        [
          {
            from: chain.rootTao.address,
            hashAlgorithmIds: [0, 0, 0, 0],
            hashValues: [hash, hash, hash, hash],
          },
        ],
        token,
      )
      contract.check('post', `${TS}/jsonrpc`, tooMany, 400)
    })
  })

  describe('Ledger v4', () => {
    it('serves receipts, blocks and transactions; refuses other methods', async () => {
      const latest = contract.check(
        'post',
        BESU,
        await client.post(BESU, {
          jsonrpc: '2.0',
          method: 'eth_getBlockByNumber',
          params: ['latest', false],
          id: 1,
        }),
        200,
      )
      const block = latest.body.result
      expect(block.transactions.length).toBeGreaterThan(0)
      const receipt = contract.check(
        'post',
        BESU,
        await client.post(BESU, {
          jsonrpc: '2.0',
          method: 'eth_getTransactionReceipt',
          params: [block.transactions[0]],
          id: 2,
        }),
        200,
      )
      expect(receipt.body.result.blockHash).toBe(block.hash)
      const full = contract.check(
        'post',
        BESU,
        await client.post(BESU, {
          jsonrpc: '2.0',
          method: 'eth_getBlockByNumber',
          params: ['0x0', true],
          id: 3,
        }),
        200,
      )
      expect(full.body.result.parentHash).toBe(`0x${'0'.repeat(64)}`)
      const batch = contract.check(
        'post',
        BESU,
        await client.post(BESU, [
          { jsonrpc: '2.0', method: 'eth_getBlockByNumber', params: ['earliest', false], id: 4 },
          { jsonrpc: '2.0', method: 'eth_getTransactionByHash', params: [block.transactions[0]], id: 5 },
        ]),
        200,
      )
      expect(batch.body).toHaveLength(2)
      const unknown = contract.check(
        'post',
        BESU,
        await client.post(BESU, {
          jsonrpc: '2.0',
          method: 'eth_sendRawTransaction',
          params: ['0x00'],
          id: 6,
        }),
        400,
      )
      expect(unknown.body.error.code).toBe(-32601)
      contract.check(
        'post',
        BESU,
        await client.post(BESU, {
          jsonrpc: '2.0',
          method: 'eth_getTransactionReceipt',
          params: ['0x12'],
          id: 7,
        }),
        400,
      )
    })
  })

  describe('Trusted Policies Registry v3', () => {
    it('serves the operator as a user holding TIR:setAttributeMetadata, and the policies', async () => {
      const users = contract.check('get', `${TPR}/users`, await client.get(`${TPR}/users`), 200)
      expect(users.body.items.map((u: { address: string }) => u.address)).toContain(operator.address)
      const user = contract.check(
        'get',
        `${TPR}/users/{address}`,
        await client.get(`${TPR}/users/${operator.address}`),
        200,
      )
      expect(user.body.attributes['TIR:setAttributeMetadata']).toBe(true)
      contract.check(
        'get',
        `${TPR}/users/{address}`,
        await client.get(`${TPR}/users/${chain.ti.address}`),
        404,
      )
      contract.check('get', `${TPR}/users/{address}`, await client.get(`${TPR}/users/nope`), 400)
      const policies = contract.check('get', `${TPR}/policies`, await client.get(`${TPR}/policies`), 200)
      contract.check(
        'get',
        `${TPR}/policies/{policyName}`,
        await client.get(`${TPR}/policies/${encodeURIComponent(policies.body.items[0].policyName)}`),
        200,
      )
      contract.check('get', `${TPR}/policies/{policyName}`, await client.get(`${TPR}/policies/none`), 404)
    })
  })

  it('serves /openapi.json with every EBSI path, and problem+json for unknown paths', async () => {
    const doc = await client.get('/openapi.json')
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([`${DIDR}/identifiers/{did}`, `${TIR}/jsonrpc`, BESU]),
    )
    const missing = await client.get('/nope')
    expect(missing.status).toBe(404)
    expect(missing.body.instance).toBe(`${client.url}/nope`)
  })

  it('covered every operation the issue lists', () => {
    const skipped = new Set([
      'POST /authorisation/v4/authentication-requests',
      'POST /authorisation/v4/siop-sessions',
      'POST /authorisation/v4/oauth2-sessions',
      'GET /timestamp/v4/records',
      'GET /timestamp/v4/records/{recordId}',
      'GET /timestamp/v4/records/{recordId}/versions',
      'GET /timestamp/v4/records/{recordId}/versions/{versionId}',
      'POST /trusted-policies-registry/v3/jsonrpc',
    ])
    const missing = contract.operations().filter((op) => !skipped.has(op) && !contract.covered.has(op))
    expect(missing).toEqual([])
  })
})
