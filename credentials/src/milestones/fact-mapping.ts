/**
 * Maps milestone claims to Dublin-assessment facts with the catalogue's declarative `feeds`, so a
 * verifier needs no code per milestone type.
 */

import { getMilestone } from './catalogue.ts'
import { pointerTokens, readPointer } from './json-pointer.ts'
import type { DublinFactPath } from './types.ts'

/** One fact value established by a milestone. */
export interface FactAssignment {
  readonly fact: DublinFactPath
  readonly value: unknown
}

/**
 * The facts a milestone's (already validated) claims establish.
 * @param type - milestone type
 * @param claims - the credentialSubject
 * @returns assignments in catalogue order; claims that are absent assign nothing, or the mapping's
 *   `default` where it has one
 * @throws {UnknownMilestoneType}
 * @example
 * milestoneFactAssignments('DublinReplyMilestone', { replyType: 'acceptance', milestoneDate: '2026-03-02', … })
 * // [{ fact: '/reply/type', value: 'acceptance' }, { fact: '/reply/received', value: '2026-03-02' }]
 */
export function milestoneFactAssignments(type: string, claims: unknown): FactAssignment[] {
  const assignments: FactAssignment[] = []
  for (const mapping of getMilestone(type).feeds) {
    const value =
      'value' in mapping ? mapping.value : (readPointer(claims, mapping.from) ?? mapping.default)
    if (value !== undefined) assignments.push({ fact: mapping.fact, value: structuredClone(value) })
  }
  return assignments
}

/**
 * Writes assignments into a facts object (a new object; the input is not changed). A later
 * assignment to the same fact wins; conflicts between credentials are the verifier's to report.
 * @param facts - existing facts
 * @param assignments - from {@link milestoneFactAssignments}
 */
export function applyFactAssignments(
  facts: Readonly<Record<string, unknown>>,
  assignments: readonly FactAssignment[],
): Record<string, unknown> {
  const result = structuredClone(facts) as Record<string, unknown>
  for (const { fact, value } of assignments) {
    const tokens = pointerTokens(fact)
    let target = result
    for (const token of tokens.slice(0, -1)) {
      const next = target[token]
      if (next === null || typeof next !== 'object' || Array.isArray(next)) target[token] = {}
      target = target[token] as Record<string, unknown>
    }
    target[tokens.at(-1)!] = structuredClone(value)
  }
  return result
}
