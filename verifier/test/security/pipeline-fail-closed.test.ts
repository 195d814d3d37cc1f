import { createPresentationJwt, holderIdentityOf } from '@flora/ebsi-connector/holder'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { VerificationReport } from '../../src/index.ts'
import { startVerifier, type VerifierUnderTest } from '../support/harness.ts'
import { type IssueOptions, type LedgerChain, startLedgerChain } from '../support/ledger-chain.ts'
import { newEntity, newSigner } from '../support/ledger-node.ts'

// Fail closed where the verifier used to pass: against the REAL ledger node (trust chain, TIR proxy,
// Timestamp API written through its JSON-RPC APIs), over HTTP to the real verifier service.

let chain: LedgerChain
const started: VerifierUnderTest[] = []

beforeAll(async () => {
  chain = await startLedgerChain()
}, 120_000)
afterAll(async () => {
  for (const verifier of started) await verifier.close()
  await chain?.stop()
})

async function verifierWith(env: Record<string, string>): Promise<VerifierUnderTest> {
  const verifier = await startVerifier(chain.world, { FLORA_VERIFIER_STATUS_MAX_AGE_SECONDS: '0', ...env })
  started.push(verifier)
  return verifier
}

/** A case wallet presents one credential of the TI, anchored on the ledger by the TI. */
async function present(verifier: VerifierUnderTest, options: IssueOptions = {}): Promise<VerificationReport> {
  const holder = holderIdentityOf(newSigner('Secp256r1'))
  const { jwt } = await chain.issue(holder.did, options)
  const proof = await chain.anchor(jwt)
  const vp = await createPresentationJwt({
    holder,
    credentials: [jwt],
    anchoringProofs: [proof],
    audience: verifier.services.identity.did,
    nonce: await verifier.nonce(),
  })
  const response = await verifier.verify(vp)
  expect(response.status).toBe(201)
  return (await response.json()) as VerificationReport
}

const step = (report: VerificationReport, name: string) => report.credentials[0]!.steps.find((s) => s.step === name)!
const notPassed = (report: VerificationReport) =>
  report.credentials[0]!.steps.filter((s) => s.outcome !== 'passed').map((s) => [s.step, s.outcome, s.reason])

async function html(verifier: VerifierUnderTest, report: VerificationReport, lang: string) {
  const response = await fetch(`${verifier.url}/reports/${report.id}?format=html&lang=${lang}`, {
    headers: { authorization: `Bearer ${verifier.token}` },
  })
  return response.text()
}

describe('a credential without credentialStatus', () => {
  // The issuer could never revoke or suspend it: a credential that cannot be withdrawn is not
  // accepted, even though the milestone schemas on the ledger do not require the member.
  it.each([
    [
      'absent',
      (vc: Record<string, unknown>) => {
        delete vc.credentialStatus
      },
    ],
    [
      'an empty list',
      (vc: Record<string, unknown>) => {
        vc.credentialStatus = []
      },
    ],
  ])('credentialStatus %s: refused (status failed), the report says why in FR/DE/EN', async (label, change) => {
    const verifier = await verifierWith({ FLORA_VERIFIER_TRUSTED_ANCHORERS: chain.tiAddress })
    const report = await present(verifier, { vc: change })
    expect(step(report, 'status')).toMatchObject({ outcome: 'failed', reason: 'status-entry-missing' })
    // nothing else is wrong with the absent case; the milestone schema also refuses an empty list
    expect(notPassed(report)).toContainEqual(['status', 'failed', 'status-entry-missing'])
    if (label === 'absent') expect(notPassed(report)).toEqual([['status', 'failed', 'status-entry-missing']])
    expect(report.verdict).toBe('invalid')
    expect(await html(verifier, report, 'fr')).toContain('aucune entrée de statut')
    expect(await html(verifier, report, 'de')).toContain('kein Statuseintrag')
    expect(await html(verifier, report, 'en')).toContain('no status entry')
  })

  it('the same credential with its status entry is valid (control)', async () => {
    const verifier = await verifierWith({ FLORA_VERIFIER_TRUSTED_ANCHORERS: chain.tiAddress })
    expect((await present(verifier)).verdict).toBe('valid')
  })
})

