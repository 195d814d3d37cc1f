// Table-driven acceptance suite: every row of the Dublin III and AMMR tables, assessed in-process.
import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { assessDublinCase } from '../../src/dublin/index.ts'
import { AMMR_FIXTURES } from './fixtures/ammr.ts'
import { DUBLIN_III_FIXTURES } from './fixtures/dublin-iii.ts'
import type { DublinFixture } from './fixtures/types.ts'

function check(row: DublinFixture): void {
  const assessment = assessDublinCase(row.facts, row.options) as unknown as Record<string, unknown>
  for (const [key, value] of Object.entries(row.expect))
    expect(assessment[key], `${row.id} ${key}`).toEqual(value)
  for (const key of row.absent ?? [])
    expect(assessment, `${row.id} ${key} must be absent`).not.toHaveProperty(key)
  const ruleSetEntry = (assessment.explanation as { subject: string; manualReview?: true }[]).find(
    (e) => e.subject === 'ruleSet',
  )
  expect(ruleSetEntry?.manualReview === true, `${row.id} manual review flag`).toBe(row.manualReview === true)
}

describe('Dublin III table (Reg. 604/2013, Reg. 1560/2003)', () => {
  it('has at least 40 rows, each with its article and worked calculation', () => {
    expect(DUBLIN_III_FIXTURES.length).toBeGreaterThanOrEqual(40)
  })
  it.each(
    DUBLIN_III_FIXTURES.map(
      (r) => [`${r.id} ${r.title} [${r.article}]${r.verify ? ' [verify]' : ''}`, r] as const,
    ),
  )('%s', (_, row) => check(row))
})

describe('AMMR table (Reg. 2024/1351, Reg. 2025/2055) and transition', () => {
  it('has at least 25 rows', () => {
    expect(AMMR_FIXTURES.length).toBeGreaterThanOrEqual(25)
  })
  it.each(
    AMMR_FIXTURES.map((r) => [`${r.id} ${r.title} [${r.article}]${r.verify ? ' [verify]' : ''}`, r] as const),
  )('%s', (_, row) => check(row))
})

describe('the tables themselves', () => {
  const all = [...DUBLIN_III_FIXTURES, ...AMMR_FIXTURES]
  it('have unique ids and state article and calculation in every row', () => {
    expect(new Set(all.map((r) => r.id)).size).toBe(all.length)
    for (const r of all) {
      expect(r.article.length, r.id).toBeGreaterThan(5)
      expect(r.calculation, r.id).toMatch(/\d{4}-\d{2}-\d{2}/)
    }
  })
  it('include the month-end examples of Art. 42 Dublin III verbatim', () => {
    const text = all.map((r) => `${r.title} ${r.calculation}`).join('\n')
    for (const example of [
      '31 Jan + 1 m = 28/29 Feb',
      '30 Nov + 3 m = 28/29 Feb',
      '31 Aug + 6 m = 28/29 Feb',
      '31 Oct + 6 m = 30 Apr',
      '31 Aug 2022 + 18 m = 29 Feb 2024',
      '28 Feb + 1 m = 28 Mar',
    ])
      expect(text).toContain(example)
  })
  it('never import the code under test', () => {
    const dir = new URL('./fixtures/', import.meta.url)
    for (const file of readdirSync(dir)) {
      const source = readFileSync(new URL(file, dir), 'utf8')
      expect(source, file).not.toMatch(/from\s+['"][^'"]*\/src\//)
      expect(source, file).not.toMatch(/import\(['"][^'"]*\/src\//)
    }
  })
})
