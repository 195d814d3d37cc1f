// The CLI and the published JSON Schemas: the CLI equals assessDublinCase() for every table row, its
// output validates against the assessment schema (no additional properties), unknown input fields
// are refused by name, and the result does not depend on the machine's time zone.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import Ajv2020 from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { describe, expect, it } from 'vitest'
import { runDublinCli } from '../../src/dublin/cli.ts'
import { assessDublinCase } from '../../src/dublin/index.ts'
import { generatedFactsSchema } from './facts-schema-source.ts'
import { AMMR_FIXTURES } from './fixtures/ammr.ts'
import { DUBLIN_III_FIXTURES } from './fixtures/dublin-iii.ts'
import { randomFacts, seededRandom } from './random-facts.ts'

const ROWS = [...DUBLIN_III_FIXTURES, ...AMMR_FIXTURES]
const BIN = fileURLToPath(new URL('../../bin/flora-dublin.js', import.meta.url))
const CWD = fileURLToPath(new URL('../../', import.meta.url))
const readJson = (path: string) => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8'))

const ajv = new Ajv2020.default({ allErrors: true, strict: true, allowUnionTypes: true })
addFormats.default(ajv)
const validateAssessment = ajv.compile(readJson('../../schemas/dublin-assessment.schema.json'))
const validateFacts = ajv.compile(readJson('../../schemas/dublin-facts.schema.json'))

function cliArgs(options: Record<string, unknown> = {}): string[] {
  const args = ['assess']
  if (options.rollForward) args.push('--roll-forward')
  if (options.implicitAnchor) args.push('--implicit-anchor', String(options.implicitAnchor))
  if (options.cutOff) args.push('--cut-off', String(options.cutOff))
  if (options.transitionProcedure) args.push('--transition-procedure', String(options.transitionProcedure))
  const regions = options.holidayRegions as Record<string, string> | undefined
  if (regions?.DE) args.push('--holiday-region', regions.DE)
  return args
}

function spawnCli(args: string[], stdin: string, tz?: string) {
  return spawnSync(process.execPath, [BIN, ...args], {
    cwd: CWD,
    input: stdin,
    encoding: 'utf8',
    env: { ...process.env, ...(tz ? { TZ: tz } : {}) },
    timeout: 60_000,
  })
}

describe('published JSON Schemas', () => {
  it('the facts schema file is the one generated from the zod schema', () => {
    expect(readJson('../../schemas/dublin-facts.schema.json')).toEqual(generatedFactsSchema())
  })
  it('the assessment schema forbids additional properties', () => {
    const schema = readJson('../../schemas/dublin-assessment.schema.json')
    expect(schema.additionalProperties).toBe(false)
    expect(schema.$defs.explanationEntry.additionalProperties).toBe(false)
    const one = assessDublinCase(ROWS[0]!.facts)
    expect(validateAssessment({ ...one, surplus: 1 })).toBe(false)
  })
  it.each(ROWS.map((r) => [r.id, r] as const))('%s: facts and assessment validate', (_, row) => {
    expect(validateFacts(row.facts), JSON.stringify(validateFacts.errors)).toBe(true)
    const a = assessDublinCase(row.facts, row.options)
    expect(validateAssessment(a), JSON.stringify(validateAssessment.errors)).toBe(true)
  })
  it('random cases validate too', () => {
    const rnd = seededRandom(99)
    for (let i = 0; i < 200; i++) {
      const { facts, options } = randomFacts(rnd)
      expect(validateFacts(facts)).toBe(true)
      const a = assessDublinCase(facts, options)
      expect(validateAssessment(a), JSON.stringify(validateAssessment.errors)).toBe(true)
    }
  })
})

// Absence forms (docs/DUBLIN-ABSENCE.md §1): { notBy } and null pass the schema and the CLI unchanged.
const NOT_BY_FACTS = {
  requestingState: 'DE',
  requestedState: 'IT',
  requestType: 'TCR',
  detained: false,
  urgent: { requested: false },
  applicationLodged: '2024-01-10',
  eurodacHit: null,
  requestSent: '2024-02-01',
  reply: { type: 'acceptance', received: '2024-03-01' },
  extensionNotified: { notBy: '2024-09-01' },
  appeal: { notBy: '2024-09-01' },
  transferExecuted: { notBy: '2024-08-15' },
  asOf: '2024-10-01',
}

