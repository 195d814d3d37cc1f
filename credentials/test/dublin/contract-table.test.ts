// The engine contract (docs/DUBLIN-ABSENCE.md §5), one row per point: (a) null and { notBy } for
// every event fact, (b) deemedAcceptedFrom and transferPeriodStart at month ends, (c) a status in
// every phase, (d) a reply without a known request date. Expectations are worked out by hand.
import { describe, expect, it } from 'vitest'
import { assessDublinCase } from '../../src/dublin/index.ts'
import { checkRow, type Row, tbn, tcr } from './absence-rows.ts'

const ALL_EVENT_FACTS = [
  'eurodacHit',
  'requestSent',
  'reply',
  'reexamination',
  'transferDecisionServed',
  'appeal',
  'authoritySuspension',
  'absconded',
  'imprisoned',
  'extensionNotified',
  'transferExecuted',
]
const every = (value: unknown) => Object.fromEntries(ALL_EVENT_FACTS.map((k) => [k, value]))

const A_ROWS: Row[] = [
  {
    id: '5a-1',
    title: 'null for every event fact (Dublin III): no request yet, request period running',
    article: 'Dublin III Art. 21(1); docs/DUBLIN-ABSENCE.md §1, §5(a)',
    calculation:
      'lodged 2024-01-10 + 3 months = 2024-04-10; nothing sent by asOf 2024-03-01 → AWAITING_REQUEST',
    facts: tcr({ applicationLodged: '2024-01-10', ...every(null), asOf: '2024-03-01' }),
    expect: {
      requestDeadline: '2024-04-10',
      status: 'AWAITING_REQUEST',
      responsibleState: null,
      missingFacts: [],
    },
    absent: ['statusAsOf', 'replyDeadline', 'requestTimely'],
    explains: [{ subject: 'status', text: 'no request sent up to 2024-03-01' }],
  },
  {
    id: '5a-2',
    title: '{ notBy } for every event fact: awaiting the request as of that day',
    article: 'docs/DUBLIN-ABSENCE.md §1-2, §5(a)',
    calculation: 'notBy 2024-02-15 < request deadline 2024-04-10 → AWAITING_REQUEST as of 2024-02-15',
    facts: tcr({ applicationLodged: '2024-01-10', ...every({ notBy: '2024-02-15' }), asOf: '2024-03-01' }),
    expect: { status: 'AWAITING_REQUEST', statusAsOf: '2024-02-15', missingFacts: ['requestSent'] },
  },
  {
    id: '5a-3',
    title: 'null for every event fact (AMMR)',
    article: 'AMMR Art. 39(1); docs/DUBLIN-ABSENCE.md §5(a)',
    calculation:
      'registered 2026-07-01 + 2 months = Tue 2026-09-01; nothing sent by 2026-07-20 → AWAITING_REQUEST',
    facts: tcr({ applicationRegistered: '2026-07-01', ...every(null), asOf: '2026-07-20' }),
    expect: { ruleSet: 'AMMR', requestDeadline: '2026-09-01', status: 'AWAITING_REQUEST' },
  },
  {
    id: '5a-4',
    title: 'no request established through the request deadline: time-barred',
    article: 'Dublin III Art. 21(1) third subpara.; CJEU C-670/16 Mengesteab',
    calculation: 'deadline 2024-04-10; requestSent notBy 2024-04-10, asOf 2024-05-01 → DE from 2024-04-11',
    facts: tcr({
      applicationLodged: '2024-01-10',
      eurodacHit: null,
      requestSent: { notBy: '2024-04-10' },
      asOf: '2024-05-01',
    }),
    expect: {
      requestTimely: false,
      status: 'REQUEST_TIME_BARRED',
      responsibleState: 'DE',
      requestingStateResponsibleFrom: '2024-04-11',
    },
  },
  {
    id: '5a-5',
    title: 'requestSent null on the deadline day: the request can still be sent that day',
    article: 'Dublin III Art. 21(1), 42',
    calculation: 'deadline 2024-04-10 = asOf → AWAITING_REQUEST, not time-barred',
    facts: tcr({ applicationLodged: '2024-01-10', eurodacHit: null, requestSent: null, asOf: '2024-04-10' }),
    expect: { status: 'AWAITING_REQUEST' },
    absent: ['requestTimely'],
  },
]

