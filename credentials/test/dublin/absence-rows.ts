// Shared shape and checker of the absence and contract tables. The rows are data worked out by hand
// (the calculation is written in each row); the checker only compares them with the assessment.
import { expect } from 'vitest'
import { assessDublinCase } from '../../src/dublin/index.ts'

export type Row = {
  id: string
  title: string
  /** The article(s) the expectation rests on. */
  article: string
  /** The hand calculation: start, rule, result. */
  calculation: string
  facts: Record<string, unknown>
  options?: Record<string, unknown>
  expect: Record<string, unknown>
  absent?: string[]
  /** Text that the explanation entry on `subject` must contain. */
  explains?: { subject: string; text: string }[]
}

export function checkRow(row: Row): void {
  const a = assessDublinCase(row.facts, row.options) as unknown as Record<string, unknown>
  for (const [key, value] of Object.entries(row.expect)) expect(a[key], `${row.id} ${key}`).toEqual(value)
  for (const key of row.absent ?? []) expect(a, `${row.id} ${key} must be absent`).not.toHaveProperty(key)
  const entries = a.explanation as { subject: string; note?: string; basis: string }[]
  for (const { subject, text } of row.explains ?? []) {
    const texts = entries.filter((e) => e.subject === subject).map((e) => `${e.basis} ${e.note ?? ''}`)
    expect(texts.join(' | '), `${row.id} explanation of ${subject}`).toContain(text)
  }
}

export const tcr = (facts: Record<string, unknown>) => ({
  requestingState: 'DE',
  requestedState: 'IT',
  requestType: 'TCR',
  // The rows were worked out for a person not in detention; an absent `detained` would be unknown.
  detained: false,
  // … and for a request that was not urgent (an absent `urgent` would be unknown as well).
  urgent: { requested: false },
  ...facts,
})
export const tbr = (facts: Record<string, unknown>) => ({
  requestingState: 'DE',
  requestedState: 'IT',
  requestType: 'TBR',
  // The rows were worked out for a person not in detention; an absent `detained` would be unknown.
  detained: false,
  ...facts,
})
export const tbn = (facts: Record<string, unknown>) => ({
  requestingState: 'DE',
  requestedState: 'IT',
  requestType: 'TBN',
  // The rows were worked out for a person not in detention; an absent `detained` would be unknown.
  detained: false,
  ...facts,
})
