// Collects the explanation of an assessment in the order the values were derived.
import type { ExplanationEntry } from './assessment.ts'

export class ExplanationLog {
  readonly #entries: ExplanationEntry[] = []

  /** Records one derived value. Undefined optional members are dropped so the output stays minimal. */
  add(entry: ExplanationEntry): void {
    const clean = Object.fromEntries(
      Object.entries(entry).filter(([, v]) => v !== undefined),
    ) as ExplanationEntry
    this.#entries.push(clean)
  }

  /** Marks the first entry on `subject` for manual review, adding a reason. */
  flagManualReview(subject: string, reason: string): void {
    const entry = this.#entries.find((e) => e.subject === subject)
    if (!entry) return
    entry.manualReview = true
    entry.note = entry.note ? `${entry.note}; ${reason}` : reason
  }

  /** Adds a note to the last entry on `subject` (a qualification known only later). */
  annotate(subject: string, note: string): void {
    const entry = this.#entries.findLast((e) => e.subject === subject)
    if (entry) entry.note = entry.note ? `${entry.note}; ${note}` : note
  }

  /** Renames the last entry on `from` (a value whose role is only known after it was computed). */
  rename(from: string, to: string): void {
    const entry = this.#entries.findLast((e) => e.subject === from)
    if (entry) entry.subject = to
  }

  entries(): ExplanationEntry[] {
    return this.#entries.map((e) => ({ ...e }))
  }
}