const B_ROWS: Row[] = [
  {
    id: '5b-1',
    title: 'reply deadline 28 Feb (common year), anchor replyDeadline',
    article: 'Dublin III Art. 22(1), 22(7), 29(1), 42(b)',
    calculation:
      'sent 2024-12-28 + 2 months = 2025-02-28; deemed accepted from 2025-03-01; transfer from 2025-02-28 + 6 months = 2025-08-28',
    facts: tcr({
      applicationLodged: '2024-11-01',
      eurodacHit: null,
      requestSent: '2024-12-28',
      reply: null,
      transferExecuted: null,
      asOf: '2025-03-05',
    }),
    expect: {
      replyDeadline: '2025-02-28',
      deemedAcceptedFrom: '2025-03-01',
      transferPeriodStart: '2025-02-28',
      transferDeadline: '2025-08-28',
    },
  },
  {
    id: '5b-2',
    title: 'reply deadline 28 Feb (common year), anchor dayAfter',
    article: 'Dublin III Art. 22(7), 29(1), 42(b); option implicitAnchor',
    calculation:
      'deemed accepted from 2025-03-01 (unchanged); transfer from 2025-03-01 + 6 months = 2025-09-01',
    facts: tcr({
      applicationLodged: '2024-11-01',
      eurodacHit: null,
      requestSent: '2024-12-28',
      reply: null,
      transferExecuted: null,
      asOf: '2025-03-05',
    }),
    options: { implicitAnchor: 'dayAfter' },
    expect: {
      deemedAcceptedFrom: '2025-03-01',
      transferPeriodStart: '2025-03-01',
      transferDeadline: '2025-09-01',
    },
  },
  {
    id: '5b-3',
    title: 'reply deadline 29 Feb (leap year), anchor replyDeadline',
    article: 'Dublin III Art. 22(1), 22(7), 29(1), 42(b)',
    calculation:
      'sent 2023-12-29 + 2 months = 2024-02-29; deemed accepted from 2024-03-01; transfer from 2024-02-29 + 6 months = 2024-08-29',
    facts: tcr({
      applicationLodged: '2023-11-01',
      eurodacHit: null,
      requestSent: '2023-12-29',
      reply: null,
      transferExecuted: null,
      asOf: '2024-03-05',
    }),
    expect: {
      replyDeadline: '2024-02-29',
      deemedAcceptedFrom: '2024-03-01',
      transferPeriodStart: '2024-02-29',
      transferDeadline: '2024-08-29',
    },
  },
  {
    id: '5b-4',
    title: 'reply deadline 29 Feb (leap year), anchor dayAfter',
    article: 'Dublin III Art. 22(7), 29(1), 42(b); option implicitAnchor',
    calculation: 'deemed accepted from 2024-03-01; transfer from 2024-03-01 + 6 months = 2024-09-01',
    facts: tcr({
      applicationLodged: '2023-11-01',
      eurodacHit: null,
      requestSent: '2023-12-29',
      reply: null,
      transferExecuted: null,
      asOf: '2024-03-05',
    }),
    options: { implicitAnchor: 'dayAfter' },
    expect: {
      deemedAcceptedFrom: '2024-03-01',
      transferPeriodStart: '2024-03-01',
      transferDeadline: '2024-09-01',
    },
  },
  {
    id: '5b-5',
    title: 'AMMR: deemedAcceptedFrom follows the rolled reply deadline',
    article: 'AMMR Art. 40(1), 75(d), 46(1)',
    calculation:
      'sent 2026-09-03 + 1 month = Sat 2026-10-03 → Mon 2026-10-05; deemed accepted from Tue 2026-10-06; transfer from 2026-10-05 + 6 months = Mon 2027-04-05',
    facts: tcr({
      applicationRegistered: '2026-08-20',
      eurodacHit: null,
      requestSent: '2026-09-03',
      reply: null,
      transferExecuted: null,
      asOf: '2026-10-10',
    }),
    expect: {
      replyDeadline: '2026-10-05',
      deemedAcceptedFrom: '2026-10-06',
      transferPeriodStart: '2026-10-05',
      transferDeadline: '2027-04-05',
    },
  },
]

// Rejection 2024-03-20 of a request sent 2024-02-01 (lodged 2024-01-05): re-examination window ends
// 2024-03-20 + 3 weeks = 2024-04-10 (Reg. 1560/2003 Art. 5(2)).
const rejected = (f: Record<string, unknown>) =>
  tcr({
    applicationLodged: '2024-01-05',
    eurodacHit: null,
    requestSent: '2024-02-01',
    reply: { type: 'rejection', received: '2024-03-20' },
    ...f,
  })