describe('the trusted anchorers', () => {
  it('an empty list (nothing configured) accepts no anchor: anchoring not established, never valid', async () => {
    const verifier = await verifierWith({ FLORA_VERIFIER_TRUSTED_ANCHORERS: '' })
    expect(verifier.services.trust.effectiveTrust().trustedAnchorers).toEqual([])
    const report = await present(verifier)
    expect(step(report, 'anchoring')).toMatchObject({ outcome: 'not-established', reason: 'no-trusted-anchorer' })
    expect(notPassed(report)).toEqual([['anchoring', 'not-established', 'no-trusted-anchorer']])
    expect(report).toMatchObject({ verdict: 'indeterminate', failingStep: 'anchoring' })
    expect(await html(verifier, report, 'de')).toContain('kein vertrauenswürdiger Verankerer')
  })

  it('an empty list set by the deployment administrator: the same', async () => {
    const adminToken = `deployment-admin-${newEntity().did}`
    const verifier = await verifierWith({ FLORA_VERIFIER_TRUSTED_ANCHORERS: '', FLORA_VERIFIER_ADMIN_TOKEN: adminToken })
    const put = await fetch(`${verifier.url}/deployment/trust`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({ trustAnchors: [{ did: chain.root.did }], trustedAnchorers: [] }),
    })
    expect(put.status).toBe(200)
    const report = await present(verifier)
    expect(step(report, 'anchoring')).toMatchObject({ outcome: 'not-established', reason: 'no-trusted-anchorer' })
    expect(report.verdict).toBe('indeterminate')
  })

  it('an anchorer not in the list: failed', async () => {
    const verifier = await verifierWith({ FLORA_VERIFIER_TRUSTED_ANCHORERS: newEntity().did })
    const report = await present(verifier)
    expect(step(report, 'anchoring')).toMatchObject({ outcome: 'failed', reason: 'anchorer-untrusted' })
    expect(report.verdict).toBe('invalid')
  })
})

describe('a change of the trust anchors', () => {
  // A chain that reached a trust anchor is remembered for a while (re-walking it for every
  // credential of a case is the costliest step); it must not outlive the trust setting it was
  // established under.
  async function deploymentVerifier() {
    const adminToken = `deployment-admin-${newEntity().did}`
    const verifier = await verifierWith({
      FLORA_VERIFIER_TRUST_ANCHORS: '',
      FLORA_VERIFIER_TRUSTED_ANCHORERS: chain.tiAddress,
      FLORA_VERIFIER_ADMIN_TOKEN: adminToken,
    })
    const setTrust = async (trustAnchors: unknown[]) => {
      const response = await fetch(`${verifier.url}/deployment/trust`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
        body: JSON.stringify({ trustAnchors }),
      })
      expect(response.status).toBe(200)
    }
    return { verifier, setTrust }
  }

  it('an anchor withdrawn: the next verification no longer reaches a trust anchor', async () => {
    const { verifier, setTrust } = await deploymentVerifier()
    await setTrust([{ did: chain.root.did }])
    expect((await present(verifier)).verdict).toBe('valid')
    await setTrust([{ did: newEntity().did }])
    const report = await present(verifier)
    expect(step(report, 'accreditation')).toMatchObject({ outcome: 'failed', reason: 'untrusted-trust-anchor' })
    expect(report.verdict).toBe('invalid')
  })

  it('an anchor’s policy narrowed to other types: the next verification fails on it', async () => {
    const { verifier, setTrust } = await deploymentVerifier()
    await setTrust([{ did: chain.root.did }])
    expect((await present(verifier)).verdict).toBe('valid')
    await setTrust([{ did: chain.root.did, types: ['ArrivalCertificateMilestone'] }])
    const report = await present(verifier)
    expect(step(report, 'accreditation')).toMatchObject({ outcome: 'failed', reason: 'anchor-not-trusted-for-type' })
    expect(report.verdict).toBe('invalid')
  })
})
