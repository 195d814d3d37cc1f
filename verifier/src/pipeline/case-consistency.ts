import { type StepResult, stepResult } from './types.ts'

/** What the chain check needs of each presented credential. */
export interface ChainMember {
  index: number
  hash: string
  subject: string | undefined
  /** `undefined` when the credential carries no previousMilestoneHash member. */
  previousHash: string | null | undefined
  supersedes: string | undefined
}

/**
 * Step 9, case consistency: one holder DID across the case, and the previous-hash chain: a
 * credential whose predecessor was not presented is a gap; two first milestones, or two successors
 * of one credential, fork the chain; a credential named in another's `supersedes` is superseded
 * (its facts are not used).
 */
export function checkCaseConsistency(members: readonly ChainMember[], holder: string | undefined): StepResult {
  const holders = [...new Set(members.map((m) => m.subject))]
  if (holders.length > 1 || (holder !== undefined && holders[0] !== undefined && holders[0] !== holder))
    return stepResult('case-consistency', 'failed', 'several-holders', { holders: holders.length })
  const byHash = new Map(members.map((m) => [m.hash, m.index]))
  const chained = members.filter((m) => m.previousHash !== undefined)
  const gaps = chained
    .filter((m) => m.previousHash !== null && !byHash.has(m.previousHash!))
    .map((m) => ({ credential: m.index, missingPredecessor: m.previousHash }))
  const firsts = chained.filter((m) => m.previousHash === null).map((m) => m.index)
  const successors = new Map<string, number[]>()
  for (const m of chained)
    if (m.previousHash) successors.set(m.previousHash, [...(successors.get(m.previousHash) ?? []), m.index])
  const forks = [...successors.entries()]
    .filter(([hash, list]) => list.length > 1 && !list.some((i) => members[i]?.supersedes !== undefined) && byHash.has(hash))
    .map(([hash, list]) => ({ predecessor: byHash.get(hash), successors: list }))
  const superseded = members
    .filter((m) => m.supersedes !== undefined && byHash.has(m.supersedes))
    .map((m) => ({ credential: byHash.get(m.supersedes!)!, supersededBy: m.index }))
  const details = { gaps, superseded, firstMilestones: firsts, forks, unchained: members.length - chained.length }
  if (gaps.length) return stepResult('case-consistency', 'failed', 'chain-gap', details)
  if (firsts.length > 1) return stepResult('case-consistency', 'failed', 'several-first-milestones', details)
  if (forks.length) return stepResult('case-consistency', 'failed', 'chain-fork', details)
  return stepResult('case-consistency', 'passed', superseded.length ? 'ok-with-superseded' : 'ok', details)
}
