// Input refusal: typed errors with stable codes, messages naming the field.
import { describe, expect, it } from 'vitest'
import {
  assessDublinCase,
  DublinError,
  DublinFactsInconsistent,
  DublinFactsInvalid,
  DublinOptionsInvalid,
} from '../../src/dublin/index.ts'

const base = {
  requestingState: 'DE',
  requestedState: 'IT',
  requestType: 'TCR',
  applicationLodged: '2024-01-31',
  asOf: '2024-03-01',
}

describe('facts validation', () => {
  it('refuses unknown fields at any depth, naming them', () => {
    const run = () =>
      assessDublinCase({
        ...base,
        foo: 1,
        eurodacHit: { category: 2, received: '2024-02-01', colour: 'red' },
      })
    expect(run).toThrow(DublinFactsInvalid)
    try {
      run()
    } catch (e) {
      const err = e as DublinFactsInvalid
      expect(err.code).toBe('ERR_DUBLIN_FACTS_INVALID')
      expect(err).toBeInstanceOf(DublinError)
      expect(err.problems).toContain('unknown field "foo"')
      expect(err.problems).toContain('unknown field "colour" in eurodacHit')
    }
  })
  it('refuses wrong types and codes, naming the field', () => {
    expect(() => assessDublinCase({ ...base, requestedState: 'Italy' })).toThrow(
      /requestedState: must be an ISO 3166-1 alpha-2 code/,
    )
    expect(() => assessDublinCase({ ...base, requestType: 'TCX' })).toThrow(/requestType/)
    expect(() => assessDublinCase({ ...base, eurodacHit: { category: 4, received: '2024-02-01' } })).toThrow(
      /eurodacHit.category/,
    )
    expect(() => assessDublinCase({ ...base, asOf: undefined })).toThrow(/asOf/)
  })
  it('refuses facts after asOf and contradictory facts', () => {
    expect(() => assessDublinCase({ ...base, requestSent: '2024-03-02' })).toThrow(DublinFactsInconsistent)
    expect(() =>
      assessDublinCase({ ...base, requestSent: '2024-02-10', requestReceived: '2024-02-09' }),
    ).toThrow(/"requestReceived"/)
    // A reply without a known request date is not an inconsistency (docs/DUBLIN-ABSENCE.md §5) …
    expect(() =>
      assessDublinCase({ ...base, reply: { type: 'acceptance', received: '2024-02-10' } }),
    ).not.toThrow()
    // … but a reply to a request stated as not sent is.
    expect(() =>
      assessDublinCase({ ...base, requestSent: null, reply: { type: 'acceptance', received: '2024-02-10' } }),
    ).toThrow(/"requestSent" is stated as not happened/)
    expect(() =>
      assessDublinCase({
        ...base,
        requestSent: { notBy: '2024-02-10' },
        reply: { type: 'acceptance', received: '2024-02-10' },
      }),
    ).toThrow(/"requestSent" is stated as not happened up to 2024-02-10/)
    // An absence cannot be known beyond asOf.
    expect(() => assessDublinCase({ ...base, requestSent: { notBy: '2024-03-02' } })).toThrow(
      /"requestSent.notBy" \(2024-03-02\) lies after asOf/,
    )
    expect(() =>
      assessDublinCase({ ...base, requestSent: '2024-02-10', transferExecuted: { notBy: '2024-03-05' } }),
    ).toThrow(/"transferExecuted.notBy"/)
    // null = known not to have happened: consistent with no request at all
    expect(() => assessDublinCase({ ...base, reply: null })).not.toThrow()
    expect(() =>
      assessDublinCase({
        ...base,
        requestSent: '2024-02-10',
        reply: { type: 'confirmation', received: '2024-02-12' },
      }),
    ).toThrow(/only a take back notification/)
    expect(() => assessDublinCase({ ...base, requestedState: 'DE' })).toThrow(/equals requestingState/)
    try {
      assessDublinCase({ ...base, requestSent: '2024-03-02' })
    } catch (e) {
      expect((e as DublinFactsInconsistent).code).toBe('ERR_DUBLIN_FACTS_INCONSISTENT')
      expect((e as DublinFactsInconsistent).field).toBe('requestSent')
    }
  })
  it('refuses a take back notification before the AMMR applied', () => {
    expect(() =>
      assessDublinCase({
        ...base,
        requestType: 'TBN',
        eurodacHit: { category: 1, received: '2024-02-01' },
        requestSent: '2024-02-05',
      }),
    ).toThrow(/exists only from the AMMR cut-off/)
  })
})

describe('options validation', () => {
  it('refuses unknown options and bad values', () => {
    expect(() => assessDublinCase(base, { rollforward: true } as never)).toThrow(DublinOptionsInvalid)
    expect(() => assessDublinCase(base, { implicitAnchor: 'never' } as never)).toThrow(/implicitAnchor/)
    expect(() => assessDublinCase(base, { holidayRegions: { DE: 'DE-XX' } })).toThrow(/DE-XX/)
    try {
      assessDublinCase(base, { cutOff: '2026-02-30' })
    } catch (e) {
      expect((e as DublinOptionsInvalid).code).toBe('ERR_DUBLIN_OPTIONS_INVALID')
    }
  })
})

describe('explanation', () => {
  it('states the calendar used for AMMR roll-forward, including an unknown Land', () => {
    const a = assessDublinCase({
      ...base,
      applicationLodged: undefined,
      applicationRegistered: '2026-06-15',
      asOf: '2026-06-20',
    })
    const entry = a.explanation.find((e) => e.subject === 'requestDeadlineFromLodging')!
    expect(entry.calendar).toMatch(/DE nationwide holidays only: the Land of the acting authority is unknown/)
    expect(entry.note).toMatch(/2026-08-15 is a Saturday.*next working day 2026-08-17 \(AMMR Art. 75\(d\)/)
  })
  it('warns of a Dublin III deadline on a weekend without moving it', () => {
    const a = assessDublinCase({ ...base, eurodacHit: { category: 2, received: '2024-02-20' } })
    const entry = a.explanation.find((e) => e.subject === 'requestDeadlineFromHit')!
    expect(entry.date).toBe('2024-04-20')
    expect(entry.note).toMatch(/Saturday; Dublin III Art. 42 provides no roll-forward.*2024-04-22/)
  })
  it('says why the COVID suspension does not count', () => {
    const a = assessDublinCase({
      ...base,
      requestSent: '2024-02-01',
      reply: { type: 'acceptance', received: '2024-02-10' },
      authoritySuspension: { from: '2024-02-15', reason: 'COVID-19' },
      transferExecuted: null,
    })
    expect(a.explanation.find((e) => e.subject === 'authoritySuspension')!.basis).toMatch(/C-245\/21/)
  })
})
