import { describe, expect, it } from 'vitest'
import { dublinSection } from '../../src/lib/dublin-report.ts'
import { catalogue, languages } from '../../src/lib/i18n/messages.ts'
import { isCalendarDate, parseVerifyForm, todayIn } from '../../src/lib/verify-form.ts'

const form = (fields: Record<string, string>) => {
  const data = new FormData()
  for (const [name, value] of Object.entries(fields)) data.set(name, value)
  return data
}

describe('the verifier workspace request form', () => {
  it('sends the as-of day (today by default) and nothing declared unless the officer declares', () => {
    expect(parseVerifyForm(form({ eurodacReference: 'DE1200000123456' }), '2026-12-07').request).toEqual({
      eurodacReference: 'DE1200000123456',
      asOf: '2026-12-07',
    })
    expect(parseVerifyForm(form({ asOf: '2026-01-15' }), '2026-12-07').request).toEqual({ asOf: '2026-01-15' })
  })

  it('turns a declared reply into declaredFacts: no reply up to a day, or the reply of a day', () => {
    const none = parseVerifyForm(form({ asOf: '2026-01-15', declaredReply: 'none', declaredReplyDate: '2025-11-17' }), '2026-12-07')
    expect(none.request?.declaredFacts).toEqual([{ fact: 'reply', value: { notBy: '2025-11-17' } }])
    const accepted = parseVerifyForm(form({ declaredReply: 'acceptance', declaredReplyDate: '2026-12-01' }), '2026-12-07')
    expect(accepted.request?.declaredFacts).toEqual([{ fact: 'reply', value: { type: 'acceptance', received: '2026-12-01' } }])
  })

  it('refuses a future or impossible as-of day, a declared day after it, a missing day and an unknown choice', () => {
    const errors = (fields: Record<string, string>) => parseVerifyForm(form(fields), '2026-12-07').errors
    expect(errors({ asOf: '2026-12-08' })).toEqual({ asOf: 'errAsOfFuture' })
    expect(errors({ asOf: '2026-02-30' })).toEqual({ asOf: 'errDate' })
    expect(errors({ asOf: '2026-01-15', declaredReply: 'none', declaredReplyDate: '2026-01-16' })).toEqual({ declaredReplyDate: 'errDeclaredAfterAsOf' })
    expect(errors({ declaredReply: 'rejection' })).toEqual({ declaredReplyDate: 'errRequired' })
    expect(errors({ declaredReply: 'maybe' })).toEqual({ declaredReply: 'errPattern' })
    expect(errors({ eurodacReference: 'x<y' })).toEqual({ eurodacReference: 'errPattern' })
    expect(parseVerifyForm(form({ asOf: '2026-12-08' }), '2026-12-07').request).toBeUndefined()
  })

  it('knows today in the verifier time zone and real calendar dates', () => {
    // 23:30 UTC on 31 Dec is already 1 Jan in Paris.
    expect(todayIn('Europe/Paris', new Date('2026-12-31T23:30:00Z'))).toBe('2027-01-01')
    expect(todayIn('UTC', new Date('2026-12-31T23:30:00Z'))).toBe('2026-12-31')
    expect(isCalendarDate('2028-02-29')).toBe(true)
    expect(isCalendarDate('2027-02-29')).toBe(false)
  })
})

describe('the Dublin section of a report', () => {
  // The shape of the verifier's report: facts with their source, the Dublin section with asOf.
  const report = {
    facts: [
      { fact: 'requestSent', value: '2025-09-15', source: 'credential', credentials: [2] },
      { fact: 'reply', value: { notBy: '2025-11-17' }, source: 'absence-attestation', credentials: [3], absentThrough: '2025-11-17' },
      { fact: 'transferExecuted', value: null, source: 'declared-by-verifier', credentials: [] },
      { fact: 'appeal', value: { notBy: '2025-12-31' }, source: 'complete-chain', credentials: [], absentThrough: '2025-12-31' },
    ],
    dublin: { asOf: '2026-01-15', timeZone: 'Europe/Paris', status: 'TRANSFER_PENDING', statusAsOf: '2026-01-10' },
    assessment: {
      status: 'TRANSFER_PENDING',
      statusAsOf: '2026-01-10',
      responsibleState: 'IT',
      ruleSet: 'DUBLIN_III',
      replyDeadline: '2025-11-15',
      deemedAcceptedFrom: '2025-11-16',
      transferDeadline: '2026-05-15',
      missingFacts: [],
    },
  }

  it('states the as-of day, the status with its own day, the deadlines in procedure order and each fact’s source', () => {
    const section = dublinSection(report)!
    expect(section.asOf).toBe('2026-01-15')
    expect(section.statusKey).toBe('dublinStatusTransferPending')
    expect(section.statusAsOf).toBe('2026-01-10')
    expect(section.deadlines.map((d) => d.field)).toEqual(['replyDeadline', 'deemedAcceptedFrom', 'transferDeadline'])
    expect(section.facts.map((f) => f.source?.kind)).toEqual(['credential', 'absence', 'declared', 'chain'])
    expect(section.facts[0]!.source?.params).toEqual({ index: '3' })
    expect(section.facts[1]!.source?.params).toEqual({ date: '2025-11-17', index: '4' })
    expect(section.facts[1]!.value).toEqual({ key: 'factNotBy', params: { date: '2025-11-17' } })
    expect(section.facts[2]!.value).toEqual({ key: 'factNotHappened', params: {} })
    expect(section.facts[3]!.source?.params).toEqual({ date: '2025-12-31' })
    expect(dublinSection({ ...report, assessment: undefined })).toBeUndefined()
  })

  it('has a label for every status and source in de, fr and en', () => {
    for (const lang of languages)
      for (const status of ['AWAITING_REQUEST', 'AWAITING_REPLY', 'REEXAMINATION_POSSIBLE', 'TRANSFER_PENDING', 'TRANSFER_DEADLINE_EXPIRED', 'INSUFFICIENT_EVIDENCE']) {
        const key = dublinSection({ ...report, dublin: { ...report.dublin, status }, assessment: { ...report.assessment, status } })!.statusKey!
        expect(catalogue[lang][key], `${lang} ${status}`).toBeTruthy()
      }
  })
})
