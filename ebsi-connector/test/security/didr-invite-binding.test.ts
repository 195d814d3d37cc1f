import { type TestDatabase, tempPostgresDatabase, tempSqliteDatabase } from '@flora/db/testing'
import { verifyCredentialJwt } from '@cef-ebsi/verifiable-credential'
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  buildUnsignedTransaction,
  encodeRegistryCall,
  REGISTRY_ADDRESSES,
  utf8ToHex,
} from '../../src/core/index.ts'
import { Actor } from '../node/helpers/actor.ts'
import { LedgerTestClient } from '../node/helpers/ledger-client.ts'
import { newOperator, startNode, testConfig } from '../node/helpers/node-under-test.ts'
import { bootstrapTrustChain, type TrustChain } from '../node/helpers/trust-chain.ts'

/**
 * A VerifiableAuthorisationToOnboard travels as a file (bundle, HTTP body, log). Whoever holds it
 * must not be able to register the DID it names with a key of their own: the authorisation names
 * the controller key (`cnf.jwk`), the didr_invite VP must be signed by that key and expire soon,
 * and insertDidDocument under that token inserts that key and no other.
 */

const backends: [string, () => TestDatabase | Promise<TestDatabase>][] = [
  ['SQLite', () => tempSqliteDatabase()],
  ['PostgreSQL', () => tempPostgresDatabase()],
]

const BASE_DOCUMENT = JSON.stringify({
  '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/suites/jws-2020/v1'],
})
const validity = () => ({
  notBefore: Math.floor(Date.now() / 1000) - 60,
  notAfter: Math.floor(Date.now() / 1000) + 365 * 86400,
})

