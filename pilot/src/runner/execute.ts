import { createHash } from 'node:crypto'
import type { DidDocumentLike } from '@flora/ebsi-connector/holder'
import { compareOutcome, type Mismatch } from '../compare.ts'
import type { PlannedCase, WalletProfile } from '../generate.ts'
import type { Progress } from '../progress.ts'
import type { ScenarioExpectation } from '../scenarios/schema.ts'
import type { SyntheticPerson } from '../synthetic-people.ts'
import { seededHolderIdentity } from './holder-keys.ts'
import { callJson, mapPool } from './http.ts'
import { CaseWallet, tamperInclusionProof } from './wallet.ts'

/** What the runner needs of a bootstrapped stack: URLs and credentials, as a user would hold them. */
export interface PilotAccess {
  ledgerUrl: string
  issuerUrl: string
  verifierUrl: string
  /** Bearer token (API token of a staff account) per issuer tenant id. */
  issuerTokens: Record<string, string>
  /** Bearer token of a French Dublin officer at the verifier. */
  verifierToken: string
  /** Display names of the tenants (report). */
  authorityNames?: Record<string, string>
}

export interface StageTimings {
  issueMs: number
  deliverMs: number
  presentMs: number
  verifyMs: number
}

export interface CaseCredential {
  event: number
  label?: string
  type: string
  authority: string
  date: string
  milestoneId: string
  credentialId: string
  /** `sha-256:` + base64url of SHA-256 over the JWT (the catalogue's credential hash). */
  hash: string
  jwt: string
  issuerDid: string
  presented: boolean
  fault?: 'revoked' | 'tampered-anchor-proof' | 'withheld'
  anchoredAt?: string
}

export interface CaseStep {
  step: string
  outcome: string
  reason: string
}

export interface CaseVerification {
  reportId: string
  verdict: string
  failingStep: string | null
  credentials: {
    index: number
    milestoneType: string | null
    issuer: string | null
    verdict: string
    failingStep: string | null
    steps: CaseStep[]
  }[]
  presentationSteps: CaseStep[]
  facts: { fact: string; value: unknown; source?: unknown }[]
  /** The day the verifier assessed as of (its report's `asOf`). */
  asOf?: string
  assessment: Record<string, unknown> | undefined
  wallet: { redirectError?: string; errorDescription?: string; code: boolean }
}

export interface CaseResult {
  label: string
  index: number
  scenarioId: string
  office: string
  openedBy: string
  profile: WalletProfile
  holderDid: string
  person: SyntheticPerson
  issuerCaseId: string
  credentials: CaseCredential[]
  verification: CaseVerification | null
  expected: ScenarioExpectation
  mismatches: Mismatch[]
  matched: boolean
  error?: string
  timings: StageTimings
}

export interface ExecuteOptions {
  concurrency?: number
  progress: Progress
  /** Idempotency keys are derived from it (a retried run never issues twice). */
  runKey: string
  /** Longest wait for every inclusion proof (the issuer anchors on a schedule). */
  anchoringTimeoutMs?: number
  /**
   * Opens the officer's OpenID4VP request for a case another way than over the verifier's API (the
   * wallet's end-to-end test has the officer open it in the browser); the runner reads its status
   * and report over the API as usual.
   */
  openRequest?: (plan: PlannedCase) => Promise<{ id: string; authorizationRequest: string }>
}

export interface ExecuteResult {
  cases: CaseResult[]
  /** Wall-clock per phase. */
  phases: { issueAndDeliverMs: number; anchoringWaitMs: number; faultsMs: number; presentAndVerifyMs: number; totalMs: number }
}

/** The parts of the verifier's stored report (GET /reports/{id}) the pilot reads. */
interface VerifierReport {
  id: string
  verdict: string
  failingStep: string | null
  credentials: {
    index: number
    milestoneType: string | null
    issuer: string | null
    verdict: string
    failingStep: string | null
    steps: CaseStep[]
  }[]
  presentationSteps: CaseStep[]
  facts: { fact: string; value: unknown; source?: unknown }[]
  asOf?: string
  dublin?: { asOf?: string }
  assessment?: Record<string, unknown>
}

/** The as-of day a report states (its own field, its Dublin section's, or the assessment's facts). */
const asOfOf = (report: VerifierReport): string | undefined => {
  const candidates = [report.asOf, report.dublin?.asOf, (report.assessment as { asOf?: unknown } | undefined)?.asOf]
  return candidates.find((value): value is string => typeof value === 'string')
}

const stepsOf = (steps: readonly CaseStep[]) => steps.map(({ step, outcome, reason }) => ({ step, outcome, reason }))

const hashOf = (jwt: string) => `sha-256:${createHash('sha256').update(jwt).digest('base64url')}`
const payloadOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>

interface CaseState {
  plan: PlannedCase
  wallet: CaseWallet
  caseId: string
  credentials: CaseCredential[]
  timings: StageTimings
  error?: string
}

const timed = async <T>(timings: StageTimings, stage: keyof StageTimings, work: () => Promise<T>): Promise<T> => {
  const started = performance.now()
  try {
    return await work()
  } finally {
    timings[stage] += performance.now() - started
  }
}

