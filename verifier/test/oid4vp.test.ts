import { createEurodacCommitment } from '@flora/credentials'
import {
  answerPresentationRequest,
  declinePresentationRequest,
  type DidDocumentLike,
  PresentationRequestRejected,
  receivePresentationRequest,
  type StoredCredential,
} from '@flora/ebsi-connector/holder'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { VerificationReport } from '../src/index.ts'
import { startVerifier, type VerifierUnderTest } from './support/harness.ts'
import { CASE_5, didDocument, hashOf, TestWorld } from './support/world.ts'

let world: TestWorld
let verifier: VerifierUnderTest
let auth: Record<string, string>

const resolveDid = async (did: string) => {
  const response = await fetch(`${world.base}/did-registry/v5/identifiers/${encodeURIComponent(did)}`)
  return response.ok ? ((await response.json()) as DidDocumentLike) : undefined
}

beforeAll(async () => {
  world = await new TestWorld().start()
  verifier = await startVerifier(world, { FLORA_VERIFIER_STATUS_MAX_AGE_SECONDS: '0' })
  auth = { authorization: `Bearer ${verifier.token}`, 'content-type': 'application/json' }
  // The operator onboarded the verifier's did:ebsi: its document is on the ledger.
  const identity = verifier.services.identity
  world.ledger.setDid(identity.did, didDocument(identity.did, identity.controller, [identity.assertion]))
})
afterAll(async () => {
  await verifier?.close()
  await world?.stop()
})

async function createRequest(body: Record<string, unknown> = {}) {
  const response = await fetch(`${verifier.url}/presentation-requests`, { method: 'POST', headers: auth, body: JSON.stringify(body) })
  expect(response.status).toBe(201)
  return (await response.json()) as { id: string; authorizationRequest: string; requestUri: string }
}

async function caseWallet(types = CASE_5, options: { eurodac?: string } = {}) {
  const holder = world.holder()
  const jwts: string[] = []
  let previous: string | null = null
  for (const type of types) {
    const commitment = options.eurodac ? await createEurodacCommitment(options.eurodac, crypto.getRandomValues(new Uint8Array(16))) : undefined
    const { jwt } = await world.issue({ type, holder: holder.did, previous, ...(commitment ? { eurodacCommitment: commitment } : {}) })
    jwts.push(jwt)
    previous = hashOf(jwt)
  }
  const proofs = world.anchor(jwts)
  const credentials: StoredCredential[] = jwts.map((jwt, i) => ({
    id: `c${i}`,
    holderDid: holder.did,
    jwt,
    types: ['VerifiableCredential', 'VerifiableAttestation', types[i]!],
    issuer: world.ti.did,
    receivedAt: new Date(),
    inclusionProof: proofs[i]!,
  }))
  return { holder, credentials }
}

