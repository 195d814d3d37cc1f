import { type EurodacCommitment, verifyEurodacCommitment } from '@flora/credentials'
import { type StepResult, stepResult } from './types.ts'

/**
 * Step 10, subject binding: when the officer entered the Eurodac reference from the French hit,
 * every credential that carries a commitment must open to it. Without a reference, or without any
 * commitment, the binding is not established (and does not count towards the verdict).
 */
export async function checkSubjectBinding(
  commitments: { index: number; commitment: unknown }[],
  eurodacReference: string | undefined,
): Promise<StepResult> {
  if (!eurodacReference) return stepResult('subject-binding', 'not-established', 'no-reference-entered', {})
  const present = commitments.filter((c) => c.commitment !== undefined)
  if (present.length === 0) return stepResult('subject-binding', 'not-established', 'no-commitment-presented', {})
  const mismatched: number[] = []
  for (const { index, commitment } of present)
    if (!(await verifyEurodacCommitment(commitment as EurodacCommitment, eurodacReference))) mismatched.push(index)
  if (mismatched.length)
    return stepResult('subject-binding', 'failed', 'commitment-mismatch', { credentials: mismatched, checked: present.length })
  return stepResult('subject-binding', 'passed', 'ok', { checked: present.length })
}
