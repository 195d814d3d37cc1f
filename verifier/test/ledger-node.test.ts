import { memoizedGet } from '@cef-ebsi/verifiable-credential'
import { verifyPresentationJwt } from '@cef-ebsi/verifiable-presentation'
import { createPresentationJwt, holderIdentityOf } from '@flora/ebsi-connector/holder'
import { memoizeClear } from 'memoize'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { VerificationReport } from '../src/index.ts'
import { startVerifier, type VerifierUnderTest } from './support/harness.ts'
import { type LedgerChain, startLedgerChain } from './support/ledger-chain.ts'
import { newSigner } from './support/ledger-node.ts'

// EBSI's four verifier conformance cases against the REAL embedded ledger node (started as
// `npm run ledger` does), with a trust chain written through its JSON-RPC APIs by the EBSI client,
// a status list reached through the node's TIR proxy, and anchoring with the Timestamp API.
// Credentials are signed here in the issuer's format (VCDM 1.1 VerifiableAttestation, ES256); with
// credentials from the real issuer service (and its anchoring and revocation) the four cases are in
// conformance-real-issuer.test.ts.
let chain: LedgerChain
let verifier: VerifierUnderTest

beforeAll(async () => {
  chain = await startLedgerChain()
  verifier = await startVerifier(chain.world, {
    FLORA_VERIFIER_STATUS_MAX_AGE_SECONDS: '0',
    // the TI anchors its own batches here
    FLORA_VERIFIER_TRUSTED_ANCHORERS: chain.tiAddress,
  })
}, 120_000)

afterAll(async () => {
  await verifier?.close()
  await chain?.stop()
})

async function present(options: { validFrom?: Date; expirationDate?: Date; issuedAt?: Date; revoke?: boolean }) {
  const holder = holderIdentityOf(newSigner('Secp256r1'))
  const { jwt, index } = await chain.issue(holder.did, options)
  if (options.revoke) {
    chain.bits.set(index, true)
    await chain.publishStatus()
  }
  const proof = await chain.anchor(jwt)
  const vp = await createPresentationJwt({ holder, credentials: [jwt], anchoringProofs: [proof], audience: verifier.services.identity.did, nonce: await verifier.nonce() })
  const report = (await (await verifier.verify(vp)).json()) as VerificationReport
  memoizeClear(memoizedGet)
  const ledgerUrl = chain.ledger.url
  const library = await verifyPresentationJwt(vp, verifier.services.identity.did, {
    ebsiAuthority: new URL(ledgerUrl).host,
    ebsiEnvConfig: {
      didRegistry: `${ledgerUrl}/did-registry/v5/identifiers`,
      trustedIssuersRegistry: `${ledgerUrl}/trusted-issuers-registry/v5/issuers`,
      trustedPoliciesRegistry: `${ledgerUrl}/trusted-policies-registry/v3/users`,
    },
    // The node listens on 127.0.0.1; the library trusts only "localhost" by default.
    trustedHostnames: ['127.0.0.1'],
  } as Parameters<typeof verifyPresentationJwt>[2]).then(
    () => 'accept',
    (error: Error) => `reject: ${error.message}`,
  )
  return { report, library }
}

const step = (report: VerificationReport, name: string) => report.credentials[0]!.steps.find((s) => s.step === name)!

describe('EBSI conformance verifier cases against the real ledger node', () => {
  it('valid', async () => {
    const { report, library } = await present({})
    expect(report.credentials[0]!.steps.map((s) => [s.step, s.outcome, s.reason])).toEqual(
      ['jwt-header', 'issuer-signature', 'validity-window', 'schema', 'accreditation', 'status', 'anchoring'].map((s) => [s, 'passed', 'ok']),
    )
    expect(report.verdict).toBe('valid')
    expect(library).toBe('accept')
  })

  it('expired', async () => {
    const { report, library } = await present({ issuedAt: new Date(Date.now() - 5 * 86_400_000), expirationDate: new Date(Date.now() - 86_400_000) })
    expect(step(report, 'validity-window')).toMatchObject({ outcome: 'failed', reason: 'expired' })
    expect(report.verdict).toBe('invalid')
    expect(library).toMatch(/^reject/)
  })

  it('revoked', async () => {
    const { report, library } = await present({ revoke: true })
    expect(step(report, 'status')).toMatchObject({ outcome: 'failed', reason: 'revoked' })
    expect(report.verdict).toBe('invalid')
    expect(library).toMatch(/^reject/)
  })

  it('not yet valid', async () => {
    const { report, library } = await present({ validFrom: new Date(Date.now() + 86_400_000) })
    expect(step(report, 'validity-window')).toMatchObject({ outcome: 'failed', reason: 'not-yet-valid' })
    expect(report.verdict).toBe('invalid')
    expect(library).toMatch(/^reject/)
  })
})