const C_ROWS: Row[] = [
  {
    id: '5c-1',
    title: 'requestSent unknown: insufficient evidence, requestSent missing',
    article: 'docs/DUBLIN-ABSENCE.md §1, §5(c)',
    calculation: 'deadline 2024-04-10; whether a request was sent is unknown → INSUFFICIENT_EVIDENCE',
    facts: tcr({ applicationLodged: '2024-01-10', eurodacHit: null, asOf: '2024-03-01' }),
    expect: { status: 'INSUFFICIENT_EVIDENCE', missingFacts: ['requestSent'], responsibleState: null },
  },
  {
    id: '5c-2',
    title: 'take back notification not sent after its deadline: awaiting, the notified state stays obliged',
    article: 'AMMR Art. 41(1) second sentence',
    calculation:
      'hit 2026-07-01 + 2 weeks = 2026-07-15; null at 2026-07-20 → late but without effect: AWAITING_REQUEST, IT',
    facts: tbn({
      applicationRegistered: '2026-06-30',
      eurodacHit: { category: 1, received: '2026-07-01' },
      requestSent: null,
      asOf: '2026-07-20',
    }),
    expect: { requestTimely: false, status: 'AWAITING_REQUEST', responsibleState: 'IT' },
  },
  {
    id: '5c-3',
    title: 'negative reply, no re-examination yet, window open: REEXAMINATION_POSSIBLE',
    article: 'Reg. 1560/2003 Art. 5(2) first sentence',
    calculation: 'window ends 2024-04-10; reexamination null at 2024-04-01 → REEXAMINATION_POSSIBLE',
    facts: rejected({ reexamination: null, asOf: '2024-04-01' }),
    expect: {
      reexaminationRequestDeadline: '2024-04-10',
      status: 'REEXAMINATION_POSSIBLE',
      responsibleState: null,
      missingFacts: [],
    },
    absent: ['statusAsOf'],
    explains: [{ subject: 'status', text: 're-examination could still be requested' }],
  },
  {
    id: '5c-4',
    title: 'negative reply, whether a re-examination was requested is unknown',
    article: 'Reg. 1560/2003 Art. 5(2); docs/DUBLIN-ABSENCE.md §1',
    calculation: 'reexamination absent → INSUFFICIENT_EVIDENCE, reexamination missing',
    facts: rejected({ asOf: '2024-04-20' }),
    expect: { status: 'INSUFFICIENT_EVIDENCE', missingFacts: ['reexamination'] },
  },
  {
    id: '5c-5',
    title: 'AMMR non-confirmation, reconsideration window open: REEXAMINATION_POSSIBLE',
    article: 'Reg. 2025/2055 Art. 15(3)',
    calculation:
      'non-confirmation Mon 2026-07-20 + 2 weeks = Mon 2026-08-03; null at 2026-07-25 → REEXAMINATION_POSSIBLE',
    facts: tbn({
      applicationRegistered: '2026-06-30',
      eurodacHit: { category: 1, received: '2026-07-01' },
      requestSent: '2026-07-10',
      reply: { type: 'nonConfirmation', received: '2026-07-20' },
      reexamination: null,
      asOf: '2026-07-25',
    }),
    expect: { reexaminationRequestDeadline: '2026-08-03', status: 'REEXAMINATION_POSSIBLE' },
  },
]

