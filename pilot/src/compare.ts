import type { ScenarioExpectation } from './scenarios/schema.ts'

/**
 * Compares what the verifier reported with a scenario's literal expectation. Pure; it reads the
 * report's assessment as data and never computes a deadline itself.
 */

/** The parts of a verifier report the comparison reads. */
export interface ObservedOutcome {
  verdict: string
  failingStep: string | null
  /** The as-of day the verifier states in its report. */
  asOf?: string
  /** The report's facts with their sources (`/reply`, `/reexamination/reply`, …). */
  facts?: readonly { fact: string; source?: unknown }[]
  assessment: Record<string, unknown> | undefined
}

export interface Mismatch {
  field: string
  expected: unknown
  actual: unknown
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null)

/**
 * @param asOf - the as-of day the scenario asked for; the report must state it.
 */
export function compareOutcome(expected: ScenarioExpectation, observed: ObservedOutcome, asOf?: string): Mismatch[] {
  const mismatches: Mismatch[] = []
  const check = (field: string, want: unknown, got: unknown) => {
    if (!same(want, got)) mismatches.push({ field, expected: want, actual: got ?? null })
  }
  check('verdict', expected.verdict, observed.verdict)
  if (expected.verdict !== 'valid' || observed.verdict !== 'valid')
    check('failingStep', expected.failingStep ?? null, observed.failingStep)
  const a = observed.assessment ?? {}
  const d = expected.dublin
  if (!observed.assessment) mismatches.push({ field: 'dublin', expected: 'an assessment', actual: null })
  if (asOf !== undefined) check('asOf', asOf, observed.asOf)
  check('dublin.status', d.status, a.status)
  if (d.statusAsOf !== undefined) check('dublin.statusAsOf', d.statusAsOf, a.statusAsOf)
  for (const key of [
    'ruleSet',
    'responsibleState',
    'requestTimely',
    'reexaminationTimely',
    'acceptanceType',
    'deemedAcceptedFrom',
    'requestingStateResponsibleFrom',
    'extensionApplied',
    'mustOfferNewApplication',
  ] as const)
    if (d[key] !== undefined) check(`dublin.${key}`, d[key], a[key])
  if (d.missingFacts)
    check('dublin.missingFacts', [...d.missingFacts].sort(), Array.isArray(a.missingFacts) ? [...(a.missingFacts as string[])].sort() : a.missingFacts)
  for (const [fact, source] of Object.entries(d.factSources ?? {})) {
    const pointer = `/${fact.replaceAll('.', '/')}`
    check(`dublin.factSources.${fact}`, source, observed.facts?.find((f) => f.fact === pointer)?.source)
  }
  if (d.explanationIncludes) {
    const text = JSON.stringify(a.explanation ?? [])
    for (const phrase of d.explanationIncludes)
      if (!text.includes(phrase)) mismatches.push({ field: 'dublin.explanation', expected: phrase, actual: null })
  }
  for (const [field, date] of Object.entries(d.deadlines)) check(`dublin.${field}`, date, a[field])
  return mismatches
}
