import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { getResolver as getKeyDidResolver } from '@cef-ebsi/key-did-resolver'
import { createDb, type Db } from '@flora/db'
import { type TestDatabase, tempSqliteDatabase } from '@flora/db/testing'
import { Resolver } from 'did-resolver'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createHolderIdentity,
  createPresentationJwt,
  decodeJwt,
  HolderAgent,
  InMemoryHolderRepository,
  IssuerRefused,
  loadHolderIdentity,
  matchPresentationDefinition,
  type PresentationDefinition,
  verifyEs256,
} from '../../src/holder/index.ts'
import { PrismaKeyStore } from '../../src/keys/index.ts'

let tmp: TestDatabase
let db: Db<'wallet'>
let keys: PrismaKeyStore

beforeAll(async () => {
  tmp = tempSqliteDatabase()
  db = await createDb({ service: 'wallet', url: tmp.url })
  keys = new PrismaKeyStore({ db: db.client, kek: randomBytes(32), owner: 'case-wallet-1' })
})
afterAll(async () => {
  await db?.close()
  await tmp?.dispose()
})

const fakeJwt = (payload: object) => `e30.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.sig`

describe('holder identity', () => {
  it('creates an EBSI natural-person did:key (jwk_jcs-pub, P-256) whose key lives sealed in the key store', async () => {
    const holder = await createHolderIdentity(keys, 'case-42')
    expect(holder.did).toMatch(/^did:key:z2dmzD81cgPx8Vki7JbuuMmFYrWPgYoytykUZ3eyqht1j9Kb/)
    const { didDocument } = await new Resolver(getKeyDidResolver()).resolve(holder.did)
    expect(didDocument?.verificationMethod?.[0]?.publicKeyJwk).toMatchObject({ crv: 'P-256', x: holder.signer.publicKeyJwk.x })
    const row = await db.client.storedKey.findFirst({ where: { owner: 'case-wallet-1', alias: 'case-42' } })
    expect(row?.encryptedPrivateKey).toMatch(/^v1\./)
    const again = await loadHolderIdentity(keys, 'case-42')
    expect(again.did).toBe(holder.did)
    const vp = await createPresentationJwt({ holder: again, credentials: [], audience: 'did:ebsi:zVerifier', nonce: 'n-1' })
    const { header, payload } = decodeJwt(vp)
    expect(header).toMatchObject({ alg: 'ES256', typ: 'JWT', kid: holder.kid })
    expect(payload).toMatchObject({ iss: holder.did, sub: holder.did, aud: 'did:ebsi:zVerifier', nonce: 'n-1' })
    expect(await verifyEs256(vp, holder.signer.publicKeyJwk)).toBe(true)
  })
})

describe('presentation exchange', () => {
  it('matches credentials to EBSI conformance and Dublin definitions', () => {
    const attestation = (type: string) => fakeJwt({ vc: { type: ['VerifiableCredential', 'VerifiableAttestation', type] } })
    const held = [attestation('DublinRequestMilestone'), attestation('Other'), attestation('DublinReplyMilestone')]
    const conformance: PresentationDefinition = {
      id: 'pd',
      input_descriptors: ['a', 'b', 'c'].map((id) => ({
        id,
        constraints: { fields: [{ path: ['$.vc.type'], filter: { type: 'array', contains: { const: 'VerifiableAttestation' } } }] },
      })),
    }
    expect(matchPresentationDefinition(conformance, held)).toMatchObject({ satisfied: true, selected: [{ indexes: [0] }, { indexes: [1] }, { indexes: [2] }] })
    const dublin: PresentationDefinition = {
      id: 'dublin',
      input_descriptors: [
        { id: 'm', 'x-flora-cardinality': 'all', constraints: { fields: [{ path: ['$.vc.type'], filter: { type: 'array', contains: { type: 'string', pattern: 'Milestone$' } } }] } },
      ],
    }
    expect(matchPresentationDefinition(dublin, held).selected).toEqual([{ descriptorId: 'm', indexes: [0, 2] }])
    expect(matchPresentationDefinition(dublin, [attestation('Other')])).toMatchObject({ satisfied: false, missing: ['m'] })
  })
})