/**
 * Runs the cases against a bootstrapped stack, as its users would: German staff systems record
 * milestones over the issuer API, the case wallet redeems them over OpenID4VCI, the French officer
 * opens an OpenID4VP request with the Eurodac reference from the French hit, the wallet answers, and
 * the verifier's stored report is read back and compared with the scenario's expectation.
 */
export async function executeCases(access: PilotAccess, plans: readonly PlannedCase[], options: ExecuteOptions): Promise<ExecuteResult> {
  const concurrency = options.concurrency ?? 8
  const tokenOf = (tenant: string) => {
    const token = access.issuerTokens[tenant]
    if (!token) throw new Error(`no issuer credentials for authority "${tenant}"`)
    return token
  }
  const resolveDid = async (did: string) => {
    const response = await fetch(`${access.ledgerUrl}/did-registry/v5/identifiers/${encodeURIComponent(did)}`)
    return response.ok ? ((await response.json()) as DidDocumentLike) : undefined
  }
  const started = performance.now()

  // 1. Issue and deliver: per case in order (each credential links to the previous one), cases in parallel.
  options.progress.stage('issue', plans.length)
  const states = await mapPool(plans, concurrency, async (plan): Promise<CaseState> => {
    const timings: StageTimings = { issueMs: 0, deliverMs: 0, presentMs: 0, verifyMs: 0 }
    const wallet = new CaseWallet(await seededHolderIdentity(plan.holderKeySeed), plan.profile, resolveDid)
    const state: CaseState = { plan, wallet, caseId: '', credentials: [], timings }
    try {
      const opened = await timed(timings, 'issueMs', () =>
        callJson<{ id: string }>('POST', `${access.issuerUrl}/cases`, {
          token: tokenOf(plan.openedBy),
          body: { holderDid: wallet.holder.did, fileNumber: plan.person.bamfFileNumber },
        }),
      )
      state.caseId = opened.id
      const others = [...new Set(plan.events.map((e) => e.authority))].filter((a) => a !== plan.openedBy)
      await timed(timings, 'issueMs', () =>
        Promise.all(
          others.map((authorityId) =>
            callJson('POST', `${access.issuerUrl}/cases/${opened.id}/grants`, { token: tokenOf(plan.openedBy), body: { authorityId } }),
          ),
        ),
      )
      for (const event of plan.events) {
        const offer = await timed(timings, 'issueMs', () =>
          callJson<{ milestoneId: string; txCode: string; offers: Record<WalletProfile, { uri: string }> }>(
            'POST',
            `${access.issuerUrl}/cases/${opened.id}/milestones`,
            {
              token: tokenOf(event.authority),
              headers: { 'idempotency-key': `${options.runKey}.${plan.label}.${event.index}` },
              body: {
                type: event.type,
                claims: { milestoneDate: event.date, ...event.claims },
                eurodacReference: plan.person.eurodacReference,
              },
            },
          ),
        )
        const credential = await timed(timings, 'deliverMs', () => wallet.redeem(offer.offers, offer.txCode))
        state.credentials.push({
          event: event.index,
          ...(event.label ? { label: event.label } : {}),
          type: event.type,
          authority: event.authority,
          date: event.date,
          milestoneId: offer.milestoneId,
          credentialId: credential.id,
          hash: hashOf(credential.jwt),
          jwt: credential.jwt,
          issuerDid: String(payloadOf(credential.jwt).iss ?? ''),
          presented: true,
        })
      }
    } catch (error) {
      state.error = `issue/deliver: ${(error as Error).message}`
    }
    options.progress.tick()
    return state
  })
  const issuedAt = performance.now()

  // 2. Inclusion proofs: the issuer anchors one padded root per period; wallets poll.
  const deadline = Date.now() + (options.anchoringTimeoutMs ?? 120_000)
  const total = states.reduce((n, s) => n + s.credentials.length, 0)
  options.progress.stage('anchor', total)
  let pending = states.filter((s) => !s.error)
  let reported = 0
  while (pending.length) {
    const missing = await mapPool(pending, concurrency, async (s) => {
      const started = performance.now()
      const count = await s.wallet.refreshProofs()
      s.timings.deliverMs += performance.now() - started
      return count
    })
    const anchored = total - missing.reduce((a, b) => a + b, 0) - states.filter((s) => s.error).reduce((n, s) => n + s.credentials.length, 0)
    while (reported < anchored) {
      options.progress.tick()
      reported++
    }
    pending = pending.filter((_, i) => missing[i]! > 0)
    if (!pending.length) break
    if (Date.now() > deadline) {
      for (const s of pending) s.error = 'anchoring: inclusion proofs not delivered in time'
      break
    }
    await new Promise((resolve) => setTimeout(resolve, 300))
  }
  for (const s of states)
    for (const c of s.credentials) {
      const proof = s.wallet.credentials.find((w) => w.id === c.credentialId)?.inclusionProof
      if (proof?.anchoredAt) c.anchoredAt = proof.anchoredAt
    }
  const anchoredAt = performance.now()

  // 3. Deliberate faults of the broken scenarios (after delivery, before any presentation).
  const withheldOf = new Map<CaseState, Set<string>>()
  for (const s of states) {
    const fault = s.plan.fault
    const withheld = new Set<string>()
    withheldOf.set(s, withheld)
    if (!fault || s.error) continue
    const byLabel = (label: string) => s.credentials.find((c) => c.label === label)!
    try {
      if (fault.kind === 'revoke') {
        const target = byLabel(fault.event)
        await timed(s.timings, 'issueMs', () =>
          callJson('POST', `${access.issuerUrl}/milestones/${target.milestoneId}/revoke`, { token: tokenOf(target.authority) }),
        )
        target.fault = 'revoked'
      } else if (fault.kind === 'tamper-anchor-proof') {
        const target = byLabel(fault.event)
        const stored = s.wallet.credentials.find((w) => w.id === target.credentialId)!
        stored.inclusionProof = tamperInclusionProof(stored.inclusionProof!)
        target.fault = 'tampered-anchor-proof'
      } else
        for (const label of fault.events) {
          const target = byLabel(label)
          withheld.add(target.credentialId)
          target.fault = 'withheld'
          target.presented = false
        }
    } catch (error) {
      s.error = `fault: ${(error as Error).message}`
    }
  }
  const faultsAt = performance.now()

  // 4. Present and verify: the French officer asks, the wallet answers, the verifier reports.
  options.progress.stage('verify', states.length)
  const cases = await mapPool(states, concurrency, async (s): Promise<CaseResult> => {
    let verification: CaseVerification | null = null
    if (!s.error) {
      try {
        const verifierToken = access.verifierToken
        const request = await timed(s.timings, 'presentMs', () =>
          options.openRequest
            ? options.openRequest(s.plan)
            : callJson<{ id: string; authorizationRequest: string }>('POST', `${access.verifierUrl}/presentation-requests`, {
            token: verifierToken,
            body: {
              definition: 'dublin',
              eurodacReference: s.plan.person.eurodacReference,
              ...(s.plan.asOf ? { asOf: s.plan.asOf } : {}),
              ...(s.plan.declaredFacts ? { declaredFacts: s.plan.declaredFacts } : {}),
            },
          }),
        )
        const received = await timed(s.timings, 'presentMs', () => s.wallet.receive(request.authorizationRequest))
        const answer = await timed(s.timings, 'verifyMs', () => s.wallet.answer(received, withheldOf.get(s)!))
        const report = await timed(s.timings, 'verifyMs', async () => {
          const status = await callJson<{ status: string; reportId: string | null; error: string | null }>(
            'GET',
            `${access.verifierUrl}/presentation-requests/${request.id}`,
            { token: verifierToken },
          )
          if (!status.reportId) throw new Error(`no report (request ${status.status}: ${status.error ?? answer.errorDescription ?? ''})`)
          return callJson<VerifierReport>('GET', `${access.verifierUrl}/reports/${status.reportId}`, { token: verifierToken })
        })
        verification = {
          reportId: String(report.id),
          verdict: String(report.verdict),
          failingStep: report.failingStep ?? null,
          credentials: report.credentials.map((c) => ({
            index: c.index,
            milestoneType: c.milestoneType,
            issuer: c.issuer,
            verdict: c.verdict,
            failingStep: c.failingStep,
            steps: stepsOf(c.steps),
          })),
          presentationSteps: stepsOf(report.presentationSteps),
          facts: report.facts.map((f) => ({ fact: f.fact, value: f.value, ...(f.source !== undefined ? { source: f.source } : {}) })),
          ...(asOfOf(report) ? { asOf: asOfOf(report) } : {}),
          assessment: report.assessment,
          wallet: {
            ...(answer.error ? { redirectError: answer.error } : {}),
            ...(answer.errorDescription ? { errorDescription: answer.errorDescription } : {}),
            code: Boolean(answer.code),
          },
        }
      } catch (error) {
        s.error = `present/verify: ${(error as Error).message}`
      }
    }
    const mismatches = verification
      ? compareOutcome(s.plan.expected, verification, s.plan.asOf)
      : [{ field: 'run', expected: 'a verification report', actual: s.error ?? null }]
    options.progress.tick()
    return {
      label: s.plan.label,
      index: s.plan.index,
      scenarioId: s.plan.scenarioId,
      office: s.plan.office,
      openedBy: s.plan.openedBy,
      profile: s.plan.profile,
      holderDid: s.wallet.holder.did,
      person: s.plan.person,
      issuerCaseId: s.caseId,
      credentials: s.credentials,
      verification,
      expected: s.plan.expected,
      mismatches,
      matched: mismatches.length === 0,
      ...(s.error ? { error: s.error } : {}),
      timings: s.timings,
    }
  })
  options.progress.done()
  const endedAt = performance.now()
  return {
    cases,
    phases: {
      issueAndDeliverMs: issuedAt - started,
      anchoringWaitMs: anchoredAt - issuedAt,
      faultsMs: faultsAt - anchoredAt,
      presentAndVerifyMs: endedAt - faultsAt,
      totalMs: endedAt - started,
    },
  }
}
