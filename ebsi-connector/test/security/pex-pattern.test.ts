import { describe, expect, it } from 'vitest'
import { matchesFilter, matchPresentationDefinition, type PresentationDefinition } from '../../src/holder/index.ts'

/*
 * A presentation definition's `filter.pattern` is written by the requesting verifier and evaluated
 * by the holder. In a backtracking engine `^(.*)*!$` against a few dozen characters runs for
 * minutes (exponential); the holder evaluates patterns in linear time. (Before, this suite did not
 * finish: the first test never returned.)
 */

const credential = (jti: string, type: string) =>
  `e30.${Buffer.from(JSON.stringify({ jti, vc: { type: ['VerifiableCredential', 'VerifiableAttestation', type] } })).toString('base64url')}.sig`

describe('filter.pattern of a presentation definition', () => {
  it('a catastrophic pattern is evaluated (no match) instead of stalling the event loop', () => {
    const value = `urn:uuid:${'0123456789abcdef'.repeat(4)}`
    expect(matchesFilter(value, { type: 'string', pattern: '^(.*)*!$' })).toBe(false)
    expect(matchesFilter(value, { type: 'string', pattern: '^(a|a?)+$' })).toBe(false)
    expect(matchesFilter(`${value}!`, { type: 'string', pattern: '^(.*)*!$' })).toBe(true)
    const definition: PresentationDefinition = {
      id: 'hostile',
      input_descriptors: [{ id: 'x', constraints: { fields: [{ path: ['$.jti'], filter: { type: 'string', pattern: '^(.*)*!$' } }] } }],
    }
    expect(matchPresentationDefinition(definition, [credential(value, 'DublinRequestMilestone')])).toMatchObject({ satisfied: false, missing: ['x'] })
  })

  it('keeps JSON Schema semantics for the patterns definitions use (unanchored search, classes)', () => {
    expect(matchesFilter('DublinRequestMilestone', { pattern: 'Milestone$' })).toBe(true)
    expect(matchesFilter('MilestoneOther', { pattern: 'Milestone$' })).toBe(false)
    expect(matchesFilter('2026-05-04', { pattern: '^\\d{4}-\\d{2}-\\d{2}$' })).toBe(true)
    expect(matchesFilter('Aß', { pattern: '^\\p{L}+$' })).toBe(true)
  })

  it('a pattern the linear engine cannot express, or an overlong one, matches nothing', () => {
    expect(matchesFilter('abc', { pattern: '(?=a)abc' })).toBe(false)
    expect(matchesFilter('aa', { pattern: '(a)\\1' })).toBe(false)
    expect(matchesFilter('a', { pattern: `a|${'b'.repeat(2000)}` })).toBe(false)
  })
})