/** A minimal OpenID4VCI issuer in both profiles, checking what a real one checks. */
function mockIssuer(): { start(): Promise<string>; stop(): Promise<void>; issued: string[]; proofs: Record<string, unknown>[] } {
  let server: Server
  let base = ''
  const issued: string[] = []
  const proofs: Record<string, unknown>[] = []
  const nonces = new Set<string>()
  const fresh = () => {
    const n = randomBytes(8).toString('hex')
    nonces.add(n)
    return n
  }
  let deferredPolls = 0
  const read = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let data = ''
      req.on('data', (c) => (data += c))
      req.on('end', () => resolve(data))
    })
  return {
    issued,
    proofs,
    async start() {
      server = createServer(async (req, res) => {
        const send = (status: number, body: unknown) => {
          res.writeHead(status, { 'content-type': 'application/json' })
          res.end(JSON.stringify(body))
        }
        const url = req.url ?? ''
        const profile = url.startsWith('/v1') ? 'v1' : 'ebsi-v3'
        const issuer = `${base}/${profile === 'v1' ? 'v1' : 'd11'}`
        const body = await read(req)
        if (url.endsWith('/.well-known/openid-credential-issuer'))
          return send(200, profile === 'v1'
            ? { credential_issuer: issuer, authorization_servers: [issuer], credential_endpoint: `${issuer}/credential`, nonce_endpoint: `${issuer}/nonce`, credential_configurations_supported: { DublinReplyMilestone: { format: 'jwt_vc_json' } } }
            : { credential_issuer: issuer, authorization_server: issuer, credential_endpoint: `${issuer}/credential`, deferred_credential_endpoint: `${issuer}/credential_deferred`, credentials_supported: [{ id: 'DublinReplyMilestone', format: 'jwt_vc', types: ['VerifiableCredential', 'VerifiableAttestation', 'DublinReplyMilestone'] }] })
        if (url.includes('/.well-known/')) return send(200, { issuer, token_endpoint: `${issuer}/token` })
        if (url.endsWith('/token')) {
          const form = new URLSearchParams(body)
          const code = form.get(profile === 'v1' ? 'tx_code' : 'user_pin')
          if (form.get('pre-authorized_code') !== 'code-1') return send(400, { error: 'invalid_grant' })
          if (code !== '1234') return send(400, { error: 'invalid_grant', error_description: 'wrong transaction code' })
          return send(200, { access_token: 'at-1', token_type: 'Bearer', ...(profile === 'ebsi-v3' ? { c_nonce: fresh() } : {}) })
        }
        if (url.endsWith('/nonce')) return send(200, { c_nonce: fresh() })
        if (url.endsWith('/credential_deferred')) {
          if (req.headers.authorization !== 'Bearer acc-1') return send(401, { error: 'invalid_token' })
          if (deferredPolls++ < 1) return send(400, { error: 'issuance_pending', interval: 0 })
          return send(200, { format: 'jwt_vc', credential: 'deferred.jwt.vc', anchoring: { leaf: '00', leafIndex: 0, treeSize: 1, proof: [], root: '0x00' } })
        }
        if (url.endsWith('/credential')) {
          if (req.headers.authorization !== 'Bearer at-1') return send(401, { error: 'invalid_token' })
          const request = JSON.parse(body) as { proof?: { jwt: string }; proofs?: { jwt: string[] }; types?: string[] }
          const jwt = request.proof?.jwt ?? request.proofs?.jwt[0]
          const { header, payload } = decodeJwt(jwt!)
          proofs.push({ header, payload })
          if (header.typ !== 'openid4vci-proof+jwt') return send(400, { error: 'invalid_proof', error_description: 'typ' })
          if (payload.aud !== issuer) return send(400, { error: 'invalid_proof', error_description: 'aud' })
          if (!nonces.delete(String(payload.nonce))) return send(400, { error: 'invalid_nonce' })
          const holderJwk = (await new Resolver(getKeyDidResolver()).resolve(String(header.kid).split('#')[0]!)).didDocument?.verificationMethod?.[0]?.publicKeyJwk
          if (!holderJwk || !(await verifyEs256(jwt!, holderJwk as Record<string, unknown>))) return send(400, { error: 'invalid_proof', error_description: 'signature' })
          if (profile === 'ebsi-v3' && request.types?.includes('Deferred')) return send(200, { acceptance_token: 'acc-1', c_nonce: fresh() })
          const credential = fakeJwt({ iss: 'did:ebsi:zIssuer', jti: `urn:uuid:${issued.length}`, vc: { type: ['VerifiableCredential', 'VerifiableAttestation', 'DublinReplyMilestone'] } })
          issued.push(credential)
          return profile === 'v1'
            ? send(200, { credentials: [{ credential }], anchoring_uri: `${base}/anchoring/1` })
            : send(200, { format: 'jwt_vc', credential, c_nonce: fresh(), anchoring_uri: `${base}/anchoring/1` })
        }
        if (url.endsWith('/anchoring/1')) return send(200, { state: 'anchored', leaf: 'aa', leafIndex: 0, treeSize: 1, proof: [], root: '0xaa' })
        send(404, { error: 'not_found' })
      })
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      return base
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

describe('OpenID4VCI redemption (pre-authorised code + transaction code)', () => {
  const issuer = mockIssuer()
  let base = ''
  beforeAll(async () => {
    base = await issuer.start()
  })
  afterAll(() => issuer.stop())

  const agent = () =>
    new HolderAgent({ keys, repository: new InMemoryHolderRepository(), resolveDid: async () => undefined })

  it('OpenID4VCI 1.0: tx_code, nonce endpoint, proof JWT bound to the did:key; stored with its anchoring URI', async () => {
    const a = agent()
    const holder = await a.createIdentity()
    const offer = `openid-credential-offer://?credential_offer=${encodeURIComponent(
      JSON.stringify({ credential_issuer: `${base}/v1`, credential_configuration_ids: ['DublinReplyMilestone'], grants: { 'urn:ietf:params:oauth:grant-type:pre-authorized_code': { 'pre-authorized_code': 'code-1', tx_code: { length: 4 } } } }),
    )}`
    const stored = await a.redeemOffer(holder, offer, '1234')
    expect(stored).toHaveLength(1)
    expect(stored[0]!.anchoringUri).toBe(`${base}/anchoring/1`)
    expect(issuer.proofs.at(-1)).toMatchObject({ header: { typ: 'openid4vci-proof+jwt', alg: 'ES256', kid: holder.kid }, payload: { aud: `${base}/v1` } })
    expect(await a.refreshInclusionProofs(holder.did)).toBe(1)
    expect((await a.options.repository.list(holder.did))[0]!.inclusionProof?.root).toBe('0xaa')
  })

  it('EBSI conformance v3 (draft 11): user_pin, c_nonce from the token response, deferred with acceptance_token', async () => {
    const a = agent()
    const holder = await a.createIdentity()
    const offer = { credential_issuer: `${base}/d11`, credentials: ['DublinReplyMilestone'], grants: { 'urn:ietf:params:oauth:grant-type:pre-authorized_code': { 'pre-authorized_code': 'code-1', user_pin_required: true } } }
    expect(await a.redeemOffer(holder, offer, '1234')).toHaveLength(1)
    const deferred = { ...offer, credentials: [{ format: 'jwt_vc', types: ['VerifiableCredential', 'Deferred'] }] }
    const [credential] = await a.redeemOffer(holder, deferred, '1234')
    expect(credential!.jwt).toBe('deferred.jwt.vc')
    expect(credential!.inclusionProof?.root).toBe('0x00')
  })

  it('a wrong transaction code is refused', async () => {
    const a = agent()
    const holder = await a.createIdentity()
    const offer = { credential_issuer: `${base}/v1`, credential_configuration_ids: ['DublinReplyMilestone'], grants: { 'urn:ietf:params:oauth:grant-type:pre-authorized_code': { 'pre-authorized_code': 'code-1' } } }
    await expect(a.redeemOffer(holder, offer, '0000')).rejects.toBeInstanceOf(IssuerRefused)
  })
})
