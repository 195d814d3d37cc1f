import {
  answerPresentationRequest,
  type DidDocumentLike,
  receivePresentationRequest,
  type StoredCredential,
} from '@flora/ebsi-connector/holder'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLedgerReaders } from '../../src/index.ts'
import type { TrustReaders } from '../../src/trust/readers.ts'
import { startVerifier, type VerifierUnderTest } from '../support/harness.ts'
import { didDocument, TestWorld } from '../support/world.ts'

// A hostile wallet sends a credential whose dates no Date can hold (or that are no number). The
// signature no longer verifies, but every step still runs over the claims: none may throw. Over
// HTTP, on both public ways in: never a 5xx, and an OpenID4VP request is closed, not left open.

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
  const identity = verifier.services.identity
  world.ledger.setDid(identity.did, didDocument(identity.did, identity.controller, [identity.assertion]))
})
afterAll(async () => {
  await verifier?.close()
  await world?.stop()
})

/** The issued credential with one date claim replaced; the signature is the original one (it fails). */
function forge(jwt: string, claim: string, value: unknown): string {
  const [header, payload, signature] = jwt.split('.') as [string, string, string]
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>
  claims[claim] = value
  return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`
}

/** An absence attestation (its issuance day is read for the as-of rule) of a request (a Dublin fact). */
const absence = {
  type: 'DublinReplyAbsenceMilestone',
  claims: { milestoneDate: '2026-02-20', requestType: 'TBR', requestingState: 'DE', requestedState: 'FR', requestReceived: '2026-02-03' },
}

const cases = ['iat', 'nbf', 'exp'].flatMap((claim) => [1e20, -1e20, 9e12, 'x'].map((value) => [claim, value] as const))

describe('hostile credential dates', () => {
  it.each(cases)('%s = %s on POST /verifications: a report (invalid), never a 5xx', async (claim, value) => {
    const holder = world.holder()
    const { jwt } = await world.issue({ ...absence, holder: holder.did, previous: null })
    const response = await verifier.verify(forge(jwt, claim, value))
    const body = (await response.json()) as { verdict?: string }
    expect(response.status).toBeLessThan(500)
    expect(response.status).toBe(201)
    expect(body.verdict).toBe('invalid')
  })

  it.each(cases)('%s = %s in an OpenID4VP answer: redirect with an error, the request closed as failed', async (claim, value) => {
    const created = (await (
      await fetch(`${verifier.url}/presentation-requests`, { method: 'POST', headers: auth, body: '{}' })
    ).json()) as { id: string; authorizationRequest: string }
    const holder = world.holder()
    const { jwt } = await world.issue({ ...absence, holder: holder.did, previous: null })
    const credentials: StoredCredential[] = [
      {
        id: 'hostile',
        holderDid: holder.did,
        jwt: forge(jwt, claim, value),
        types: ['VerifiableCredential', 'VerifiableAttestation', 'DublinReplyAbsenceMilestone'],
        issuer: world.ti.did,
        receivedAt: new Date(),
        inclusionProof: world.anchor([jwt])[0]!,
      },
    ]
    const received = await receivePresentationRequest(created.authorizationRequest, { resolveDid })
    const answer = await answerPresentationRequest({ request: received, holder, credentials })
    expect(answer.error).toBe('invalid_request')
    const status = (await (await fetch(`${verifier.url}/presentation-requests/${created.id}`, { headers: auth })).json()) as {
      status: string
    }
    expect(status.status).toBe('failed')
  })
})

describe('an unexpected failure while verifying an OpenID4VP answer', () => {
  it('the wallet gets a server_error redirect (no 5xx), the request is closed as failed, the error is logged', async () => {
    // A ledger reader that fails in a way no step foresees (not "source unavailable"): the issuer
    // signature step re-throws it, as it must not turn an unknown fault into a verdict.
    const ledger = createLedgerReaders({ ledgerUrl: world.base })
    const faulty: TrustReaders = {
      ...ledger,
      resolveDid: async (did, validAt) => {
        if (did === world.ti.did) throw new TypeError('reader bug')
        return ledger.resolveDid(did, validAt)
      },
    }
    const lines: string[] = []
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) })
    const broken = await startVerifier(world, { FLORA_VERIFIER_STATUS_MAX_AGE_SECONDS: '0' }, faulty, { logger })
    try {
      const identity = broken.services.identity
      world.ledger.setDid(identity.did, didDocument(identity.did, identity.controller, [identity.assertion]))
      const headers = { authorization: `Bearer ${broken.token}`, 'content-type': 'application/json' }
      const created = (await (await fetch(`${broken.url}/presentation-requests`, { method: 'POST', headers, body: '{}' })).json()) as {
        id: string
        authorizationRequest: string
      }
      const holder = world.holder()
      const { jwt } = await world.issue({ ...absence, holder: holder.did, previous: null })
      const credentials: StoredCredential[] = [
        {
          id: 'c',
          holderDid: holder.did,
          jwt,
          types: ['VerifiableCredential', 'VerifiableAttestation', absence.type],
          issuer: world.ti.did,
          receivedAt: new Date(),
          inclusionProof: world.anchor([jwt])[0]!,
        },
      ]
      const received = await receivePresentationRequest(created.authorizationRequest, { resolveDid })
      const answer = await answerPresentationRequest({ request: received, holder, credentials })
      expect(answer.error).toBe('server_error')
      const status = (await (await fetch(`${broken.url}/presentation-requests/${created.id}`, { headers })).json()) as {
        status: string
        error: string
      }
      expect(status).toMatchObject({ status: 'failed', error: 'internal error while verifying the answer' })
      const logged = lines.map((line) => JSON.parse(line) as { level: number; msg: string; presentationRequest?: string; err?: { message: string } })
      expect(logged).toContainEqual(
        expect.objectContaining({ level: 50, presentationRequest: created.id, err: expect.objectContaining({ message: 'reader bug' }) }),
      )
      // the same answer again: the request is closed, not open for another try
      const again = await answerPresentationRequest({ request: received, holder, credentials })
      expect(again.error).toBe('invalid_request')
    } finally {
      await broken.close()
    }
  })
})
