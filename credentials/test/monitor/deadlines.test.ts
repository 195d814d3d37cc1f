import { describe, expect, it } from 'vitest'
import { assessDublinCase } from '../../src/dublin/index.ts'
import {
  caseFactsFromMilestones,
  daysBetween,
  isTimeZone,
  openDeadlines,
  todayIn,
} from '../../src/monitor/index.ts'

// A take charge request under the AMMR: registered 1 Oct 2026, request sent 20 Nov 2026.
const base = {
  requestingState: 'DE',
  requestedState: 'IT',
  requestType: 'TCR',
  applicationLodged: '2026-10-01',
  applicationRegistered: '2026-10-01',
  requestSent: '2026-11-20',
}

const rowsFor = (facts: Record<string, unknown>, today: string, overdueWithinDays?: number) =>
  openDeadlines(assessDublinCase({ ...facts, asOf: today }), facts, today, { overdueWithinDays })

describe('openDeadlines', () => {
  it('a request waiting for a reply: the reply deadline, with its article and days left', () => {
    const rows = rowsFor(base, '2026-12-07')
    expect(rows[0]).toEqual({
      kind: 'reply',
      date: '2026-12-21',
      daysLeft: 14,
      overdue: false,
      article: 'AMMR Art. 40(1)',
    })
    // the request was sent: its deadline is not the monitor's concern any more
    expect(rows.map((row) => row.kind)).not.toContain('request')
  })

  it('after an acceptance: the transfer decision and the transfer, no reply deadline', () => {
    const facts = { ...base, reply: { type: 'acceptance', received: '2026-12-01' } }
    const rows = rowsFor(facts, '2026-12-07')
    expect(rows.map((row) => [row.kind, row.date])).toEqual([
      ['transferDecision', '2026-12-15'],
      ['transfer', '2027-06-01'],
    ])
    expect(rows[1]!.article).toMatch(/^AMMR Art\. 46/)
  })

  it('a served transfer decision leaves only the transfer', () => {
    const facts = {
      ...base,
      reply: { type: 'acceptance', received: '2026-12-01' },
      transferDecisionServed: '2026-12-03',
    }
    expect(rowsFor(facts, '2026-12-07').map((row) => row.kind)).toEqual(['transfer'])
  })

  it('a deadline passed without the act is overdue for a while, then dropped', () => {
    const rows = rowsFor(base, '2026-12-23')
    expect(rows[0]).toMatchObject({ kind: 'reply', daysLeft: -2, overdue: true })
    expect(rowsFor(base, '2026-12-23', 1).map((row) => row.kind)).not.toContain('reply')
  })

  it('absence forms (null, notBy) leave the act open; a recorded event closes it', () => {
    const today = '2026-12-07'
    const assessment = assessDublinCase({ ...base, asOf: today })
    expect(openDeadlines(assessment, { ...base, reply: null }, today)[0]?.kind).toBe('reply')
    expect(openDeadlines(assessment, { ...base, reply: { notBy: '2026-12-05' } }, today)[0]?.kind).toBe('reply')
    expect(
      openDeadlines(assessment, { ...base, reply: { type: 'rejection', received: '2026-12-02' } }, today).map(
        (row) => row.kind,
      ),
    ).not.toContain('reply')
  })

  it('the deadline day itself is day 0, not overdue', () => {
    expect(rowsFor(base, '2026-12-21')[0]).toMatchObject({ kind: 'reply', daysLeft: 0, overdue: false })
  })
})

describe('caseFactsFromMilestones', () => {
  it('reads facts in order, leaves out revoked and unknown milestones', () => {
    const { facts, unreadable } = caseFactsFromMilestones(
      [
        { type: 'ApplicationRegisteredMilestone', claims: { milestoneDate: '2026-10-01' }, state: 'issued' },
        {
          type: 'DublinRequestMilestone',
          claims: { milestoneDate: '2026-11-20', requestType: 'TCR', requestingState: 'DE', requestedState: 'IT' },
          state: 'offered',
        },
        { type: 'DublinReplyMilestone', claims: { milestoneDate: '2026-12-01', replyType: 'rejection' }, state: 'revoked' },
        { type: 'NoSuchMilestone', claims: {} },
      ],
      '2026-12-07',
    )
    expect(facts).toMatchObject({
      applicationRegistered: '2026-10-01',
      requestSent: '2026-11-20',
      requestType: 'TCR',
      asOf: '2026-12-07',
    })
    expect(facts.reply).toBeUndefined()
    expect(unreadable).toEqual(['NoSuchMilestone'])
  })
})

describe('calendar days and zones', () => {
  it('counts calendar days across months and years', () => {
    expect(daysBetween('2026-12-07', '2026-12-21')).toBe(14)
    expect(daysBetween('2026-12-31', '2027-01-01')).toBe(1)
    expect(daysBetween('2026-12-21', '2026-12-07')).toBe(-14)
  })

  it('today depends on the zone', () => {
    const instant = new Date('2026-12-07T23:30:00Z')
    expect(todayIn('Europe/Berlin', instant)).toBe('2026-12-08')
    expect(todayIn('America/Los_Angeles', instant)).toBe('2026-12-07')
    expect(todayIn('Pacific/Kiritimati', new Date('2026-12-07T10:30:00Z'))).toBe('2026-12-08')
    expect(isTimeZone('Europe/Berlin')).toBe(true)
    expect(isTimeZone('Mars/Olympus')).toBe(false)
  })
})