describe('absence forms through schema and CLI', () => {
  it('a { notBy } input validates, passes the CLI and gives statusAsOf', () => {
    expect(validateFacts(NOT_BY_FACTS), JSON.stringify(validateFacts.errors)).toBe(true)
    const result = runDublinCli(['assess'], JSON.stringify(NOT_BY_FACTS))
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const output = JSON.parse(result.stdout)
    expect(output).toEqual(assessDublinCase(NOT_BY_FACTS))
    expect(validateAssessment(output), JSON.stringify(validateAssessment.errors)).toBe(true)
    // transfer deadline 2024-03-01 + 6 months = 2024-09-01; no transfer known only up to 2024-08-15
    expect(output.status).toBe('TRANSFER_PENDING')
    expect(output.statusAsOf).toBe('2024-08-15')
    expect(output.missingFacts).toEqual(['transferExecuted'])
  })
  it('refuses a malformed { notBy } and a notBy after asOf, naming the field', () => {
    expect(validateFacts({ ...NOT_BY_FACTS, appeal: { notBy: '01/09/2024' } })).toBe(false)
    const bad = runDublinCli(['assess'], JSON.stringify({ ...NOT_BY_FACTS, appeal: { notBy: '2024-13-01' } }))
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(/appeal\.notBy: must be an existing calendar date/)
    const late = runDublinCli(
      ['assess'],
      JSON.stringify({ ...NOT_BY_FACTS, appeal: { notBy: '2024-10-02' } }),
    )
    expect(late.code).toBe(1)
    expect(late.stderr).toMatch(/"appeal\.notBy" \(2024-10-02\) lies after asOf/)
  })
  it('the new statuses and output fields are in the assessment schema', () => {
    const schema = readJson('../../schemas/dublin-assessment.schema.json')
    expect(schema.properties.status.enum).toEqual(
      expect.arrayContaining(['AWAITING_REQUEST', 'REEXAMINATION_POSSIBLE']),
    )
    for (const key of ['statusAsOf', 'transferDeadlineIsUpperBound', 'transferDeadlineIsLowerBound'])
      expect(schema.properties, key).toHaveProperty(key)
  })
})

describe('flora-dublin CLI (in-process runner)', () => {
  it.each(ROWS.map((r) => [r.id, r] as const))('%s: output equals assessDublinCase()', (_, row) => {
    const result = runDublinCli(cliArgs(row.options), JSON.stringify(row.facts))
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const output = JSON.parse(result.stdout)
    expect(output).toEqual(assessDublinCase(row.facts, row.options))
    expect(validateAssessment(output)).toBe(true)
  })
  it('refuses unknown input fields, naming them, with exit code 1', () => {
    const facts = {
      ...ROWS[0]!.facts,
      lodgedOn: '2024-01-01',
      reply: { type: 'acceptance', received: '2024-05-10', via: 'fax' },
    }
    const result = runDublinCli(['assess'], JSON.stringify(facts))
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toContain('ERR_DUBLIN_FACTS_INVALID')
    expect(result.stderr).toContain('"lodgedOn"')
    expect(result.stderr).toContain('"via" in reply')
  })
  it('reports bad JSON, bad dates and bad flags clearly', () => {
    expect(runDublinCli(['assess'], '{').stderr).toMatch(/stdin is not JSON/)
    const badDate = runDublinCli(['assess'], JSON.stringify({ ...ROWS[0]!.facts, requestSent: '2024-02-30' }))
    expect(badDate.code).toBe(1)
    expect(badDate.stderr).toMatch(/requestSent: must be an existing calendar date/)
    const flag = runDublinCli(['assess', '--implicit-anchor', 'tomorrow'], '{}')
    expect(flag.code).toBe(2)
    expect(flag.stderr).toMatch(/replyDeadline or dayAfter/)
    expect(runDublinCli([], '{}').stderr).toMatch(/usage: flora-dublin assess/)
  })
})

describe('flora-dublin CLI (spawned)', () => {
  it('runs without a build step and honours --roll-forward and --implicit-anchor', () => {
    const row = DUBLIN_III_FIXTURES.find((r) => r.id === 'D3-21')!
    const run = spawnCli(
      ['assess', '--roll-forward', '--implicit-anchor', 'dayAfter'],
      JSON.stringify(row.facts),
    )
    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)
    expect(JSON.parse(run.stdout)).toEqual(
      assessDublinCase(row.facts, { rollForward: true, implicitAnchor: 'dayAfter' }),
    )
  })
  it('exits non-zero with a message naming an unknown field', () => {
    const run = spawnCli(['assess'], JSON.stringify({ ...ROWS[0]!.facts, caseNumber: 'X' }))
    expect(run.status).toBe(1)
    expect(run.stdout).toBe('')
    expect(run.stderr).toMatch(/unknown field "caseNumber"/)
  })
  it.each(['Pacific/Kiritimati', 'America/Adak'])(
    'gives the in-process result for every table row under TZ=%s',
    (tz) => {
      const batch = ROWS.map((r) => ({ facts: r.facts, options: r.options }))
      const run = spawnCli(['assess', '--batch'], JSON.stringify(batch), tz)
      expect(run.stderr).toBe('')
      expect(run.status).toBe(0)
      const results = JSON.parse(run.stdout) as { assessment?: unknown; error?: string }[]
      expect(results).toHaveLength(ROWS.length)
      ROWS.forEach((row, i) => {
        expect(results[i]!.error, row.id).toBeUndefined()
        expect(results[i]!.assessment, row.id).toEqual(assessDublinCase(row.facts, row.options))
      })
    },
  )
})
