import { describe, expect, it } from 'vitest'
import { caseDublin, entryAbsence, type TimelineEntry } from '../../src/lib/timeline.ts'

// Expectations worked out by hand from Dublin III (Reg. 604/2013) and docs/DUBLIN-ABSENCE.md:
// take charge request received 2026-02-10 → two-month reply period (Art. 22(1)) ends 2026-04-10
// (a Friday, so no roll-forward question); no reply by then is a deemed acceptance (Art. 22(7)),
// which counts from the day after, 2026-04-11; with the default anchor the six-month transfer
// period (Art. 29(1)) runs from the deadline day 2026-04-10 to 2026-10-10.

// An absence is attested only once its as-of day is over (contract §3(a)): the helper issues absence
// attestations at noon UTC of the day after their as-of day, every other milestone on its own day.
// The request carries no urgency or detention mark, so it was sent as a non-urgent request for a
// person not detained (DublinRequestMilestone v2 feeds urgent.requested false, detained false).

let n = 0
const dayAfter = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)
const entry = (type: string, milestoneDate: string, claims: Record<string, unknown> = {}, over: Partial<TimelineEntry> = {}): TimelineEntry => {
  n += 1
  const issuedOn = entryAbsence(type, milestoneDate) ? dayAfter(milestoneDate) : milestoneDate
  return {
    key: `k${n}`,
    milestoneId: `m${n}`,
    credentialId: `urn:uuid:${n}`,
    type,
    stage: 'RESPONSIBILITY_DETERMINATION',
    milestoneDate,
    issuerName: 'BAMF Dublin unit',
    authorityId: 'bamf-dublin',
    issuedAt: `${issuedOn}T12:00:00.000Z`,
    state: 'valid',
    inWallet: true,
    anchor: { state: 'none', blockNumber: null, anchoredAt: null },
    claims: { milestoneDate, ...claims },
    absence: entryAbsence(type, milestoneDate),
    ...over,
  }
}

const states = { requestingState: 'DE', requestedState: 'FR' }
const lodged = () => entry('AsylumRequestRecordReachedBamfMilestone', '2026-01-05')
const request = () => entry('DublinRequestMilestone', '2026-02-09', { requestType: 'TCR', ...states, requestReceived: '2026-02-10' })
const noReply = (day: string, over: Partial<TimelineEntry> = {}) =>
  entry('DublinReplyAbsenceMilestone', day, { requestType: 'TCR', ...states, requestReceived: '2026-02-10' }, over)

describe('absence attestations in the timeline', () => {
  it('names the event each absence type is about, with its as-of day', () => {
    expect(entryAbsence('DublinReplyAbsenceMilestone', '2026-04-20')).toEqual({ event: 'reply', through: '2026-04-20' })
    expect(entryAbsence('DublinReexaminationReplyAbsenceMilestone', '2026-05-01')).toEqual({ event: 'reexaminationReply', through: '2026-05-01' })
    expect(entryAbsence('TransferExtensionAbsenceMilestone', '2026-05-01')).toEqual({ event: 'extension', through: '2026-05-01' })
    expect(entryAbsence('SuspensiveEffectAbsenceMilestone', '2026-05-01')).toEqual({ event: 'suspensiveEffect', through: '2026-05-01' })
    expect(entryAbsence('TransferAbsenceMilestone', null as unknown as string)).toEqual({ event: 'transfer', through: null })
  })

  it('gives no absence for milestones that record an event, or unknown types', () => {
    expect(entryAbsence('DublinReplyMilestone', '2026-04-01')).toBeNull()
    expect(entryAbsence('NoSuchMilestone', '2026-04-01')).toBeNull()
  })
})

