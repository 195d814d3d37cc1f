// The facts a case's recorded milestones establish, the input of the monitor's assessment.
import { applyFactAssignments, milestoneFactAssignments } from '../milestones/fact-mapping.ts'

export interface CaseFacts {
  facts: Record<string, unknown>
  /** Milestone types whose claims could not be read as facts (unknown to this catalogue version). */
  unreadable: string[]
}

/**
 * Applies the facts of each milestone in the order given (a later one wins, as a correction does).
 * Revoked milestones are left out: a revoked credential establishes nothing.
 */
export function caseFactsFromMilestones(
  milestones: readonly { type: string; claims: unknown; state?: string }[],
  asOf: string,
): CaseFacts {
  let facts: Record<string, unknown> = {}
  const unreadable: string[] = []
  for (const milestone of milestones) {
    if (milestone.state === 'revoked') continue
    try {
      facts = applyFactAssignments(facts, milestoneFactAssignments(milestone.type, milestone.claims))
    } catch {
      unreadable.push(milestone.type)
    }
  }
  return { facts: { ...facts, asOf }, unreadable }
}