describe.each(backends)('didr_invite is bound to the controller key the authorisation names (%s)', (_name, makeDatabase) => {
  let database: TestDatabase
  let client: LedgerTestClient
  let close: () => Promise<void>
  let chain: TrustChain

  beforeAll(async () => {
    database = await makeDatabase()
    const operator = newOperator()
    const { node, url } = await startNode(testConfig(database.url, operator))
    close = () => node.close()
    client = new LedgerTestClient(url)
    chain = await bootstrapTrustChain(client, operator)
  }, 90_000)
  afterAll(async () => {
    await close?.()
    await database?.dispose()
  })

  const isRegistered = async (did: string) =>
    (await client.get(`/did-registry/v5/identifiers/${encodeURIComponent(did)}`)).status === 200

  it('refuses a VP signed by a key other than the named controller key (a thief holding the file)', async () => {
    const subject = new Actor('subject')
    const authorisation = await chain.rootTao.issueOnboardingVc(subject)
    // the thief presents the stolen authorisation for the subject's DID, signing with its own key
    const thief = new Actor('thief', subject.did)
    const refused = await client.requestToken(thief, 'didr_invite', [authorisation])
    expect(refused.status).toBe(400)
    expect(refused.body.code).toBe('ERR_PRESENTATION_INVALID')
    // …also when it writes the named key's id into the header
    const vp = await thief.vp(`${client.url}/authorisation/v4`, [authorisation])
    const [header, payload, signature] = vp.split('.') as [string, string, string]
    const forgedHeader = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(header, 'base64url').toString()), kid: `${subject.did}#${subject.secpKid}` }),
    ).toString('base64url')
    const forged = await client.requestToken(thief, 'didr_invite', [authorisation], {
      vp: `${forgedHeader}.${payload}.${signature}`,
    })
    expect(forged.status).toBe(400)
    expect(forged.body.detail).toMatch(/signature/)
    expect(await isRegistered(subject.did)).toBe(false)
  })

  it('refuses an authorisation to onboard that names no controller key', async () => {
    const subject = new Actor('unbound')
    const unbound = await chain.rootTao.issueVc(subject.did, ['VerifiableAuthorisationToOnboard'])
    const refused = await client.requestToken(subject, 'didr_invite', [unbound])
    expect(refused.status).toBe(400)
    expect(refused.body.detail).toMatch(/controller key/)
  })

  it('refuses a didr_invite VP without "exp", or valid for longer than five minutes', async () => {
    const subject = new Actor('no-exp')
    const authorisation = await chain.rootTao.issueOnboardingVc(subject)
    const noExp = await client.requestToken(subject, 'didr_invite', [authorisation], { lifetimeSeconds: null })
    expect(noExp.status).toBe(400)
    expect(noExp.body.detail).toMatch(/"exp"/)
    const longLived = await client.requestToken(subject, 'didr_invite', [authorisation], {
      lifetimeSeconds: 3600,
    })
    expect(longLived.status).toBe(400)
    expect(longLived.body.detail).toMatch(/lifetime/)
  })

  it('refuses insertDidDocument under a didr_invite token that inserts another key, at build and at send', async () => {
    const subject = new Actor('subject-2')
    const token = await client.token(subject, 'didr_invite', [await chain.rootTao.issueOnboardingVc(subject)])
    // whoever holds the token (leaked bearer) tries to register the DID with its own key
    const other = new Actor('other', subject.did)
    const params = {
      from: other.address,
      did: subject.did,
      baseDocument: BASE_DOCUMENT,
      vMethodId: other.secpKid,
      publicKey: other.wallet.signingKey.publicKey,
      isSecp256k1: true,
      ...validity(),
    }
    const build = await client.rpc('did-registry/v5', 'insertDidDocument', [params], token)
    expect(build.status).toBe(403)
    expect(build.body.code).toBe('ERR_NOT_AUTHORISED')
    // the same transaction built by hand (the node's build is only a convenience) is refused at send
    const unsigned = buildUnsignedTransaction({
      from: other.address,
      to: REGISTRY_ADDRESSES['did-registry'],
      data: encodeRegistryCall('did-registry', 'insertDidDocument', {
        ...params,
        baseDocument: utf8ToHex(BASE_DOCUMENT),
      }),
      nonce: 0,
      chainId: 0x181f,
    })
    const sent = await client.send('did-registry/v5', other.sign(unsigned), token)
    expect(sent.status).toBe(403)
    expect(sent.body.code).toBe('ERR_NOT_AUTHORISED')
    expect(await isRegistered(subject.did)).toBe(false)
  })

  it('still onboards the legitimate subject: VP signed by the named key, inserting that key', async () => {
    const subject = new Actor('legitimate')
    const granted = await client.requestToken(subject, 'didr_invite', [await chain.rootTao.issueOnboardingVc(subject)])
    expect(granted.status).toBe(200)
    expect(decodeJwt(granted.body.access_token as string).cnf).toEqual({ jkt: subject.secpKid })
    const receipt = await client.writeOk(
      subject,
      'did-registry/v5',
      'insertDidDocument',
      {
        did: subject.did,
        baseDocument: BASE_DOCUMENT,
        vMethodId: subject.secpKid,
        publicKey: subject.wallet.signingKey.publicKey,
        isSecp256k1: true,
        ...validity(),
      },
      granted.body.access_token as string,
    )
    expect(receipt.status).toBe('0x1')
    const document = await client.get(`/did-registry/v5/identifiers/${encodeURIComponent(subject.did)}`)
    expect(document.body.capabilityInvocation).toEqual([`${subject.did}#${subject.secpKid}`])
  })

  it("EBSI's verification library accepts the bound authorisation as it accepts an unbound one", async () => {
    const subject = new Actor('library')
    const options = {
      ebsiAuthority: new URL(client.url).host,
      trustedHostnames: [new URL(client.url).hostname],
      ebsiEnvConfig: {
        didRegistry: `${client.url}/did-registry/v5/identifiers`,
        trustedIssuersRegistry: `${client.url}/trusted-issuers-registry/v5/issuers`,
        trustedPoliciesRegistry: `${client.url}/trusted-policies-registry/v3/users`,
      },
    }
    const verdict = (jwt: string) =>
      verifyCredentialJwt(jwt, options as Parameters<typeof verifyCredentialJwt>[1]).then(
        () => 'valid',
        (error: Error) => `${error.name}: ${error.message}`,
      )
    const bound = await verdict(await chain.rootTao.issueOnboardingVc(subject))
    const unbound = await verdict(await chain.rootTao.issueVc(subject.did, ['VerifiableAuthorisationToOnboard']))
    expect(unbound).toBe('valid')
    expect(bound).toBe(unbound)
  })
})
