import { answerPresentationRequest, type DidDocumentLike, receivePresentationRequest } from '@flora/ebsi-connector/holder'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { VerificationReport } from '../src/index.ts'
import { startVerifier, type VerifierUnderTest } from './support/harness.ts'
import { didDocument, TestWorld } from './support/world.ts'

// Without an explicit asOf, an OpenID4VP request fixes today when the officer creates it: a wallet
// answering after midnight does not move the assessment to the next day.

let world: TestWorld
let verifier: VerifierUnderTest
/** The verification clock: one minute before today's UTC midnight while the request is created, then real. */
let clock: () => number = Date.now

beforeAll(async () => {
  world = await new TestWorld().start()
  verifier = await startVerifier(world, { FLORA_VERIFIER_STATUS_MAX_AGE_SECONDS: '0', FLORA_VERIFIER_TIME_ZONE: 'UTC' }, undefined, {
    now: () => clock(),
  })
  const identity = verifier.services.identity
  world.ledger.setDid(identity.did, didDocument(identity.did, identity.controller, [identity.assertion]))
})
afterAll(async () => {
  await verifier?.close()
  await world?.stop()
})

it('asOf is fixed when the request is created (today then), stated in the report, not the day the answer arrives', async () => {
  const today = new Date().toISOString().slice(0, 10)
  const midnight = Date.parse(`${today}T00:00:00.000Z`)
  const yesterday = new Date(midnight - 86_400_000).toISOString().slice(0, 10)
  const auth = { authorization: `Bearer ${verifier.token}`, 'content-type': 'application/json' }
  clock = () => midnight - 60_000
  const created = (await (await fetch(`${verifier.url}/presentation-requests`, { method: 'POST', headers: auth, body: '{}' })).json()) as {
    id: string
    authorizationRequest: string
    asOf: string
  }
  expect(created.asOf).toBe(yesterday)
  clock = Date.now // the wallet answers after midnight
  const holder = world.holder()
  // issued before the request was created
  const { jwt } = await world.issue({ type: 'DublinRequestMilestone', holder: holder.did, previous: null, issuedAt: new Date(midnight - 2 * 86_400_000) })
  const [proof] = world.anchor([jwt])
  const received = await receivePresentationRequest(created.authorizationRequest, {
    resolveDid: async (did) => {
      const response = await fetch(`${world.base}/did-registry/v5/identifiers/${encodeURIComponent(did)}`)
      return response.ok ? ((await response.json()) as DidDocumentLike) : undefined
    },
  })
  await answerPresentationRequest({
    request: received,
    holder,
    credentials: [
      { id: 'c', holderDid: holder.did, jwt, types: ['VerifiableCredential', 'VerifiableAttestation', 'DublinRequestMilestone'], issuer: world.ti.did, receivedAt: new Date(), inclusionProof: proof! },
    ],
  })
  const status = (await (await fetch(`${verifier.url}/presentation-requests/${created.id}`, { headers: auth })).json()) as {
    asOf: string
    reportId: string
    createdAt: string
  }
  expect(status.asOf).toBe(yesterday)
  expect(status.reportId).toBeTruthy()
  const report = (await (await fetch(`${verifier.url}/reports/${status.reportId}`, { headers: auth })).json()) as VerificationReport
  expect(report.dublin?.asOf).toBe(yesterday)
  expect(report.dublin?.asOfFixedAt).toBe(status.createdAt)
  for (const [lang, phrase] of [
    ['en', 'fixed when the request was created, at'],
    ['fr', 'fixée à la création de la demande, le'],
    ['de', 'festgelegt bei Erstellung der Anfrage am'],
  ] as const) {
    const html = await (await fetch(`${verifier.url}/reports/${report.id}?format=html&lang=${lang}`, { headers: auth })).text()
    expect(html).toContain(`<strong>${yesterday}</strong>`)
    expect(html).toContain(`${phrase} ${status.createdAt}`)
  }
})
