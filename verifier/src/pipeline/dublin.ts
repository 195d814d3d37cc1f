import {
  assessDublinCase,
  type DublinAssessment,
  type DublinAssessmentOptions,
  type FactAssignment,
  isMilestoneType,
  milestoneFactAssignments,
} from '@flora/credentials'
import { type StepResult, stepResult } from './types.ts'

/** A verified, current milestone credential the facts come from. */
export interface FactSource {
  index: number
  type: string
  claims: unknown
}

/** One fact with the credential(s) it came from. */
export interface EstablishedFact {
  fact: string
  value: unknown
  credentials: number[]
}

/**
 * Step 11, Dublin: facts only from verified, not superseded milestone credentials (a fact no
 * presented credential establishes stays absent; nothing is guessed), conflicts between credentials
 * shown, then `assessDublinCase` with each date and its legal basis.
 */
export function assessFromCredentials(
  sources: readonly FactSource[],
  options: { asOf: string; verifierState?: string; dublin?: DublinAssessmentOptions },
): { result: StepResult; facts: EstablishedFact[]; assessment: DublinAssessment | undefined } {
  const established = new Map<string, EstablishedFact>()
  const conflicts: { fact: string; credentials: number[] }[] = []
  for (const source of sources) {
    if (!isMilestoneType(source.type)) continue
    let assignments: FactAssignment[]
    try {
      assignments = milestoneFactAssignments(source.type, source.claims)
    } catch {
      continue
    }
    for (const { fact, value } of assignments) {
      const existing = established.get(fact)
      if (!existing) established.set(fact, { fact, value, credentials: [source.index] })
      else if (JSON.stringify(existing.value) === JSON.stringify(value)) existing.credentials.push(source.index)
      else conflicts.push({ fact, credentials: [...existing.credentials, source.index] })
    }
  }
  const facts = [...established.values()]
  if (conflicts.length)
    return {
      result: stepResult('dublin', 'not-established', 'facts-conflict', { conflicts }),
      facts,
      assessment: undefined,
    }
  const input: Record<string, unknown> = { asOf: options.asOf }
  for (const { fact, value } of facts) {
    const tokens = fact.split('/').slice(1)
    let target = input
    for (const token of tokens.slice(0, -1)) {
      if (typeof target[token] !== 'object' || target[token] === null) target[token] = {}
      target = target[token] as Record<string, unknown>
    }
    target[tokens.at(-1)!] = value
  }
  if (
    options.verifierState &&
    input.requestingState !== undefined &&
    options.verifierState !== input.requestingState &&
    options.verifierState !== input.requestedState
  )
    input.verifier = { state: options.verifierState }
  const memoKey = `${JSON.stringify(input)}|${JSON.stringify(options.dublin ?? {})}`
  const memo = assessments.get(memoKey)
  if (memo) return { ...memo, facts }
  const result = assess(input, options.dublin, facts)
  if (assessments.size > 2000) assessments.clear()
  assessments.set(memoKey, result)
  return result
}

// The assessment is a pure function of its input: identical fact sets (the same case presented
// again) reuse it.
const assessments = new Map<string, ReturnType<typeof assess>>()

function assess(input: Record<string, unknown>, dublin: DublinAssessmentOptions | undefined, facts: EstablishedFact[]) {
  try {
    const assessment = assessDublinCase(input, dublin)
    return {
      result: stepResult('dublin', 'passed', assessment.status === 'INSUFFICIENT_EVIDENCE' ? 'insufficient-evidence' : 'ok', {
        ruleSet: assessment.ruleSet,
        status: assessment.status ?? null,
        missingFacts: assessment.missingFacts,
      }),
      facts,
      assessment,
    }
  } catch (error) {
    return {
      result: stepResult('dublin', 'not-established', 'facts-incomplete', { message: (error as Error).message }),
      facts,
      assessment: undefined,
    }
  }
}
