import type { Mismatch } from '../compare.ts'
import type { CaseResult, ExecuteResult, StageTimings } from '../runner/execute.ts'
import { runnableFrom } from '../scenarios/load.ts'
import type { Scenario, ScenarioExpectation } from '../scenarios/schema.ts'
import type { SyntheticPerson } from '../synthetic-people.ts'

/** report.json: everything a tester needs to see what ran, what the verifier said and how fast. */
export interface PilotReport {
  $comment: string
  syntheticTestData: true
  generator: { seed: number; cases: number; scenarioFiles: string[]; settledBy: string; offices: string[] }
  /** The day of the run: the verifier's as-of day for every scenario without its own `asOf`. */
  runDate: string
  stack: {
    ledgerUrl: string
    issuerUrl: string
    verifierUrl: string
    startedByPilot: boolean
    startMs: number
    bootstrapMs: number
    trustAnchor: string
    verifierDid: string
  }
  authorities: Record<string, { name: string; did: string }>
  summary: {
    cases: number
    matched: number
    mismatched: number
    verdicts: Record<string, number>
    statuses: Record<string, number>
    byScenario: Record<string, { cases: number; matched: number }>
    byOffice: Record<string, number>
    /** Scenarios not run because their as-of day, or an absence they attest, is not over yet. */
    deferred: string[]
  }
  benchmark: {
    concurrency: number
    totalMs: number
    casesPerSecond: number
    credentials: number
    credentialsPerSecond: number
    phases: ExecuteResult['phases']
    /** Sum over cases of the time spent in each stage, its mean per case and share of the sum. */
    stages: Record<'issue' | 'deliver' | 'present' | 'verify', { totalMs: number; meanMsPerCase: number; share: number }>
  }
  scenarios: {
    id: string
    title: Scenario['title']
    tags: string[]
    ruleSet: string
    /** The scenario's own as-of day (else the run's day). */
    asOf?: string
    /** The first day it can run, when that is after the run's day (not run this time). */
    deferredUntil?: string
    expected: ScenarioExpectation
    derivation: string[]
  }[]
  cases: ReportCase[]
}

export interface ReportCase {
  label: string
  scenarioId: string
  office: string
  openedBy: string
  walletProfile: string
  holderDid: string
  /** The issuer side's record (synthetic test data); never on a credential or the ledger. */
  person: SyntheticPerson
  issuerCaseId: string
  credentials: {
    event: number
    type: string
    authority: string
    issuerDid: string
    milestoneDate: string
    credentialId: string
    hash: string
    file: string | null
    presented: boolean
    fault?: string
    anchoredAt?: string
  }[]
  verification: CaseResult['verification']
  expected: ScenarioExpectation
  matched: boolean
  mismatches: Mismatch[]
  error?: string
  timings: StageTimings & { totalMs: number }
}

const count = (values: string[]) =>
  values.reduce<Record<string, number>>((acc, value) => {
    acc[value] = (acc[value] ?? 0) + 1
    return acc
  }, {})

const round = (value: number) => Math.round(value * 10) / 10