describe('OpenID4VP (EBSI conformance v3 profile) with the holder module', () => {
  it('request by reference, signed by the verifier DID; the wallet shows who asks; direct_post; redirect with code; Dublin report', async () => {
    const request = await createRequest({ eurodacReference: 'DE1234567890' })
    const { holder, credentials } = await caseWallet(CASE_5, { eurodac: 'DE 1234567890' })
    const received = await receivePresentationRequest(request.authorizationRequest, { resolveDid })
    expect(received.verifier).toEqual({ did: verifier.services.identity.did, name: expect.stringContaining('Dublin') })
    expect(received.responseMode).toBe('direct_post')
    const answer = await answerPresentationRequest({ request: received, holder, credentials })
    expect(answer.error).toBeUndefined()
    expect(answer.redirectUri).toMatch(/^openid:\/\/\?code=/)
    expect(answer.code).toBeTruthy()
    const status = (await (await fetch(`${verifier.url}/presentation-requests/${request.id}`, { headers: auth })).json()) as {
      status: string
      reportId: string
    }
    expect(status.status).toBe('answered')
    const report = (await (await fetch(`${verifier.url}/reports/${status.reportId}`, { headers: auth })).json()) as VerificationReport
    expect(report.verdict).toBe('valid')
    expect(report.credentials).toHaveLength(5)
    expect(report.presentationSteps.map((s) => [s.step, s.outcome])).toEqual([
      ['holder-binding', 'passed'],
      ['case-consistency', 'passed'],
      ['subject-binding', 'passed'],
      ['dublin', 'passed'],
    ])
    expect(report.assessment?.ruleSet).toBe('DUBLIN_III')
    expect(report.assessment?.explanation.length).toBeGreaterThan(0)
    expect(report.facts.map((f) => f.fact)).toEqual(expect.arrayContaining(['/reply', '/requestSent', '/eurodacHit']))
    expect(report.facts.every((f) => f.source === 'credential')).toBe(true)
    // Facts no credential established stay absent.
    expect(report.facts.map((f) => f.fact)).not.toContain('/transferExecuted')
    // Trust evidence is listed once and referred to from every credential's steps.
    const details = (step: string) => report.credentials.map((c) => c.steps.find((s) => s.step === step)!.details)
    for (const d of details('accreditation')) expect(report.evidence.accreditationChains[d.chain as number]?.links.length).toBeGreaterThan(1)
    for (const d of details('anchoring')) expect(report.evidence.anchors[d.anchor as number]?.root).toMatch(/^0x[0-9a-f]{64}$/)
    for (const d of details('status'))
      for (const entry of d.entries as { list: number }[]) expect(report.evidence.statusLists[entry.list]?.url).toContain('/proxies/')
    expect(report.evidence.accreditationChains.length).toBeLessThan(report.credentials.length)
    // The answered request cannot be answered again.
    const again = await answerPresentationRequest({ request: received, holder, credentials })
    expect(again.error).toBe('invalid_request')
    // Reports in three languages, stating that they support but do not replace DubliNet.
    for (const [lang, phrase] of [
      ['fr', 'ne le remplace pas'],
      ['de', 'ersetzt ihn aber nicht'],
      ['en', 'does not replace the DubliNet exchange'],
    ] as const) {
      const html = await (await fetch(`${verifier.url}/reports/${report.id}?format=html&lang=${lang}`, { headers: auth })).text()
      expect(html).toContain(phrase)
      expect(html).toContain(`lang="${lang}"`)
      expect(html).toContain(report.evidence.anchors[0]!.root as string)
    }
    const exported = await fetch(`${verifier.url}/reports/${report.id}/export?format=json`, { headers: auth })
    expect(exported.headers.get('content-disposition')).toContain('attachment')
    const list = (await (await fetch(`${verifier.url}/reports`, { headers: auth })).json()) as { items: { id: string }[] }
    expect(list.items.map((i) => i.id)).toContain(report.id)
    // The verification log holds no personal data: no DID of the holder, no claim, no Eurodac number.
    const log = await (await fetch(`${verifier.url}/verification-log`, { headers: auth })).text()
    expect(log).not.toContain(holder.did)
    expect(log).not.toContain('1234567890')
    expect(log).not.toContain('acceptance')
    const stored = await verifier.db.client.presentationRequest.findUnique({ where: { id: request.id } })
    expect(stored?.eurodacReference).toBeNull() // erased once verified
  })

  it('a wrong Eurodac reference fails the subject binding; the wallet is redirected with an error', async () => {
    const request = await createRequest({ eurodacReference: 'FR9999999999' })
    const { holder, credentials } = await caseWallet(CASE_5.slice(0, 3), { eurodac: 'DE1234567890' })
    const received = await receivePresentationRequest(request.authorizationRequest, { resolveDid })
    const answer = await answerPresentationRequest({ request: received, holder, credentials })
    expect(answer.error).toBe('invalid_request')
    expect(answer.errorDescription).toContain('subject-binding')
  })

  it('an expired credential: redirect with error, report kept', async () => {
    const request = await createRequest({ definition: 'ebsi-conformance' })
    const holder = world.holder()
    const jwts = await Promise.all(
      [0, 1, 2].map(async (i) =>
        (
          await world.issue({
            type: 'DublinReplyMilestone',
            holder: holder.did,
            previous: i === 0 ? null : undefined,
            ...(i === 2 ? { issuedAt: new Date(Date.now() - 5 * 86_400_000), expirationDate: new Date(Date.now() - 86_400_000) } : {}),
          })
        ).jwt,
      ),
    )
    const proofs = world.anchor(jwts)
    const credentials = jwts.map((jwt, i) => ({ id: `e${i}`, holderDid: holder.did, jwt, types: [], issuer: world.ti.did, receivedAt: new Date(), inclusionProof: proofs[i]! }))
    const received = await receivePresentationRequest(request.authorizationRequest, { resolveDid })
    expect(received.definition.input_descriptors).toHaveLength(3)
    const answer = await answerPresentationRequest({ request: received, holder, credentials })
    expect(answer.error).toBe('invalid_request')
    const status = (await (await fetch(`${verifier.url}/presentation-requests/${request.id}`, { headers: auth })).json()) as { status: string; reportId: string }
    expect(status.status).toBe('failed')
    expect(status.reportId).toBeTruthy()
  })

  it('the holder declines: access_denied', async () => {
    const request = await createRequest()
    const received = await receivePresentationRequest(request.authorizationRequest, { resolveDid })
    const answer = await declinePresentationRequest(received)
    expect(answer.error).toBe('access_denied')
  })

  it('the wallet rejects a request object not signed by the client_id DID', async () => {
    const request = await createRequest()
    const impostor = world.entity()
    const fakeResolve = async (did: string) =>
      did === verifier.services.identity.did ? (didDocument(did, impostor.controller, [impostor.assertion]) as DidDocumentLike) : undefined
    await expect(receivePresentationRequest(request.authorizationRequest, { resolveDid: fakeResolve })).rejects.toBeInstanceOf(
      PresentationRequestRejected,
    )
  })
})
