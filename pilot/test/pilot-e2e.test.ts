import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { canariesOf, needlesOf } from '../src/privacy/canaries.ts'
import { scanLedgerForCanaries } from '../src/privacy/ledger-scan.ts'
import { normalizeReport, type PilotReport } from '../src/report/model.ts'
import { type RunPilotResult, runPilot } from '../src/runner/run-pilot.ts'
import { loadScenarios, scenariosRunnableOn } from '../src/scenarios/load.ts'

// The pilot end to end, twice with seed 7 on two fresh stacks (own ports, own data dirs), with
// BAMF Außenstelle Bochum (NRW) onboarded first: every case must match its scenario, both runs
// must agree, and the ledger must hold and serve none of the synthetic people's values.

// At least one case per scenario that can run today (34 scenarios, one deferred until 18.12.2026).
const CASES = 36
const base = join(tmpdir(), `flora-pilot-e2e-${process.pid}`)
const bochum = { name: 'BAMF Außenstelle Bochum (NRW)', role: 'BAMF_BRANCH_OFFICE' as const, jurisdiction: 'DE-NW' }
let first: RunPilotResult
let second: RunPilotResult

beforeAll(async () => {
  rmSync(base, { recursive: true, force: true })
  first = await runPilot({ cases: CASES, seed: 7, out: join(base, 'a'), portBase: 4710, addAuthorities: [bochum], keepStack: true })
}, 400_000)

afterAll(async () => {
  await first?.stack?.stop()
  await second?.stack?.stop()
  rmSync(base, { recursive: true, force: true })
})

describe('npm run pilot (36 cases, seed 7)', () => {
  it('runs every scenario at least once and every case matches its expectation', () => {
    const { report } = first
    const mismatches = report.cases.filter((c) => !c.matched).map((c) => ({ label: c.label, scenario: c.scenarioId, error: c.error, mismatches: c.mismatches }))
    expect(mismatches).toEqual([])
    expect(report.summary.matched).toBe(CASES)
    // Deferred scenarios (as-of day ahead, or an attested absence whose day is not over) are not run.
    const { runnable, deferred } = scenariosRunnableOn(loadScenarios().scenarios, report.runDate)
    expect(Object.keys(report.summary.byScenario).sort()).toEqual(runnable.map((s) => s.id).sort())
    expect(report.summary.deferred).toEqual(deferred.map((s) => s.id))
    // an absence scenario's report states the as-of day it was asked for
    for (const c of report.cases.filter((x) => runnable.find((s) => s.id === x.scenarioId)?.asOf))
      expect(c.verification?.asOf, c.label).toBe(runnable.find((s) => s.id === c.scenarioId)!.asOf)
    // every verdict the scenarios call for appears, with the failing step the verifier named
    expect(report.summary.verdicts.valid).toBeGreaterThan(0)
    expect(report.summary.verdicts.invalid).toBeGreaterThan(0)
    for (const c of report.cases.filter((x) => x.expected.verdict === 'invalid'))
      expect(c.verification?.failingStep).toBe(c.expected.failingStep)
  })

  it('spreads cases across Dresden, Chemnitz, Leipzig and the newly onboarded Bochum, whose credentials verify in France', () => {
    const { report } = first
    expect(report.generator.offices).toEqual(['bamf-dresden', 'bamf-chemnitz', 'bamf-leipzig', 'bamf-bochum'])
    for (const office of report.generator.offices) expect(report.summary.byOffice[office]).toBeGreaterThan(0)
    const fromBochum = report.cases.filter(
      (c) => c.office === 'bamf-bochum' && c.verification?.verdict === 'valid' && c.credentials.some((x) => x.authority === 'bamf-bochum'),
    )
    expect(fromBochum.length).toBeGreaterThan(0)
    expect(report.authorities['bamf-bochum']?.name).toBe(bochum.name)
  })

  it('writes report.json, a self-contained bilingual report.html and every issued credential as a .jwt file', () => {
    const out = first.outDir
    const json = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as PilotReport
    expect(json.summary.cases).toBe(CASES)
    expect(json.benchmark.casesPerSecond).toBeGreaterThan(0)
    for (const stage of ['issue', 'deliver', 'present', 'verify'] as const) expect(json.benchmark.stages[stage].totalMs).toBeGreaterThan(0)
    const html = readFileSync(join(out, 'report.html'), 'utf8')
    expect(html).toContain('<span lang="fr">')
    expect(html).toContain('<span lang="de">')
    expect(html).toContain('<svg')
    expect(html).not.toMatch(/<script|<link|src=|@import|url\(/i)
    const files = json.cases.flatMap((c) => c.credentials.map((x) => x.file))
    expect(files.length).toBeGreaterThan(CASES * 2)
    for (const file of files) {
      expect(file).toBeTruthy()
      const jwt = readFileSync(join(out, file!), 'utf8').trim()
      expect(jwt.split('.')).toHaveLength(3)
    }
    expect(readdirSync(join(out, 'credentials'))).toHaveLength(CASES)
  })

  it('privacy: no name, birth date, file, AZR or Eurodac number or holder DID — in clear, hex, base64(url), base58, SHA-256 or Keccak-256 — in what the ledger stores or serves', async () => {
    const { report } = first
    const stack = first.stack!
    const canaries = report.cases.flatMap((c) => canariesOf(c.label, c.person, c.holderDid))
    expect(canaries.length).toBe(CASES * 10)
    const needles = canaries.flatMap(needlesOf)
    // positive controls: values that are on the ledger must be found by the same scanner
    const controls = [
      { name: 'root TAO DID', value: report.stack.trustAnchor },
      { name: 'Bochum DID', value: report.authorities['bamf-bochum']!.did },
    ].flatMap(needlesOf)
    const result = await scanLedgerForCanaries({ ledgerUrl: stack.ledgerUrl, dataDir: stack.dataDir, needles: [...needles, ...controls] })
    const controlHits = new Set(result.hits.filter((h) => h.canary === 'root TAO DID' || h.canary === 'Bochum DID').map((h) => `${h.canary}|${h.where.split(' ')[0]}`))
    expect([...controlHits].some((h) => h.startsWith('root TAO DID|ledger.db'))).toBe(true)
    expect([...controlHits].some((h) => h.startsWith('root TAO DID|http'))).toBe(true)
    expect([...controlHits].some((h) => h.startsWith('Bochum DID|table'))).toBe(true)
    expect(result.hits.filter((h) => !h.canary.endsWith(' DID') || h.canary.includes('holderDid'))).toEqual([])
    expect(result.stats.rows).toBeGreaterThan(100)
    expect(result.stats.documents).toBeGreaterThan(50)
    expect(result.stats.blocks).toBeGreaterThan(10)
    expect(result.stats.transactions).toBeGreaterThan(10)
  }, 60_000)

  it('determinism: a second run with seed 7 on a fresh stack gives the same cases and outcomes', async () => {
    await first.stack?.stop()
    second = await runPilot({ cases: CASES, seed: 7, out: join(base, 'b'), portBase: 4720, addAuthorities: [bochum] })
    expect(existsSync(join(base, 'b', 'report.json'))).toBe(true)
    expect(normalizeReport(second.report)).toEqual(normalizeReport(first.report))
  }, 400_000)
})
