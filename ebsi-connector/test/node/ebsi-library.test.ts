import { randomUUID } from 'node:crypto'
import { tempSqliteDatabase } from '@flora/db/testing'
import { metadata as attestationSchema } from '@cef-ebsi/vcdm1.1-attestation-schema'
import { verifyCredentialJwt } from '@cef-ebsi/verifiable-credential'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LedgerTestClient } from './helpers/ledger-client.ts'
import { newOperator, startNode, testConfig } from './helpers/node-under-test.ts'
import { bootstrapTrustChain, type TrustChain } from './helpers/trust-chain.ts'
import { signCompactJws } from './helpers/actor.ts'

/**
 * What EBSI's own verification library (@cef-ebsi/verifiable-credential 5.5.0) queries — DID
 * documents, the TIR attribute of `termsOfUse` — is served by this node in the shapes it expects.
 * (The full acceptance with schemas from the TSR and StatusList2021 via a proxy is the client's.)
 */
describe('@cef-ebsi/verifiable-credential against the node', () => {
  const database = tempSqliteDatabase()
  const operator = newOperator()
  let client: LedgerTestClient
  let close: () => Promise<void>
  let chain: TrustChain

  beforeAll(async () => {
    const { node, url } = await startNode(testConfig(database.url, operator))
    close = () => node.close()
    client = new LedgerTestClient(url)
    chain = await bootstrapTrustChain(client, operator)
  }, 60_000)
  afterAll(async () => {
    await close?.()
    await database.dispose()
  })

  const options = () => {
    const host = new URL(client.url).host
    return {
      ebsiAuthority: host,
      trustedHostnames: [new URL(client.url).hostname],
      ebsiEnvConfig: {
        didRegistry: `${client.url}/did-registry/v5/identifiers`,
        trustedIssuersRegistry: `${client.url}/trusted-issuers-registry/v5/issuers`,
        trustedPoliciesRegistry: `${client.url}/trusted-policies-registry/v3/users`,
      },
    }
  }

  /** `attributeId` in the termsOfUse URL as given (the library memoises GETs per URL). */
  async function issue(attributeId: string): Promise<string> {
    const now = Math.floor(Date.now() / 1000)
    const id = `urn:uuid:${randomUUID()}`
    const iso = new Date(now * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')
    const vc = {
      '@context': ['https://www.w3.org/2018/credentials/v1'],
      id,
      type: ['VerifiableCredential', 'VerifiableAttestation', 'AsylumProcedureMilestone'],
      issuer: chain.ti.did,
      issuanceDate: iso,
      issued: iso,
      validFrom: iso,
      credentialSubject: {
        id: 'did:key:z2dmzD81cgPx8Vki7JbuuMmFYrWPgYoytykUZ3eyqht1j9KbsEYvdrjxMjQ4tpnje9BDBTzuNDP3knn6qLZErzd4bJ5go2CChoPjd5GAH3zpFJP5fuwSk66U5Pq6EhF4nKnHzDnznEP8fX99nZGgwbAh1o7Gj1X52Tdhf7U4KTk66xsA5r',
      },
      credentialSchema: {
        id: `${client.url}/trusted-schemas-registry/v3/schemas/${attestationSchema.id.multibase_base58btc}`,
        type: 'FullJsonSchemaValidator2021',
      },
      termsOfUse: {
        id: `${client.url}/trusted-issuers-registry/v5/issuers/${chain.ti.did}/attributes/${attributeId}`,
        type: 'IssuanceCertificate',
      },
    }
    return signCompactJws(
      { alg: 'ES256', typ: 'JWT', kid: `${chain.ti.did}#${chain.ti.p256Kid}` },
      { iss: chain.ti.did, sub: vc.credentialSubject.id, jti: id, iat: now, nbf: now, vc },
      chain.ti.p256,
    )
  }

  it('verifies a VC of an accredited TI, and refuses it once the accreditation is revoked', async () => {
    const jwt = await issue(chain.tiAttributeId.slice(2))
    const verified = await verifyCredentialJwt(jwt, {
      ...options(),
      skipCredentialSubjectValidation: true,
      skipStatusValidation: true,
    })
    expect(verified.issuer).toBe(chain.ti.did)

    const token = await client.token(chain.rootTao, 'tir_write')
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
      token,
    )
    await expect(
      verifyCredentialJwt(await issue(chain.tiAttributeId), {
        ...options(),
        skipCredentialSubjectValidation: true,
        skipStatusValidation: true,
      }),
    ).rejects.toThrow(/Revoked/)
  })
})
