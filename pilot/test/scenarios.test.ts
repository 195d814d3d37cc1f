import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { compareOutcome } from '../src/compare.ts'
import { defaultBranchOffices, generateCases } from '../src/generate.ts'
import { defaultScenarioFile, loadScenarios, parseScenarioFile, runnableFrom, ScenarioFileInvalid, scenariosRunnableOn } from '../src/scenarios/load.ts'

const pilotRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const { scenarios } = loadScenarios()

describe('committed scenarios', () => {
  it('validate and cover every situation of Dublin III (Reg. 604/2013) and the AMMR (Reg. 2024/1351) the pilot must show, and every broken case', () => {
    const tags = new Set(scenarios.flatMap((s) => s.tags))
    for (const tag of [
      'TCR', 'TBR', 'TBN', 'TBR_ART24', 'eurodac-1', 'eurodac-2', 'eurodac-3', 'urgent', 'implicit-acceptance',
      'rejection', 'reexamination', 'appeal', 'suspensive-effect', 'absconding', 'extension', 'extension-late',
      'transfer-in-time', 'transfer-late', 'revoked', 'unaccredited', 'anchoring', 'chain-gap', 'withheld-reply',
    ])
      expect(tags, tag).toContain(tag)
    expect(new Set(scenarios.map((s) => s.ruleSet))).toEqual(new Set(['DUBLIN_III', 'AMMR']))
    const failing = new Set(scenarios.map((s) => s.expected.failingStep).filter(Boolean))
    expect(failing).toEqual(new Set(['status', 'accreditation', 'anchoring', 'case-consistency']))
    expect(scenarios.find((s) => s.id === 'broken-withheld-reply')?.expected.dublin.status).toBe('INSUFFICIENT_EVIDENCE')
    for (const s of scenarios) {
      expect(s.derivation.length, s.id).toBeGreaterThan(0)
      expect(Object.keys(s.expected.dublin.deadlines).length, s.id).toBeGreaterThan(0)
    }
  })

  it('reach the outcomes that rest on an absence from absence attestations, each with its own as-of day', () => {
    const absence = scenarios.filter((s) => s.tags.includes('absence'))
    for (const s of absence) {
      expect(s.asOf, s.id).toBeDefined()
      expect(s.events.some((e) => e.type.endsWith('AbsenceMilestone')), s.id).toBe(true)
    }
    const outcomes = new Set(absence.map((s) => `${s.ruleSet} ${s.events.find((e) => e.type === 'DublinRequestMilestone')?.claims.requestType} ${s.expected.dublin.status}`))
    for (const outcome of [
      'DUBLIN_III TCR TRANSFER_PENDING',
      'DUBLIN_III TCR AWAITING_REPLY',
      'DUBLIN_III TCR TRANSFER_DEADLINE_EXPIRED',
      'DUBLIN_III TCR INSUFFICIENT_EVIDENCE',
      'DUBLIN_III TBR TRANSFER_PENDING',
      'AMMR TCR TRANSFER_PENDING',
      'AMMR TBN TRANSFER_PENDING',
      'AMMR TCR TRANSFER_DEADLINE_EXPIRED',
    ])
      expect(outcomes, outcome).toContain(outcome)
    expect(absence.find((s) => s.tags.includes('negative-control'))?.expected.dublin.missingFacts).toEqual(['extensionNotified'])
    expect(absence.some((s) => s.tags.includes('detention') && s.ruleSet === 'AMMR')).toBe(true)
    expect(absence.some((s) => typeof s.expected.dublin.statusAsOf === 'string')).toBe(true)
    // AMMR scenarios concern applications registered on or after the AMMR cut-off.
    for (const s of scenarios.filter((x) => x.ruleSet === 'AMMR'))
      expect(s.events.find((e) => e.type === 'ApplicationRegisteredMilestone')!.date >= '2026-06-12', s.id).toBe(true)
  })

  it('defer a scenario until its as-of day, and refuse an event after it', () => {
    const { runnable, deferred } = scenariosRunnableOn(scenarios, '2026-12-17')
    expect(deferred.map((s) => s.id)).toEqual(['ammr-tcr-absence-transfer-deadline-expired'])
    expect(runnable.length + deferred.length).toBe(scenarios.length)
    // its attestations speak of 17.12.2026: the issuer signs them from 18.12.2026 on
    expect(runnableFrom(deferred[0]!)).toBe('2026-12-18')
    expect(scenariosRunnableOn(scenarios, '2026-12-18').deferred).toEqual([])
    // the day after an attestation's as-of day, across a month end
    expect(runnableFrom({ ...deferred[0]!, asOf: undefined, events: [{ ...deferred[0]!.events.at(-1)!, date: '2026-02-28' }] })).toBe('2026-03-01')
    const late = `version: 1
settledBy: 2026-11-27
scenarios:
  - id: x1
    title: { de: a, fr: b }
    ruleSet: DUBLIN_III
    eurodac: { state: IT, category: 1 }
    asOf: 2025-01-01
    events:
      - { type: DublinRequestMilestone, by: bamf-dublin-unit, date: 2025-01-02 }
    expected: { verdict: valid, dublin: { status: AWAITING_REPLY } }
`
    expect(() => parseScenarioFile(late, 'late.yaml')).toThrow(/events\/0\/date: event after the scenario's asOf 2025-01-01/)
  })

  it('refuse an invalid file with a message naming each failing path', () => {
    const bad = `version: 1
settledBy: 2026-11-27
scenarios:
  - id: x1
    title: { de: a, fr: b }
    ruleSet: DUBLIN_III
    eurodac: { state: IT, category: 4 }
    events:
      - { type: DublinRequestMilestone, by: somebody, date: 2025-02-30 }
      - { type: DublinReplyMilestone, by: bamf-dublin-unit, date: 2025-01-01 }
    fault: { kind: withhold, events: [nope] }
    expected: { verdict: invalid, dublin: { status: DONE } }
    extra: 1
`
    let error: unknown
    try {
      parseScenarioFile(bad, 'bad.yaml')
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ScenarioFileInvalid)
    const paths = (error as ScenarioFileInvalid).issues.map((i) => i.path)
    for (const path of [
      '/scenarios/0/eurodac/category',
      '/scenarios/0/events/0/by',
      '/scenarios/0/events/0/date',
      '/scenarios/0/expected/dublin/status',
      '/scenarios/0',
    ])
      expect(paths).toContain(path)
    expect((error as Error).message).toContain('bad.yaml')
    expect(() => parseScenarioFile('{"version":1,"settledBy":"2026-11-27","scenarios":[]}', 'empty.json')).toThrow(ScenarioFileInvalid)
  })

  it('accept JSON as well as YAML', () => {
    const yamlText = readFileSync(defaultScenarioFile, 'utf8')
    const parsed = parseScenarioFile(yamlText, 'f.yaml')
    expect(parseScenarioFile(JSON.stringify(parsed), 'f.json')).toEqual(parsed)
  })
})

describe('case generator', () => {
  it('is deterministic by seed and covers every scenario once per block', () => {
    const a = generateCases({ cases: 60, seed: 7, scenarios })
    expect(generateCases({ cases: 60, seed: 7, scenarios })).toEqual(a)
    expect(generateCases({ cases: 60, seed: 8, scenarios })).not.toEqual(a)
    const first = a.slice(0, scenarios.length).map((c) => c.scenarioId)
    expect(new Set(first).size).toBe(scenarios.length)
    expect(new Set(a.map((c) => c.office))).toEqual(new Set(defaultBranchOffices))
    expect(new Set(a.map((c) => c.profile))).toEqual(new Set(['ebsi-v3', 'v1']))
    expect(new Set(a.map((c) => c.holderKeySeed)).size).toBe(60)
  })

  it('varies identities and offices, never the scenario dates or expectations', () => {
    for (const c of generateCases({ cases: 50, seed: 3, scenarios })) {
      const s = scenarios.find((x) => x.id === c.scenarioId)!
      expect(c.events.map((e) => e.date)).toEqual(s.events.map((e) => e.date))
      expect(c.expected).toEqual(s.expected)
      expect(c.person.eurodacReference.slice(0, 3)).toBe(`${s.eurodac.state}${s.eurodac.category}`)
      expect(c.person.syntheticTestData).toBe(true)
      for (const [i, e] of c.events.entries())
        if (s.events[i]!.by === 'branch-office') expect(e.authority).toBe(c.office)
    }
  })
})

describe('expectation comparison', () => {
  const expected = scenarios.find((s) => s.id === 'd3-tcr-eurodac2-transfer-in-time')!.expected
  const assessment = {
    ruleSet: 'DUBLIN_III', status: 'TRANSFER_EXECUTED', responsibleState: 'IT', requestTimely: true, acceptanceType: 'explicit',
    requestDeadlineFromLodging: '2025-04-30', requestDeadlineFromHit: '2025-04-03', requestDeadline: '2025-04-03',
    replyDeadline: '2025-05-10', transferDeadline: '2025-10-22',
  }
  it('matches when every pinned field is equal and names each differing field otherwise', () => {
    expect(compareOutcome(expected, { verdict: 'valid', failingStep: null, assessment })).toEqual([])
    const off = compareOutcome(expected, { verdict: 'invalid', failingStep: 'status', assessment: { ...assessment, transferDeadline: '2025-10-23' } })
    expect(off.map((m) => m.field)).toEqual(['verdict', 'failingStep', 'dublin.transferDeadline'])
    expect(compareOutcome(expected, { verdict: 'valid', failingStep: null, assessment: undefined }).length).toBeGreaterThan(1)
  })

  it('checks the as-of day the report states and the status as-of day when the scenario pins them', () => {
    const pinned = { ...expected, dublin: { ...expected.dublin, statusAsOf: '2025-03-01' } }
    const observed = { verdict: 'valid', failingStep: null, asOf: '2025-11-01', assessment: { ...assessment, statusAsOf: '2025-03-01' } }
    expect(compareOutcome(pinned, observed, '2025-11-01')).toEqual([])
    expect(compareOutcome(pinned, { ...observed, asOf: '2025-11-02', assessment }, '2025-11-01').map((m) => m.field)).toEqual([
      'asOf',
      'dublin.statusAsOf',
    ])
    expect(compareOutcome({ ...expected, dublin: { ...expected.dublin, statusAsOf: null } }, observed).map((m) => m.field)).toEqual(['dublin.statusAsOf'])
  })

  it('checks the source the report gives a fact, when the scenario pins it', () => {
    const pinned = { ...expected, dublin: { ...expected.dublin, factSources: { reply: 'absence-attestation' as const, 'reexamination.reply': 'declared-by-verifier' as const } } }
    const facts = [
      { fact: '/reply', source: 'absence-attestation' },
      { fact: '/reexamination/reply', source: 'declared-by-verifier' },
    ]
    expect(compareOutcome(pinned, { verdict: 'valid', failingStep: null, assessment, facts })).toEqual([])
    expect(
      compareOutcome(pinned, { verdict: 'valid', failingStep: null, assessment, facts: [{ fact: '/reply', source: 'credential' }] }).map((m) => m.field),
    ).toEqual(['dublin.factSources.reply', 'dublin.factSources.reexamination.reply'])
  })
})

describe('scenario expectations never come from the assessment code', () => {
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name)
      return statSync(path).isDirectory() ? files(path) : [path]
    })
  const importsOf = (file: string) =>
    [...readFileSync(file, 'utf8').matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
      (m) => (m[1] ?? m[2])!,
    )

  it('no pilot source, scenario, benchmark or test names assessDublinCase or imports the Dublin rule code', () => {
    const self = fileURLToPath(import.meta.url)
    const all = ['src', 'scenarios', 'bench', 'test'].flatMap((d) => {
      try {
        return files(join(pilotRoot, d))
      } catch {
        return []
      }
    })
    expect(all.length).toBeGreaterThan(10)
    for (const file of all.filter((f) => f !== self)) {
      const text = readFileSync(file, 'utf8')
      expect(text, relative(pilotRoot, file)).not.toMatch(/assessDublin|flora-dublin|credentials\/dublin|credentials\/src\/dublin/)
    }
  })

  it('the scenario schema, loader, generator and comparison import nothing from @flora/credentials (not even the barrel)', () => {
    const roots = ['src/scenarios/schema.ts', 'src/scenarios/load.ts', 'src/generate.ts', 'src/compare.ts'].map((f) => join(pilotRoot, f))
    const visited = new Set<string>()
    const external = new Set<string>()
    const walk = (file: string) => {
      if (visited.has(file)) return
      visited.add(file)
      for (const spec of importsOf(file)) {
        if (spec.startsWith('.')) walk(resolve(dirname(file), spec))
        else external.add(spec)
      }
    }
    for (const root of roots) walk(root)
    expect(visited.size).toBeGreaterThanOrEqual(roots.length + 2)
    expect([...external].filter((spec) => spec.startsWith('@flora/'))).toEqual([])
    expect([...external].sort()).toEqual(['node:crypto', 'node:fs', 'node:path', 'node:url', 'yaml', 'zod'])
  })
})
