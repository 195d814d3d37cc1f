import { describe, expect, it } from 'vitest'
import {
  deadlineChart,
  entryAbsence,
  dublinStateOf,
  sortTimeline,
  stageOf,
  type TimelineEntry,
  timelineSummary,
} from '../../src/lib/timeline.ts'

const entry = (over: Omit<Partial<TimelineEntry>, 'absence'> & { key: string; type: string }): TimelineEntry => ({
  absence: entryAbsence(over.type, over.milestoneDate ?? null),
  milestoneId: over.key,
  credentialId: `urn:uuid:${over.key}`,
  stage: 'REGISTRATION',
  milestoneDate: null,
  issuerName: 'BAMF Außenstelle Dresden',
  authorityId: 'bamf-dresden',
  issuedAt: '2026-05-05T10:00:00.000Z',
  state: 'valid',
  inWallet: true,
  anchor: { state: 'anchored', blockNumber: 12, anchoredAt: '2026-05-05T10:01:00.000Z' },
  claims: {},
  ...over,
})

describe('case timeline', () => {
  it('orders milestones by their date, then by issuance; undated last', () => {
    const sorted = sortTimeline([
      entry({ key: 'c', type: 'DublinRequestMilestone', milestoneDate: '2026-05-20' }),
      entry({ key: 'x', type: 'TransferDecisionMilestone', milestoneDate: null }),
      entry({ key: 'a', type: 'AsylumRequestRecordReachedBamfMilestone', milestoneDate: '2026-05-04', issuedAt: '2026-05-06T00:00:00Z' }),
      entry({ key: 'b', type: 'ApplicationRegisteredMilestone', milestoneDate: '2026-05-04', issuedAt: '2026-05-05T00:00:00Z' }),
    ])
    expect(sorted.map((e) => e.key)).toEqual(['b', 'a', 'c', 'x'])
  })

  it('derives the stage from the latest milestone in force (revoked and offered ones do not count)', () => {
    const entries = [
      entry({ key: 'a', type: 'ApplicationRegisteredMilestone', stage: 'REGISTRATION', milestoneDate: '2026-05-04' }),
      entry({ key: 'b', type: 'DublinRequestMilestone', stage: 'RESPONSIBILITY_DETERMINATION', milestoneDate: '2026-05-20' }),
      entry({ key: 'c', type: 'TransferDecisionMilestone', stage: 'DECISION', milestoneDate: '2026-06-20', state: 'revoked' }),
      entry({ key: 'd', type: 'TransferExecutedMilestone', stage: 'TRANSFER', milestoneDate: '2026-07-20', state: 'offered' }),
    ]
    expect(stageOf(entries)).toBe('RESPONSIBILITY_DETERMINATION')
    expect(stageOf([])).toBe('none')
  })

  it('derives the Dublin status for the list filter', () => {
    expect(dublinStateOf([])).toBe('none')
    expect(dublinStateOf([entry({ key: 'h', type: 'EurodacHitMilestone' })])).toBe('eurodac-hit')
    const request = entry({ key: 'r', type: 'DublinRequestMilestone', milestoneDate: '2026-05-20' })
    expect(dublinStateOf([request])).toBe('request-sent')
    const rejected = entry({ key: 'n', type: 'DublinReplyMilestone', milestoneDate: '2026-06-01', claims: { replyType: 'rejection' } })
    expect(dublinStateOf([request, rejected])).toBe('rejected')
    const accepted = entry({ key: 'y', type: 'DublinReexaminationReplyMilestone', milestoneDate: '2026-06-10', claims: { replyType: 'acceptance' } })
    expect(dublinStateOf([request, rejected, accepted])).toBe('accepted')
    expect(dublinStateOf([request, entry({ key: 't', type: 'TransferDecisionMilestone' })])).toBe('transfer-decided')
    expect(dublinStateOf([request, entry({ key: 'e', type: 'TransferExecutedMilestone', state: 'revoked' })])).toBe('request-sent')
  })

  it('summarises states and anchoring', () => {
    expect(
      timelineSummary([
        entry({ key: 'a', type: 'A' }),
        entry({ key: 'b', type: 'B', state: 'revoked' }),
        entry({ key: 'c', type: 'C', state: 'suspended', anchor: { state: 'pending', blockNumber: null, anchoredAt: null } }),
      ]),
    ).toEqual({ total: 3, valid: 1, revoked: 1, suspended: 1, anchored: 2, pending: 1 })
  })
})

describe('Dublin deadline chart', () => {
  const assessment = {
    ruleSet: 'DUBLIN_III',
    lodgingDateForDublin: '2026-05-04',
    requestDeadline: '2026-08-04',
    replyDeadline: '2026-07-20',
    status: 'AWAITING_REPLY',
    missingFacts: [],
  }

  it('places events and deadlines on a time axis, in date order, with today', () => {
    const chart = deadlineChart(assessment, '2026-06-01', 640)!
    expect(chart.points.map((p) => [p.key, p.kind])).toEqual([
      ['lodgingDateForDublin', 'event'],
      ['replyDeadline', 'deadline'],
      ['requestDeadline', 'deadline'],
    ])
    expect(chart.points[0]!.x).toBe(24)
    expect(chart.points.at(-1)!.x).toBe(616)
    expect(chart.today!.x).toBeGreaterThan(chart.points[0]!.x)
    expect(chart.today!.x).toBeLessThan(chart.points[1]!.x)
    expect(chart.points.map((p) => p.row)).toEqual([0, 1, 0])
    expect(chart.start).toBe('2026-05-04')
    expect(chart.end).toBe('2026-08-04')
  })

  it('extends the axis to today when today lies outside the dates', () => {
    const chart = deadlineChart(assessment, '2026-12-01', 640)!
    expect(chart.end).toBe('2026-12-01')
    expect(chart.today!.x).toBe(616)
  })

  it('draws nothing without an assessment or without dates', () => {
    expect(deadlineChart(undefined, '2026-06-01')).toBeNull()
    expect(deadlineChart({ status: 'INSUFFICIENT_EVIDENCE', missingFacts: ['requestSent'] }, '2026-06-01')).toBeNull()
  })
})
