// Property tests with a small seeded PRNG (deterministic, no extra dependency).
import { describe, expect, it } from 'vitest'
import {
  addMonths,
  assessDublinCase,
  isoWeekday,
  months,
  periodEnd,
  rollForwardToWorkingDay,
} from '../../src/dublin/index.ts'
import { randomFacts, randomIsoDate, seededRandom } from './random-facts.ts'

const RUNS = 400

describe('month arithmetic', () => {
  it('clamps to the last day of the target month, and never overflows into the next month', () => {
    const rnd = seededRandom(42)
    for (let i = 0; i < 2000; i++) {
      const start = randomIsoDate(rnd, 1990, 2040)
      const n = Math.floor(rnd() * 40)
      const [y, m, d] = start.split('-').map(Number) as [number, number, number]
      // Reference: Date.UTC with day 0 of the following month = last day of the target month.
      const target = new Date(Date.UTC(y, m - 1 + n, 1))
      const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate()
      const expected = `${target.getUTCFullYear()}-${String(target.getUTCMonth() + 1).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`
      expect(addMonths(start, n), `${start} + ${n}`).toBe(expected)
    }
  })
  it('maps the last day of a month to the last day (or the same day) of the target month', () => {
    for (let y = 2023; y <= 2031; y++)
      for (let m = 1; m <= 12; m++) {
        const lastDay = new Date(Date.UTC(y, m, 0)).getUTCDate()
        const eom = `${y}-${String(m).padStart(2, '0')}-${lastDay}`
        for (const n of [1, 3, 6, 12, 18, 36]) {
          const r = periodEnd(eom, months(n))
          const [ry, rm, rd] = r.split('-').map(Number) as [number, number, number]
          const targetLast = new Date(Date.UTC(ry, rm, 0)).getUTCDate()
          expect(rd).toBe(Math.min(lastDay, targetLast))
          expect((ry - y) * 12 + (rm - m)).toBe(n)
        }
      }
  })
  it('rolling forward never moves back and never lands on a weekend', () => {
    const rnd = seededRandom(7)
    for (let i = 0; i < 1000; i++) {
      const d = randomIsoDate(rnd, 2024, 2030)
      const r = rollForwardToWorkingDay(d, () => undefined).date
      expect(r >= d).toBe(true)
      expect(isoWeekday(r)).toBeLessThan(6)
    }
  })
})

describe('assessments of random cases', () => {
  const cases = (() => {
    const rnd = seededRandom(20260612)
    return Array.from({ length: RUNS }, () => randomFacts(rnd))
  })()

  it('never let a deadline precede the event that triggers it', () => {
    let checked = 0
    for (const { facts, options } of cases) {
      const a = assessDublinCase(facts, options)
      for (const e of a.explanation) {
        if (!e.calculation) continue
        expect(
          e.calculation.result >= e.calculation.start,
          `${e.subject} ${JSON.stringify(e.calculation)}`,
        ).toBe(true)
        checked++
      }
      if (a.replyDeadline && a.requestDeadline === undefined) continue
      if (a.transferDeadline && a.transferPeriodStart)
        expect(a.transferDeadline > a.transferPeriodStart).toBe(true)
      if (a.transferDeadline && a.transferDeadlineBeforeExtension)
        expect(a.transferDeadline > a.transferDeadlineBeforeExtension).toBe(true)
      if (a.requestingStateResponsibleFrom) expect(a.responsibleState).toBe(facts.requestingState)
    }
    expect(checked).toBeGreaterThan(RUNS)
  })

  it('are deterministic (same input, same output)', () => {
    for (const { facts, options } of cases.slice(0, 50))
      expect(assessDublinCase(facts, options)).toEqual(assessDublinCase(structuredClone(facts), options))
  })

  it('under the AMMR never end a deadline on a weekend', () => {
    for (const { facts, options } of cases) {
      const a = assessDublinCase(facts, options)
      if (a.ruleSet !== 'AMMR') continue
      for (const e of a.explanation)
        if (e.calculation) expect(isoWeekday(e.calculation.result), e.subject).toBeLessThan(6)
    }
  })
})