const D_ROWS: Row[] = [
  {
    id: '5d-1',
    title: 'acceptance without a request date, within the reply period from the application: in time',
    article: 'Dublin III Art. 21(1), 22(1), 29(1); docs/DUBLIN-ABSENCE.md §5(d)',
    calculation:
      'lodged 2024-01-10: the request cannot precede it, so the reply deadline is at least 2024-01-10 + 2 months = 2024-03-10 ≥ acceptance 2024-03-01 → explicit, in time; request in time (sent by 2024-03-01 ≤ 2024-04-10); transfer 2024-03-01 + 6 months = 2024-09-01',
    facts: tcr({
      applicationLodged: '2024-01-10',
      eurodacHit: null,
      reply: { type: 'acceptance', received: '2024-03-01' },
      transferExecuted: null,
      asOf: '2024-06-01',
    }),
    expect: {
      requestTimely: true,
      acceptanceType: 'explicit',
      transferDeadline: '2024-09-01',
      status: 'TRANSFER_PENDING',
      responsibleState: 'IT',
      missingFacts: ['requestSent'],
    },
    absent: ['replyDeadline', 'transferDeadlineIsUpperBound'],
  },
  {
    id: '5d-2',
    title: 'confirmation without a notification date: transfer deadline at the latest',
    article: 'AMMR Art. 41(3)-(4), 46(1); docs/DUBLIN-ABSENCE.md §5(d)',
    calculation:
      'confirmation Tue 2026-09-01 + 6 months = Mon 2027-03-01 (at the latest: the confirmation period may have ended before, registration 2026-06-30 + 2 weeks = 2026-07-14 < 2026-09-01); earliest possible deadline 2026-07-14 + 6 months = 2027-01-14 > asOf 2026-09-10 → transfer pending whatever the date',
    facts: tbn({
      applicationRegistered: '2026-06-30',
      eurodacHit: { category: 1, received: '2026-07-01' },
      reply: { type: 'confirmation', received: '2026-09-01' },
      transferExecuted: null,
      asOf: '2026-09-10',
    }),
    expect: {
      acceptanceType: 'explicit',
      transferPeriodStart: '2026-09-01',
      transferDeadline: '2027-03-01',
      transferDeadlineIsUpperBound: true,
      status: 'TRANSFER_PENDING',
      responsibleState: 'IT',
      missingFacts: ['requestSent'],
    },
    absent: ['replyDeadline'],
    explains: [{ subject: 'transferDeadline', text: 'at the latest' }],
  },
  {
    id: '5d-3',
    title: 'acceptance long after the application, request date unknown: timeliness open',
    article: 'Dublin III Art. 21(1), 22(7); docs/DUBLIN-ABSENCE.md §5(d)',
    calculation:
      'request deadline 2024-04-10 < acceptance 2024-06-20 → request timeliness unknown; transfer 2024-06-20 + 6 months = 2024-12-20 at the latest',
    facts: tcr({
      applicationLodged: '2024-01-10',
      eurodacHit: null,
      reply: { type: 'acceptance', received: '2024-06-20' },
      transferExecuted: null,
      asOf: '2024-07-01',
    }),
    expect: {
      transferDeadline: '2024-12-20',
      transferDeadlineIsUpperBound: true,
      status: 'INSUFFICIENT_EVIDENCE',
      responsibleState: null,
      missingFacts: ['requestSent'],
    },
  },
  {
    id: '5d-4',
    title: 'confirmation without a notification date, no transfer after the latest deadline: expired',
    article: 'AMMR Art. 37(1), 46(1); docs/DUBLIN-ABSENCE.md §5(d)',
    calculation:
      'latest deadline 2027-03-01; no transfer, extension or suspensive effect at 2027-03-02 → expired whatever the date; the exact day responsibility passed is unknown',
    facts: tbn({
      applicationRegistered: '2026-06-30',
      eurodacHit: { category: 1, received: '2026-07-01' },
      reply: { type: 'confirmation', received: '2026-09-01' },
      transferExecuted: null,
      extensionNotified: null,
      appeal: null,
      asOf: '2027-03-02',
    }),
    expect: {
      status: 'TRANSFER_DEADLINE_EXPIRED',
      responsibleState: 'DE',
      transferDeadlineIsUpperBound: true,
    },
    absent: ['requestingStateResponsibleFrom'],
  },
  {
    id: '5d-5',
    title: 'request received known, sent unknown: everything computed from the receipt',
    article: 'Dublin III Art. 22(1), 22(7); Reg. 1560/2003 Art. 15',
    calculation:
      'received 2024-02-01 + 2 months = 2024-04-01; reply null at 2024-04-10 → deemed accepted from 2024-04-02; request in time (sent ≤ received 2024-02-01 ≤ 2024-04-10)',
    facts: tcr({
      applicationLodged: '2024-01-10',
      eurodacHit: null,
      requestReceived: '2024-02-01',
      reply: null,
      transferExecuted: null,
      asOf: '2024-04-10',
    }),
    expect: {
      requestTimely: true,
      replyDeadline: '2024-04-01',
      deemedAcceptedFrom: '2024-04-02',
      status: 'TRANSFER_PENDING',
      missingFacts: [],
    },
  },
]

describe('engine contract (docs/DUBLIN-ABSENCE.md §5)', () => {
  for (const [name, rows] of [
    ['(a) null and { notBy } for every event fact', A_ROWS],
    ['(b) deemedAcceptedFrom and transferPeriodStart', B_ROWS],
    ['(c) a status in every phase', C_ROWS],
    ['(d) a reply without a known request date', D_ROWS],
  ] as const)
    describe(name, () => {
      it.each(rows.map((r) => [`${r.id} ${r.title} [${r.article}]`, r] as const))('%s', (_, row) =>
        checkRow(row),
      )
    })

  it('refuses a notBy after asOf for every event fact, naming the field', () => {
    for (const field of ALL_EVENT_FACTS)
      expect(() =>
        assessDublinCase(
          tcr({ applicationLodged: '2024-01-10', [field]: { notBy: '2024-03-02' }, asOf: '2024-03-01' }),
        ),
      ).toThrow(new RegExp(`"${field}.notBy" \\(2024-03-02\\) lies after asOf`))
  })
})