describe('the case Dublin assessment with absence attestations', () => {
  it('reads no reply through the deadline as a deemed acceptance from the day after', () => {
    const dublin = caseDublin(
      [
        lodged(),
        request(),
        noReply('2026-04-20'),
        entry('TransferExtensionAbsenceMilestone', '2026-05-01', states),
        entry('SuspensiveEffectAbsenceMilestone', '2026-05-01'),
        entry('TransferAbsenceMilestone', '2026-04-30', { receivingState: 'FR' }),
      ],
      '2026-05-01',
    )
    const a = dublin.assessment!
    expect(dublin.error).toBeNull()
    expect(a.replyDeadline).toBe('2026-04-10')
    expect(a.acceptanceType).toBe('implicit')
    expect(a.deemedAcceptedFrom).toBe('2026-04-11')
    expect(a.transferPeriodStart).toBe('2026-04-10')
    expect(a.transferDeadline).toBe('2026-10-10')
    // The extension and the suspensive effect are absent only up to 2026-05-01: later ones could
    // still move the deadline.
    expect(a.transferDeadlineIsLowerBound).toBe(true)
    expect(a.transferDeadlineIsUpperBound).toBeUndefined()
    // No transfer is attested only up to 2026-04-30, the day before asOf: pending as of that day.
    expect(a.status).toBe('TRANSFER_PENDING')
    expect(a.statusAsOf).toBe('2026-04-30')
    expect(a.missingFacts).toContain('transferExecuted')
    expect(dublin.absences.map((x) => [x.event, x.through])).toEqual([
      ['suspensiveEffect', '2026-05-01'],
      ['extension', '2026-05-01'],
      ['reply', '2026-04-20'],
      ['transfer', '2026-04-30'],
    ])
    expect(dublin.conflicts).toEqual([])
  })

  it('keeps the reply phase open as of an as-of day before the reply deadline', () => {
    const a = caseDublin([lodged(), request(), noReply('2026-03-01')], '2026-05-01').assessment!
    expect(a.status).toBe('AWAITING_REPLY')
    expect(a.statusAsOf).toBe('2026-03-01')
    expect(a.missingFacts).toContain('reply')
    expect(a.deemedAcceptedFrom).toBeUndefined()
  })

  it('leaves the reply unknown without an attestation: not "did not happen"', () => {
    const a = caseDublin([lodged(), request()], '2026-05-01').assessment!
    expect(a.status).toBe('INSUFFICIENT_EVIDENCE')
    expect(a.missingFacts).toContain('reply')
    expect(a.acceptanceType).not.toBe('implicit')
  })

  it('uses a reply that came after the absence (explicit acceptance) and names the absence', () => {
    const dublin = caseDublin(
      [lodged(), request(), noReply('2026-03-01'), entry('DublinReplyMilestone', '2026-03-15', { replyType: 'acceptance' })],
      '2026-05-01',
    )
    expect(dublin.assessment!.acceptanceType).toBe('explicit')
    expect(dublin.absences).toEqual([expect.objectContaining({ event: 'reply', through: '2026-03-01' })])
    expect(dublin.conflicts).toEqual([])
  })

  it('treats a reply within the attested absence as a conflict: the reply stays unknown', () => {
    const reply = entry('DublinReplyMilestone', '2026-03-15', { replyType: 'acceptance' })
    const absence = noReply('2026-04-20')
    const dublin = caseDublin([lodged(), request(), reply, absence], '2026-05-01')
    expect(dublin.conflicts).toEqual([{ fact: '/reply', reason: 'event-within-absence', keys: [reply.key, absence.key] }])
    expect(dublin.assessment!.missingFacts).toContain('reply')
  })

  it('does not use an absence whose as-of day lies after its issuance', () => {
    const late = noReply('2026-04-20', { issuedAt: '2026-04-19T23:00:00.000Z' })
    const dublin = caseDublin([lodged(), request(), late], '2026-05-01')
    expect(dublin.conflicts).toEqual([{ fact: '/reply', reason: 'absence-after-issuance', keys: [late.key] }])
    expect(dublin.assessment!.status).toBe('INSUFFICIENT_EVIDENCE')
  })

  it('ignores revoked, suspended and not yet issued attestations', () => {
    for (const over of [{ state: 'revoked' as const }, { state: 'suspended' as const }, { state: 'offered' as const, issuedAt: null }]) {
      const a = caseDublin([lodged(), request(), noReply('2026-04-20', over)], '2026-05-01').assessment!
      expect(a.acceptanceType).not.toBe('implicit')
      expect(a.missingFacts).toContain('reply')
    }
  })

  it('gives no assessment before a milestone names the states and the request type', () => {
    const dublin = caseDublin([lodged()], '2026-05-01')
    expect(dublin.assessment).toBeNull()
    expect(dublin.error).toBeNull()
    expect(dublin.unknownBasics).toEqual(['requestingState', 'requestedState', 'requestType'])
  })
})

describe('detention and urgency as the request states them', () => {
  // Hand-worked: request received 2026-02-10 from a person detained (Art. 28(3) second subpara.:
  // reply within two weeks) → last day 2026-02-24, deemed accepted from 2026-02-25; six-month
  // transfer period from the deadline day → 2026-08-24.
  it('a request marked detained shortens the reply period to two weeks', () => {
    const detainedRequest = entry('DublinRequestMilestone', '2026-02-09', { requestType: 'TCR', ...states, requestReceived: '2026-02-10', detained: true })
    const a = caseDublin([lodged(), detainedRequest, noReply('2026-03-01')], '2026-03-05').assessment!
    expect(a.replyDeadline).toBe('2026-02-24')
    expect(a.acceptanceType).toBe('implicit')
    expect(a.deemedAcceptedFrom).toBe('2026-02-25')
    expect(a.transferDeadline).toBe('2026-08-24')
    expect(a.missingFacts).not.toContain('detained')
  })

  it('an unmarked request and a detention start disagree: detention is unknown and decides here', () => {
    // Not detained: two months, the reply is awaited as of 2026-03-01. Detained: silence through
    // 2026-03-01 would be an acceptance. The engine does not choose.
    const detention = entry('DetentionStartMilestone', '2026-02-01', {}, { stage: 'DETENTION' })
    const req = request()
    const dublin = caseDublin([lodged(), detention, req, noReply('2026-03-01')], '2026-03-05')
    expect(dublin.conflicts).toEqual([{ fact: '/detained', reason: 'values-differ', keys: [detention.key, req.key] }])
    expect(dublin.assessment!.status).toBe('INSUFFICIENT_EVIDENCE')
    expect(dublin.assessment!.missingFacts).toContain('detained')
    expect(dublin.requestReceivedDisputed).toBe(false)
  })

  it('reports a disputed day of receipt', () => {
    const other = noReply('2026-03-01')
    other.claims = { ...other.claims, requestReceived: '2026-02-11' }
    const dublin = caseDublin([lodged(), request(), other], '2026-03-05')
    expect(dublin.requestReceivedDisputed).toBe(true)
    expect(dublin.assessment!.replyDeadline).toBeUndefined()
  })
})
