import { type TestDatabase, tempPostgresDatabase, tempSqliteDatabase } from '@flora/db/testing'
import {
  answerPresentationRequest,
  type DidDocumentLike,
  receivePresentationRequest,
  type StoredCredential,
} from '@flora/ebsi-connector/holder'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { VerificationReport } from '../../src/index.ts'
import { startVerifier, type VerifierUnderTest } from '../support/harness.ts'
import { CASE_5, didDocument, TestWorld } from '../support/world.ts'

// A nonce the verifier hands out serves one purpose: the OpenID4VP request it was created with, or
// the direct API (POST /nonces). Presented anywhere else it is refused — and not used up, so the
// purpose it belongs to still works. Otherwise staff could spend an OpenID4VP request's nonce through
// the direct API (with a VP meant for that request, the wallet's answer then fails as a replay), and
// a presentation made for one channel would count in the other.

let world: TestWorld

beforeAll(async () => {
  world = await new TestWorld().start()
})
afterAll(async () => {
  await world?.stop()
})

describe.each([
  ['SQLite', async () => tempSqliteDatabase()],
  ['PostgreSQL', async () => tempPostgresDatabase()],
])('nonces are bound to their purpose (%s)', (_provider, newDatabase) => {
  let database: TestDatabase
  let verifier: VerifierUnderTest
  let auth: Record<string, string>

  beforeAll(async () => {
    database = await newDatabase()
    verifier = await startVerifier(world, { FLORA_VERIFIER_DATABASE_URL: database.url })
    auth = { authorization: `Bearer ${verifier.token}`, 'content-type': 'application/json' }
    const identity = verifier.services.identity
    world.ledger.setDid(identity.did, didDocument(identity.did, identity.controller, [identity.assertion]))
  })
  afterAll(async () => {
    await verifier?.close()
    await database?.dispose()
  })

  const resolveDid = async (did: string) => {
    const response = await fetch(`${world.base}/did-registry/v5/identifiers/${encodeURIComponent(did)}`)
    return response.ok ? ((await response.json()) as DidDocumentLike) : undefined
  }

  async function caseWallet() {
    const holder = world.holder()
    const jwts = await world.issueCase(holder.did, CASE_5)
    const proofs = world.anchor(jwts)
    const credentials: StoredCredential[] = jwts.map((jwt, i) => ({
      id: `c${i}`,
      holderDid: holder.did,
      jwt,
      types: ['VerifiableCredential', 'VerifiableAttestation', CASE_5[i]!],
      issuer: world.ti.did,
      receivedAt: new Date(),
      inclusionProof: proofs[i]!,
    }))
    return { holder, jwts, proofs, credentials }
  }

  async function openRequest() {
    const response = await fetch(`${verifier.url}/presentation-requests`, { method: 'POST', headers: auth, body: '{}' })
    expect(response.status).toBe(201)
    const created = (await response.json()) as { id: string; authorizationRequest: string }
    return { id: created.id, received: await receivePresentationRequest(created.authorizationRequest, { resolveDid }) }
  }

  async function verifyDirect(vp: string): Promise<VerificationReport> {
    const response = await verifier.verify(vp)
    expect(response.status).toBe(201)
    return (await response.json()) as VerificationReport
  }

  const holderBinding = (report: VerificationReport) => report.presentationSteps.find((s) => s.step === 'holder-binding')!

  it("an OpenID4VP request's nonce is refused by the direct API, and the wallet's answer still goes through", async () => {
    const { id, received } = await openRequest()
    const wallet = await caseWallet()
    // a VP made for the request (its nonce, the verifier as audience) handed to the direct API
    const vp = await world.presentation(wallet.holder, wallet.jwts, wallet.proofs, verifier.services.identity.did, received.nonce)
    const direct = await verifyDirect(vp)
    expect(holderBinding(direct)).toMatchObject({ outcome: 'failed', reason: 'nonce-unknown' })
    expect(direct.verdict).toBe('invalid')

    const answer = await answerPresentationRequest({ request: received, holder: wallet.holder, credentials: wallet.credentials })
    expect(answer.error, answer.errorDescription).toBeUndefined()
    expect(answer.code).toBeTruthy()
    const status = (await (await fetch(`${verifier.url}/presentation-requests/${id}`, { headers: auth })).json()) as { status: string }
    expect(status.status).toBe('answered')
  })

  it("a direct-API nonce is refused as an OpenID4VP request's answer, and still serves the direct API", async () => {
    const { received } = await openRequest()
    const wallet = await caseWallet()
    const directNonce = await verifier.nonce()
    const answer = await answerPresentationRequest({
      request: { ...received, nonce: directNonce },
      holder: wallet.holder,
      credentials: wallet.credentials,
    })
    expect(answer.error).toBe('invalid_request')
    expect(answer.errorDescription).toContain('holder-binding')

    const vp = await world.presentation(wallet.holder, wallet.jwts, wallet.proofs, verifier.services.identity.did, directNonce)
    const direct = await verifyDirect(vp)
    expect(holderBinding(direct)).toMatchObject({ outcome: 'passed' })
    expect(direct.verdict).toBe('valid')
    // …once
    const again = await verifyDirect(vp)
    expect(holderBinding(again)).toMatchObject({ outcome: 'failed', reason: 'nonce-replayed' })
  })
})