export function buildPilotReport(input: {
  seed: number
  scenarioFiles: string[]
  settledBy: string
  offices: string[]
  runDate: string
  scenarios: readonly Scenario[]
  /** Ids of scenarios whose as-of day is after the run's day. */
  deferred?: readonly string[]
  executed: ExecuteResult
  files: Map<string, string>
  authorityNames: Record<string, string>
  authorityDids: Record<string, string>
  stack: PilotReport['stack']
  concurrency: number
}): PilotReport {
  const { executed } = input
  const cases: ReportCase[] = executed.cases.map((c) => ({
    label: c.label,
    scenarioId: c.scenarioId,
    office: c.office,
    openedBy: c.openedBy,
    walletProfile: c.profile,
    holderDid: c.holderDid,
    person: c.person,
    issuerCaseId: c.issuerCaseId,
    credentials: c.credentials.map((credential) => ({
      event: credential.event,
      type: credential.type,
      authority: credential.authority,
      issuerDid: credential.issuerDid,
      milestoneDate: credential.date,
      credentialId: credential.credentialId,
      hash: credential.hash,
      file: input.files.get(credential.credentialId) ?? null,
      presented: credential.presented,
      ...(credential.fault ? { fault: credential.fault } : {}),
      ...(credential.anchoredAt ? { anchoredAt: credential.anchoredAt } : {}),
    })),
    verification: c.verification,
    expected: c.expected,
    matched: c.matched,
    mismatches: c.mismatches,
    ...(c.error ? { error: c.error } : {}),
    timings: {
      issueMs: round(c.timings.issueMs),
      deliverMs: round(c.timings.deliverMs),
      presentMs: round(c.timings.presentMs),
      verifyMs: round(c.timings.verifyMs),
      totalMs: round(c.timings.issueMs + c.timings.deliverMs + c.timings.presentMs + c.timings.verifyMs),
    },
  }))
  const byScenario: PilotReport['summary']['byScenario'] = {}
  for (const c of cases) {
    const entry = byScenario[c.scenarioId] ?? { cases: 0, matched: 0 }
    byScenario[c.scenarioId] = entry
    entry.cases++
    if (c.matched) entry.matched++
  }
  const stageSum = (key: keyof StageTimings) => executed.cases.reduce((sum, c) => sum + c.timings[key], 0)
  const sums = { issue: stageSum('issueMs'), deliver: stageSum('deliverMs'), present: stageSum('presentMs'), verify: stageSum('verifyMs') }
  const all = sums.issue + sums.deliver + sums.present + sums.verify || 1
  const n = cases.length || 1
  const credentials = cases.reduce((sum, c) => sum + c.credentials.length, 0)
  const seconds = executed.phases.totalMs / 1000
  return {
    $comment:
      'FLORA-VC France pilot — SYNTHETIC TEST DATA. Names, dates of birth, file, AZR and Eurodac numbers are generated; none belongs to a real person.',
    syntheticTestData: true,
    generator: {
      seed: input.seed,
      cases: cases.length,
      scenarioFiles: input.scenarioFiles,
      settledBy: input.settledBy,
      offices: input.offices,
    },
    runDate: input.runDate,
    stack: { ...input.stack, startMs: round(input.stack.startMs), bootstrapMs: round(input.stack.bootstrapMs) },
    authorities: Object.fromEntries(
      Object.entries(input.authorityDids).map(([id, did]) => [id, { name: input.authorityNames[id] ?? id, did }]),
    ),
    summary: {
      cases: cases.length,
      matched: cases.filter((c) => c.matched).length,
      mismatched: cases.filter((c) => !c.matched).length,
      verdicts: count(cases.map((c) => c.verification?.verdict ?? 'error')),
      statuses: count(cases.map((c) => String(c.verification?.assessment?.status ?? 'none'))),
      byScenario,
      byOffice: count(cases.map((c) => c.office)),
      deferred: [...(input.deferred ?? [])],
    },
    benchmark: {
      concurrency: input.concurrency,
      totalMs: round(executed.phases.totalMs),
      casesPerSecond: round(cases.length / seconds),
      credentials,
      credentialsPerSecond: round(credentials / seconds),
      phases: Object.fromEntries(Object.entries(executed.phases).map(([k, v]) => [k, round(v)])) as ExecuteResult['phases'],
      stages: Object.fromEntries(
        Object.entries(sums).map(([stage, total]) => [
          stage,
          { totalMs: round(total), meanMsPerCase: round(total / n), share: Math.round((total / all) * 1000) / 1000 },
        ]),
      ) as PilotReport['benchmark']['stages'],
    },
    scenarios: input.scenarios.map((s) => ({
      id: s.id,
      title: s.title,
      tags: s.tags,
      ruleSet: s.ruleSet,
      ...(s.asOf ? { asOf: s.asOf } : {}),
      ...(input.deferred?.includes(s.id) ? { deferredUntil: runnableFrom(s) ?? input.runDate } : {}),
      expected: s.expected,
      derivation: s.derivation,
    })),
    cases,
  }
}

/**
 * report.json without what legitimately differs between two runs of the same seed: timings, ids
 * the services draw at random (case, milestone, credential, report ids), credential bytes and hashes
 * (they carry issuance times and random salts), authority DIDs (random per bootstrap) and the stack.
 * What remains — cases, identities, holder DIDs, offices, checks, verdicts, assessments — must be equal.
 */
export function normalizeReport(report: PilotReport): unknown {
  return {
    generator: report.generator,
    summary: report.summary,
    scenarios: report.scenarios,
    cases: report.cases.map((c) => ({
      label: c.label,
      scenarioId: c.scenarioId,
      office: c.office,
      openedBy: c.openedBy,
      walletProfile: c.walletProfile,
      holderDid: c.holderDid,
      person: c.person,
      credentials: c.credentials.map((credential) => ({
        event: credential.event,
        type: credential.type,
        authority: credential.authority,
        milestoneDate: credential.milestoneDate,
        file: credential.file,
        presented: credential.presented,
        fault: credential.fault ?? null,
      })),
      verification: c.verification && {
        verdict: c.verification.verdict,
        failingStep: c.verification.failingStep,
        credentials: c.verification.credentials.map(({ issuer: _issuer, ...rest }) => rest),
        presentationSteps: c.verification.presentationSteps,
        facts: c.verification.facts,
        assessment: c.verification.assessment,
        wallet: { redirectError: c.verification.wallet.redirectError ?? null, code: c.verification.wallet.code },
      },
      matched: c.matched,
      mismatches: c.mismatches,
    })),
  }
}
