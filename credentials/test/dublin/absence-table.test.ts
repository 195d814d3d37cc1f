// Absence rules (docs/DUBLIN-ABSENCE.md §2), one row per rule, both rule sets, take charge, take back,
// take back notification and detention. Every expectation is worked out by hand in `calculation`
// (Dublin III Art. 42: event day not counted, month end clamped, no roll-forward by default; AMMR
// Art. 75: the same, and a deadline on a Saturday, Sunday or holiday moves to the next working day).
import { describe, it } from 'vitest'
import { checkRow, type Row, tbn, tbr, tcr } from './absence-rows.ts'

// Dublin III take charge: lodged 2024-01-10 (request deadline + 3 months = 2024-04-10), request sent
// 2024-02-01, reply deadline 2024-02-01 + 2 months = 2024-04-01 (Art. 22(1)).
const d3tcr = (f: Record<string, unknown>) =>
  tcr({ applicationLodged: '2024-01-10', eurodacHit: null, requestSent: '2024-02-01', ...f })
// Dublin III take back on a Eurodac hit 2024-03-01 (request deadline + 2 months = 2024-05-01),
// request 2024-03-20, reply deadline + 2 weeks = 2024-04-03 (Art. 25(1) second sentence).
const d3tbr = (f: Record<string, unknown>) =>
  tbr({
    applicationLodged: '2024-02-20',
    eurodacHit: { category: 1, received: '2024-03-01' },
    requestSent: '2024-03-20',
    ...f,
  })
// Dublin III, detained: lodged 2024-03-01, request 2024-03-20, reply + 2 weeks = 2024-04-03 (Art. 28(3)).
const d3det = (f: Record<string, unknown>) =>
  tcr({ applicationLodged: '2024-03-01', eurodacHit: null, detained: true, requestSent: '2024-03-20', ...f })
// AMMR take charge: registered 2026-07-01 (request deadline + 2 months = Tue 2026-09-01), request
// Tue 2026-07-14, reply + 1 month = Fri 2026-08-14 (Art. 40(1)).
const ammrTcr = (f: Record<string, unknown>) =>
  tcr({ applicationRegistered: '2026-07-01', eurodacHit: null, requestSent: '2026-07-14', ...f })
// AMMR take back notification: hit 2026-07-01 (+ 2 weeks = Wed 2026-07-15), sent Fri 2026-07-10,
// confirmation due + 2 weeks = Fri 2026-07-24 (Art. 41(3)).
const ammrTbn = (f: Record<string, unknown>) =>
  tbn({
    applicationRegistered: '2026-06-30',
    eurodacHit: { category: 1, received: '2026-07-01' },
    requestSent: '2026-07-10',
    ...f,
  })
// AMMR, detained at registration 2026-07-01: request within 2 weeks (Wed 2026-07-15), sent Wed
// 2026-07-08, reply within 1 week = Wed 2026-07-15 (Art. 45(1)-(2)).
const ammrDet = (f: Record<string, unknown>) =>
  tcr({
    applicationRegistered: '2026-07-01',
    eurodacHit: null,
    detained: true,
    requestSent: '2026-07-08',
    ...f,
  })

const REPLY_ROWS: Row[] = [
  {
    id: 'AB-D3-TCR-1',
    title: 'no reply established through the reply deadline: implicit acceptance',
    article: 'Dublin III Art. 22(1), 22(7), 29(1), 42',
    calculation:
      'reply deadline 2024-04-01; reply notBy 2024-04-01 ≥ deadline, asOf 2024-04-10 after it → deemed accepted from 2024-04-02; transfer period from 2024-04-01 (anchor replyDeadline) + 6 months = 2024-10-01; no transfer by asOf → pending',
    facts: d3tcr({ reply: { notBy: '2024-04-01' }, transferExecuted: null, asOf: '2024-04-10' }),
    expect: {
      replyDeadline: '2024-04-01',
      acceptanceType: 'implicit',
      deemedAcceptedFrom: '2024-04-02',
      transferPeriodStart: '2024-04-01',
      transferDeadline: '2024-10-01',
      status: 'TRANSFER_PENDING',
      responsibleState: 'IT',
      missingFacts: [],
    },
    absent: ['statusAsOf'],
  },
  {
    id: 'AB-D3-TCR-2',
    title: 'no reply established only up to a day before the deadline: awaiting reply as of that day',
    article: 'Dublin III Art. 22(1); docs/DUBLIN-ABSENCE.md §2',
    calculation: 'reply deadline 2024-04-01; notBy 2024-03-15 < 2024-04-01 → AWAITING_REPLY as of 2024-03-15',
    facts: d3tcr({ reply: { notBy: '2024-03-15' }, asOf: '2024-04-10' }),
    expect: {
      replyDeadline: '2024-04-01',
      acceptanceType: null,
      status: 'AWAITING_REPLY',
      statusAsOf: '2024-03-15',
      missingFacts: ['reply'],
      responsibleState: null,
    },
    absent: ['deemedAcceptedFrom'],
  },
  {
    id: 'AB-D3-TCR-3',
    title: 'absence through the deadline day, assessed on that day: the day is not over, still awaiting',
    article: 'Dublin III Art. 22(7), 42 (the period ends with the expiry of its last day)',
    calculation: 'reply deadline 2024-04-01 = asOf = notBy → the reply can still come today → AWAITING_REPLY',
    facts: d3tcr({ reply: { notBy: '2024-04-01' }, asOf: '2024-04-01' }),
    expect: { status: 'AWAITING_REPLY', missingFacts: [] },
    absent: ['statusAsOf', 'deemedAcceptedFrom'],
  },
  {
    id: 'AB-D3-TBR-1',
    title: 'take back on a hit, no reply through the 2-week deadline: implicit acceptance',
    article: 'Dublin III Art. 25(1) second sentence, 25(2), 29(1)',
    calculation:
      'request 2024-03-20 + 2 weeks = 2024-04-03; notBy 2024-04-03, asOf 2024-04-05 → deemed accepted from 2024-04-04; transfer 2024-04-03 + 6 months = 2024-10-03',
    facts: d3tbr({ reply: { notBy: '2024-04-03' }, transferExecuted: null, asOf: '2024-04-05' }),
    expect: {
      requestDeadline: '2024-05-01',
      replyDeadline: '2024-04-03',
      acceptanceType: 'implicit',
      deemedAcceptedFrom: '2024-04-04',
      transferPeriodStart: '2024-04-03',
      transferDeadline: '2024-10-03',
      status: 'TRANSFER_PENDING',
      responsibleState: 'IT',
    },
  },
  {
    id: 'AB-D3-TBR-2',
    title: 'take back on a hit, no reply only up to 2024-03-30: awaiting as of that day',
    article: 'Dublin III Art. 25(1); docs/DUBLIN-ABSENCE.md §2',
    calculation: 'reply deadline 2024-04-03; notBy 2024-03-30 < deadline → AWAITING_REPLY as of 2024-03-30',
    facts: d3tbr({ reply: { notBy: '2024-03-30' }, asOf: '2024-04-05' }),
    expect: {
      status: 'AWAITING_REPLY',
      statusAsOf: '2024-03-30',
      missingFacts: ['reply'],
      responsibleState: null,
    },
  },
  {
    id: 'AB-D3-DET-1',
    title: 'detention: no reply through the 2-week deadline: implicit acceptance, 6-week detention limit',
    article: 'Dublin III Art. 28(3) second and third subpara.',
    calculation:
      'request 2024-03-20 + 2 weeks = 2024-04-03; notBy 2024-04-03, asOf 2024-04-04 → deemed accepted from 2024-04-04; detention transfer 2024-04-03 + 6 weeks = 2024-05-15; transfer 2024-04-03 + 6 months = 2024-10-03',
    facts: d3det({ reply: { notBy: '2024-04-03' }, transferExecuted: null, asOf: '2024-04-04' }),
    expect: {
      requestDeadlineFromDetention: '2024-04-01',
      replyDeadline: '2024-04-03',
      deemedAcceptedFrom: '2024-04-04',
      transferPeriodStart: '2024-04-03',
      detentionTransferDeadline: '2024-05-15',
      transferDeadline: '2024-10-03',
      detentionMustEnd: false,
      status: 'TRANSFER_PENDING',
    },
  },
  {
    id: 'AB-D3-DET-2',
    title: 'detention: no reply only up to 2024-03-27: awaiting as of that day',
    article: 'Dublin III Art. 28(3) second subpara.',
    calculation: 'reply deadline 2024-04-03; notBy 2024-03-27 < deadline → AWAITING_REPLY as of 2024-03-27',
    facts: d3det({ reply: { notBy: '2024-03-27' }, asOf: '2024-04-04' }),
    expect: { replyDeadline: '2024-04-03', status: 'AWAITING_REPLY', statusAsOf: '2024-03-27' },
  },
  {
    id: 'AB-D3-DET-3',
    title: 'detention: no request up to the detention limit: detention must end, the request period runs on',
    article: 'Dublin III Art. 28(3) first and fourth subpara.',
    calculation:
      'lodged 2024-03-01 + 1 month = 2024-04-01 (detention limit); requestSent notBy 2024-04-01, asOf 2024-04-05 → limit missed, detention must end; ordinary deadline 2024-03-01 + 3 months = 2024-06-01 → AWAITING_REQUEST as of 2024-04-01',
    facts: d3det({ requestSent: { notBy: '2024-04-01' }, asOf: '2024-04-05' }),
    expect: {
      requestDeadline: '2024-06-01',
      requestDeadlineFromDetention: '2024-04-01',
      detentionMustEnd: true,
      status: 'AWAITING_REQUEST',
      statusAsOf: '2024-04-01',
      missingFacts: ['requestSent'],
    },
  },
  {
    id: 'AB-D3-DET-4',
    title: 'detention: whether the request was sent is unknown: detention limit open',
    article: 'Dublin III Art. 28(3) first subpara.; docs/DUBLIN-ABSENCE.md §1',
    calculation: 'detention limit 2024-04-01 passed at asOf 2024-04-05; requestSent absent → unknown',
    facts: d3det({ requestSent: undefined, asOf: '2024-04-05' }),
    expect: { status: 'INSUFFICIENT_EVIDENCE', missingFacts: ['requestSent'] },
    absent: ['detentionMustEnd'],
  },
  {
    id: 'AB-A-TCR-1',
    title: 'AMMR take charge, no reply through the deadline: implicit acceptance',
    article: 'AMMR Art. 40(1)-(2), 42(1), 46(1), 75',
    calculation:
      'request Tue 2026-07-14 + 1 month = Fri 2026-08-14; notBy 2026-08-14, asOf 2026-08-20 → deemed accepted from 2026-08-15; transfer decision 2026-08-14 + 2 weeks = Fri 2026-08-28; transfer 2026-08-14 + 6 months = Sun 2027-02-14 → Mon 2027-02-15 (Art. 75(d))',
    facts: ammrTcr({ reply: { notBy: '2026-08-14' }, transferExecuted: null, asOf: '2026-08-20' }),
    expect: {
      ruleSet: 'AMMR',
      requestDeadline: '2026-09-01',
      replyDeadline: '2026-08-14',
      acceptanceType: 'implicit',
      deemedAcceptedFrom: '2026-08-15',
      transferPeriodStart: '2026-08-14',
      transferDecisionDeadline: '2026-08-28',
      transferDeadline: '2027-02-15',
      status: 'TRANSFER_PENDING',
      responsibleState: 'IT',
    },
    explains: [{ subject: 'deemedAcceptedFrom', text: 'counts as accepted from 2026-08-15' }],
  },
  {
    id: 'AB-A-TCR-2',
    title: 'AMMR take charge, no reply only up to 2026-08-01: awaiting as of that day',
    article: 'AMMR Art. 40(1); docs/DUBLIN-ABSENCE.md §2',
    calculation: 'reply deadline 2026-08-14; notBy 2026-08-01 < deadline → AWAITING_REPLY as of 2026-08-01',
    facts: ammrTcr({ reply: { notBy: '2026-08-01' }, asOf: '2026-08-20' }),
    expect: { status: 'AWAITING_REPLY', statusAsOf: '2026-08-01', missingFacts: ['reply'] },
  },
  {
    id: 'AB-A-TBN-1',
    title: 'take back notification, no reply through the deadline: deemed confirmation of receipt',
    article: 'AMMR Art. 41(3)-(4), 42(1), 46(1), 75',
    calculation:
      'sent Fri 2026-07-10 + 2 weeks = Fri 2026-07-24; notBy 2026-07-24, asOf 2026-07-27 → receipt deemed confirmed from 2026-07-25; transfer decision 2026-07-24 + 2 weeks = 2026-08-07; transfer 2026-07-24 + 6 months = Sun 2027-01-24 → Mon 2027-01-25',
    facts: ammrTbn({ reply: { notBy: '2026-07-24' }, transferExecuted: null, asOf: '2026-07-27' }),
    expect: {
      replyDeadline: '2026-07-24',
      acceptanceType: 'implicit',
      // Review L4: silence on a TBN confirms receipt, it accepts nothing (AMMR Art. 41(4)).
      deemedConfirmationOfReceipt: true,
      deemedAcceptedFrom: '2026-07-25',
      transferPeriodStart: '2026-07-24',
      transferDecisionDeadline: '2026-08-07',
      transferDeadline: '2027-01-25',
      status: 'TRANSFER_PENDING',
      responsibleState: 'IT',
    },
    explains: [
      {
        subject: 'deemedAcceptedFrom',
        text: 'deemed confirmation of receipt of the notification (AMMR Art. 41(4))',
      },
      { subject: 'deemedAcceptedFrom', text: 'not an acceptance' },
    ],
  },
  {
    id: 'AB-A-TBN-2',
    title: 'take back notification, no reply only up to 2026-07-20: awaiting as of that day',
    article: 'AMMR Art. 41(3); docs/DUBLIN-ABSENCE.md §2',
    calculation: 'confirmation due 2026-07-24; notBy 2026-07-20 < deadline → AWAITING_REPLY as of 2026-07-20',
    facts: ammrTbn({ reply: { notBy: '2026-07-20' }, asOf: '2026-07-27' }),
    expect: { status: 'AWAITING_REPLY', statusAsOf: '2026-07-20', missingFacts: ['reply'] },
  },
  {
    id: 'AB-A-DET-1',
    title: 'AMMR detention: one-week reply period, silence through it is acceptance',
    article: 'AMMR Art. 45(1)-(3)',
    calculation:
      'registered 2026-07-01 + 2 weeks = 2026-07-15 (request limit); request Wed 2026-07-08 + 1 week = Wed 2026-07-15; notBy 2026-07-15, asOf 2026-07-16 → deemed accepted from 2026-07-16; detention transfer 2026-07-15 + 5 weeks = 2026-08-19; transfer 2026-07-15 + 6 months = Fri 2027-01-15',
    facts: ammrDet({ reply: { notBy: '2026-07-15' }, transferExecuted: null, asOf: '2026-07-16' }),
    expect: {
      requestDeadlineFromDetention: '2026-07-15',
      replyDeadline: '2026-07-15',
      acceptanceType: 'implicit',
      deemedAcceptedFrom: '2026-07-16',
      transferPeriodStart: '2026-07-15',
      detentionTransferDeadline: '2026-08-19',
      transferDeadline: '2027-01-15',
      status: 'TRANSFER_PENDING',
    },
    explains: [{ subject: 'replyDeadline', text: 'AMMR Art. 45(2)' }],
  },
  {
    id: 'AB-A-DET-2',
    title: 'AMMR detention: no reply only up to 2026-07-12: awaiting as of that day',
    article: 'AMMR Art. 45(2)',
    calculation:
      'reply deadline 2026-07-15 (one week); notBy 2026-07-12 < deadline → AWAITING_REPLY as of 2026-07-12',
    facts: ammrDet({ reply: { notBy: '2026-07-12' }, asOf: '2026-07-16' }),
    expect: { replyDeadline: '2026-07-15', status: 'AWAITING_REPLY', statusAsOf: '2026-07-12' },
  },
]

// Rejection 2024-03-20 of a request sent 2024-02-01 (lodged 2024-01-05: request deadline 2024-04-05):
// re-examination requested within 3 weeks = 2024-04-10 (Reg. 1560/2003 Art. 5(2)).
const d3rej = (f: Record<string, unknown>) =>
  tcr({
    applicationLodged: '2024-01-05',
    eurodacHit: null,
    requestSent: '2024-02-01',
    reply: { type: 'rejection', received: '2024-03-20' },
    ...f,
  })

// An unstated `detained` / `urgent` is unknown (docs/DUBLIN-ABSENCE.md §1): where it decides the
// outcome the engine does not assume "not detained" / "not urgent" (review, legal gap).
const UNSTATED_ROWS: Row[] = [
  {
    id: 'AB-UN-1',
    title: 'TBR refused on day 22, detention not stated: the refusal is in time only if not detained',
    article: 'Dublin III Art. 25(1), 28(3) second subpara., 5(2) Reg. 1560/2003',
    calculation:
      'request 2026-02-03: not detained + 1 month (Art. 25(1)) = 2026-03-03, refusal 2026-02-25 in time, no re-examination by 2026-03-18 → REJECTED_FINAL; detained + 2 weeks (Art. 28(3)) = 2026-02-17, refusal late → deemed acceptance → the outcome depends on detained',
    facts: {
      requestingState: 'DE',
      requestedState: 'FR',
      requestType: 'TBR',
      applicationLodged: '2026-01-20',
      requestSent: '2026-02-03',
      reply: { type: 'rejection', received: '2026-02-25' },
      reexamination: null,
      asOf: '2026-04-01',
    },
    expect: { status: 'INSUFFICIENT_EVIDENCE', missingFacts: ['detained'], responsibleState: null },
    absent: ['replyDeadline', 'deemedAcceptedFrom'],
    explains: [{ subject: 'detained', text: 'depends on it' }],
  },
  {
    id: 'AB-UN-2',
    title: 'same case stated as not detained: rejection final',
    article: 'Dublin III Art. 25(1); Reg. 1560/2003 Art. 5(2)',
    calculation: 'reply deadline 2026-03-03; refusal 2026-02-25 in time; no re-examination → REJECTED_FINAL',
    facts: {
      requestingState: 'DE',
      requestedState: 'FR',
      requestType: 'TBR',
      detained: false,
      applicationLodged: '2026-01-20',
      requestSent: '2026-02-03',
      reply: { type: 'rejection', received: '2026-02-25' },
      reexamination: null,
      asOf: '2026-04-01',
    },
    expect: { status: 'REJECTED_FINAL', replyDeadline: '2026-03-03' },
  },
  {
    id: 'AB-UN-3',
    title: 'detention not stated but irrelevant: explicit acceptance, transfer executed in time either way',
    article: 'Dublin III Art. 28(3) third subpara., 29(1)',
    calculation:
      'acceptance 2024-03-01; transfer 2024-03-10 within six weeks (detained) and six months (not detained) → TRANSFER_EXECUTED, IT, either way',
    facts: {
      requestingState: 'DE',
      requestedState: 'IT',
      requestType: 'TBR',
      applicationLodged: '2024-02-01',
      eurodacHit: null,
      requestSent: '2024-02-10',
      reply: { type: 'acceptance', received: '2024-03-01' },
      transferExecuted: '2024-03-10',
      asOf: '2024-04-01',
    },
    expect: { status: 'TRANSFER_EXECUTED', responsibleState: 'IT' },
    explains: [{ subject: 'detained', text: 'the same either way' }],
  },
  {
    id: 'AB-UN-4',
    title: 'urgent TCR not stated, silence through day 40: deemed acceptance only if urgent',
    article: 'Dublin III Art. 21(2), 22(1), 22(6)-(7)',
    calculation:
      'request 2024-02-01: urgent + 1 month = 2024-03-01 (silence through 2024-03-11 → deemed acceptance); not urgent + 2 months = 2024-04-01 (still awaiting) → depends on urgent',
    facts: {
      requestingState: 'DE',
      requestedState: 'IT',
      requestType: 'TCR',
      detained: false,
      applicationLodged: '2024-01-10',
      eurodacHit: null,
      requestSent: '2024-02-01',
      reply: null,
      asOf: '2024-03-12',
    },
    expect: { status: 'INSUFFICIENT_EVIDENCE', missingFacts: ['urgent'] },
    absent: ['deemedAcceptedFrom'],
  },
]

const REEXAMINATION_ROWS: Row[] = [
  {
    id: 'AB-RX-1',
    title: 're-examination reply absent through its deadline: closed without reply',
    article: 'Reg. 1560/2003 Art. 5(2); CJEU C-47/17 & C-48/17 X and X',
    calculation:
      're-examination 2024-04-02 + 2 weeks = 2024-04-16; notBy 2024-04-16, asOf 2024-04-20 → closed; DE from max(2024-04-17, request deadline 2024-04-05 + 1) = 2024-04-17',
    facts: d3rej({
      reexamination: { requestSent: '2024-04-02', reply: { notBy: '2024-04-16' } },
      asOf: '2024-04-20',
    }),
    expect: {
      reexaminationReplyDeadline: '2024-04-16',
      status: 'REEXAMINATION_CLOSED_NO_REPLY',
      responsibleState: 'DE',
      requestingStateResponsibleFrom: '2024-04-17',
    },
  },
  {
    id: 'AB-RX-2',
    title: 're-examination reply absent only up to a day before its deadline: awaiting as of that day',
    article: 'Reg. 1560/2003 Art. 5(2); docs/DUBLIN-ABSENCE.md §2',
    calculation: 'deadline 2024-04-16; notBy 2024-04-10 < deadline → AWAITING_REPLY as of 2024-04-10',
    facts: d3rej({
      reexamination: { requestSent: '2024-04-02', reply: { notBy: '2024-04-10' } },
      asOf: '2024-04-20',
    }),
    expect: {
      status: 'AWAITING_REPLY',
      statusAsOf: '2024-04-10',
      missingFacts: ['reexamination.reply'],
      responsibleState: null,
    },
  },
  {
    id: 'AB-RX-3',
    title: 'no re-examination request only up to 2024-04-01: re-examination possible as of that day',
    article: 'Reg. 1560/2003 Art. 5(2) first sentence',
    calculation:
      'window ends 2024-04-10; notBy 2024-04-01 < 2024-04-10 → REEXAMINATION_POSSIBLE as of 2024-04-01',
    facts: d3rej({ reexamination: { notBy: '2024-04-01' }, asOf: '2024-04-20' }),
    expect: {
      reexaminationRequestDeadline: '2024-04-10',
      status: 'REEXAMINATION_POSSIBLE',
      statusAsOf: '2024-04-01',
      missingFacts: ['reexamination'],
    },
  },
  {
    id: 'AB-RX-4',
    title: 'no re-examination request through the window: the rejection is final',
    article: 'Reg. 1560/2003 Art. 5(2); CJEU C-47/17 X and X',
    calculation: 'window ends 2024-04-10; notBy 2024-04-10, asOf 2024-04-20 → final; DE from 2024-04-11',
    facts: d3rej({ reexamination: { notBy: '2024-04-10' }, asOf: '2024-04-20' }),
    expect: {
      status: 'REJECTED_FINAL',
      responsibleState: 'DE',
      requestingStateResponsibleFrom: '2024-04-11',
    },
  },
  {
    id: 'AB-A-RX-1',
    title: 'AMMR re-examination reply absent through its deadline: closed',
    article: 'Reg. 2025/2055 Art. 9(2)',
    calculation:
      'rejection Mon 2026-08-03; re-examination Mon 2026-08-10 + 2 weeks = Mon 2026-08-24; notBy 2026-08-24, asOf 2026-08-25 → closed; DE from max(2026-08-25, request deadline 2026-09-01 + 1 = 2026-09-02) = 2026-09-02',
    facts: ammrTcr({
      reply: { type: 'rejection', received: '2026-08-03' },
      reexamination: { requestSent: '2026-08-10', reply: { notBy: '2026-08-24' } },
      asOf: '2026-08-25',
    }),
    expect: {
      reexaminationReplyDeadline: '2026-08-24',
      status: 'REEXAMINATION_CLOSED_NO_REPLY',
      requestingStateResponsibleFrom: '2026-09-02',
    },
  },
]

// Explicit acceptance 2024-03-01: transfer period 2024-03-01 + 6 months = 2024-09-01 (Art. 29(1), no
// roll-forward); longest extension (absconding) + 18 months = 2025-09-01 (Art. 29(2)).
const d3acc = (f: Record<string, unknown>) =>
  d3tcr({ reply: { type: 'acceptance', received: '2024-03-01' }, ...f })

const TRANSFER_ROWS: Row[] = [
  {
    id: 'AB-T-01',
    title: 'no transfer, no extension, no suspensive effect through the deadline: expired',
    article: 'Dublin III Art. 29(1)-(2); CJEU C-201/16 Shiri',
    calculation:
      'deadline 2024-09-01; transfer, extension and appeal null at asOf 2024-09-02 → expired, DE from 2024-09-02',
    facts: d3acc({ transferExecuted: null, extensionNotified: null, appeal: null, asOf: '2024-09-02' }),
    expect: {
      transferDeadline: '2024-09-01',
      status: 'TRANSFER_DEADLINE_EXPIRED',
      responsibleState: 'DE',
      responsibilityShifted: true,
      requestingStateResponsibleFrom: '2024-09-02',
      missingFacts: [],
    },
    absent: ['transferDeadlineIsLowerBound'],
  },
  {
    id: 'AB-T-02',
    title: 'the same from attestations { notBy: deadline }',
    article: 'Dublin III Art. 29(1)-(2); docs/DUBLIN-ABSENCE.md §2-3',
    calculation:
      'deadline 2024-09-01; all three absent up to 2024-09-01, asOf 2024-10-01 → expired, DE from 2024-09-02',
    facts: d3acc({
      transferExecuted: { notBy: '2024-09-01' },
      extensionNotified: { notBy: '2024-09-01' },
      appeal: { notBy: '2024-09-01' },
      asOf: '2024-10-01',
    }),
    expect: { status: 'TRANSFER_DEADLINE_EXPIRED', requestingStateResponsibleFrom: '2024-09-02' },
  },
  {
    id: 'AB-T-03',
    title: 'extension unknown: not expired',
    article: 'Dublin III Art. 29(2); Reg. 1560/2003 Art. 9(2)',
    calculation:
      'deadline 2024-09-01 at the earliest; extensionNotified absent → open; max 2025-09-01 not reached',
    facts: d3acc({ transferExecuted: null, appeal: null, asOf: '2024-09-02' }),
    expect: {
      status: 'INSUFFICIENT_EVIDENCE',
      missingFacts: ['extensionNotified'],
      responsibleState: null,
      transferDeadlineIsLowerBound: true,
    },
  },
  {
    id: 'AB-T-04',
    title: 'suspensive effect unknown: not expired',
    article: 'Dublin III Art. 27(3), 29(1)',
    calculation: 'deadline 2024-09-01 at the earliest; appeal absent → open',
    facts: d3acc({ transferExecuted: null, extensionNotified: null, asOf: '2024-09-02' }),
    expect: { status: 'INSUFFICIENT_EVIDENCE', missingFacts: ['appeal'], transferDeadlineIsLowerBound: true },
  },
  {
    id: 'AB-T-05',
    title: 'no extension established only up to 2024-08-01, before the six months end: not expired',
    article: 'Dublin III Art. 29(2); Reg. 1560/2003 Art. 9(2)',
    calculation:
      'six months end 2024-09-01; extension notBy 2024-08-01 < 2024-09-01 → an extension is still possible',
    facts: d3acc({
      transferExecuted: null,
      extensionNotified: { notBy: '2024-08-01' },
      appeal: null,
      asOf: '2024-09-02',
    }),
    expect: { status: 'INSUFFICIENT_EVIDENCE', missingFacts: ['extensionNotified'] },
  },
  {
    id: 'AB-T-06',
    title: 'no suspensive effect established only up to 2024-08-01: not expired',
    article: 'Dublin III Art. 27(3), 29(1)',
    calculation: 'deadline 2024-09-01; appeal notBy 2024-08-01 < deadline → open',
    facts: d3acc({
      transferExecuted: null,
      extensionNotified: null,
      appeal: { notBy: '2024-08-01' },
      asOf: '2024-09-02',
    }),
    expect: { status: 'INSUFFICIENT_EVIDENCE', missingFacts: ['appeal'] },
  },
  {
    id: 'AB-T-07',
    title: 'extension unknown, but no transfer even after the longest extension: expired',
    article: 'Dublin III Art. 29(2) (absconding: at most 18 months)',
    calculation:
      '2024-03-01 + 18 months = 2025-09-01; no transfer and no suspensive effect up to asOf 2025-09-02 → expired whatever the extension; the day responsibility passed is not known exactly',
    facts: d3acc({ transferExecuted: null, appeal: null, asOf: '2025-09-02' }),
    expect: {
      status: 'TRANSFER_DEADLINE_EXPIRED',
      responsibleState: 'DE',
      transferDeadline: '2024-09-01',
      transferDeadlineIsLowerBound: true,
    },
    absent: ['requestingStateResponsibleFrom'],
    explains: [{ subject: 'status', text: 'latest possible deadline 2025-09-01' }],
  },
  {
    id: 'AB-T-08',
    title: 'extension and suspensive effect unknown after 18 months: not expired',
    article: 'Dublin III Art. 27(3), 29(1)-(2)',
    calculation: 'a suspensive effect could restart the period: open; both facts missing',
    facts: d3acc({ transferExecuted: null, asOf: '2025-09-02' }),
    expect: { status: 'INSUFFICIENT_EVIDENCE', missingFacts: ['extensionNotified', 'appeal'] },
  },
  {
    id: 'AB-T-09',
    title: 'no transfer only up to 2024-06-01: transfer pending as of that day',
    article: 'Dublin III Art. 29(1); docs/DUBLIN-ABSENCE.md §2',
    calculation:
      'deadline 2024-09-01 (at the earliest); notBy 2024-06-01 < deadline → TRANSFER_PENDING as of 2024-06-01, IT',
    facts: d3acc({
      transferExecuted: { notBy: '2024-06-01' },
      extensionNotified: null,
      appeal: null,
      asOf: '2024-07-01',
    }),
    expect: {
      status: 'TRANSFER_PENDING',
      statusAsOf: '2024-06-01',
      responsibleState: 'IT',
      missingFacts: ['transferExecuted'],
      transferDeadlineIsLowerBound: true,
    },
    explains: [{ subject: 'transferDeadline', text: 'at the earliest' }],
  },
  {
    id: 'AB-T-10',
    title: 'no transfer by asOf before the deadline: pending now',
    article: 'Dublin III Art. 29(1)',
    calculation: 'deadline 2024-09-01; null at asOf 2024-07-01 → TRANSFER_PENDING',
    facts: d3acc({ transferExecuted: null, extensionNotified: null, appeal: null, asOf: '2024-07-01' }),
    expect: { status: 'TRANSFER_PENDING', responsibleState: 'IT', missingFacts: [] },
    absent: ['statusAsOf'],
  },
  {
    id: 'AB-T-11',
    title: 'deadline passed, no transfer known only up to a day before it: pending as of that day',
    article: 'Dublin III Art. 29(1)-(2); docs/DUBLIN-ABSENCE.md §2',
    calculation:
      'deadline 2024-09-01 (settled: extension and appeal null at 2024-09-10); notBy 2024-08-15 → pending as of 2024-08-15',
    facts: d3acc({
      transferExecuted: { notBy: '2024-08-15' },
      extensionNotified: null,
      appeal: null,
      asOf: '2024-09-10',
    }),
    expect: { status: 'TRANSFER_PENDING', statusAsOf: '2024-08-15', missingFacts: ['transferExecuted'] },
    absent: ['transferDeadlineIsLowerBound'],
  },
  {
    id: 'AB-T-12',
    title: 'known appeal without suspensive effect, none attested through asOf: expired',
    article: 'Dublin III Art. 29(1); § 75 AsylG',
    calculation:
      'deadline 2024-09-01; action without suspensive effect, none established up to 2024-09-02 (attestation beside it), no extension, no transfer at 2024-09-02 → expired',
    facts: d3acc({
      transferExecuted: null,
      extensionNotified: null,
      appeal: { actionFiled: '2024-03-10', suspensiveEffect: false, noSuspensiveEffectThrough: '2024-09-02' },
      asOf: '2024-09-02',
    }),
    expect: { status: 'TRANSFER_DEADLINE_EXPIRED', requestingStateResponsibleFrom: '2024-09-02' },
  },
  {
    // Review M4: the appeal without suspensive effect shows none only on 2024-03-10; an urgent
    // application or a court order could still have come before the deadline.
    id: 'AB-T-12b',
    title: 'known appeal without suspensive effect, nothing beyond its day: the deadline is open',
    article: 'Dublin III Art. 27(3), 29(1); § 34a(2), § 75 AsylG; § 80(5), (7) VwGO',
    calculation:
      'deadline 2024-09-01; action 2024-03-10 without suspensive effect, no absence of suspensive effect after 2024-03-10 → deadline at the earliest, INSUFFICIENT_EVIDENCE (appeal)',
    facts: d3acc({
      transferExecuted: null,
      extensionNotified: null,
      appeal: { actionFiled: '2024-03-10', suspensiveEffect: false },
      asOf: '2024-09-02',
    }),
    expect: {
      status: 'INSUFFICIENT_EVIDENCE',
      missingFacts: ['appeal'],
      transferDeadline: '2024-09-01',
      transferDeadlineIsLowerBound: true,
    },
  },
  {
    // Review M5: suspensive effect begins with the earlier of court order and urgent application.
    id: 'AB-T-12c',
    title: 'court order before the urgent application: suspensive effect from the order, within the period',
    article: 'Dublin III Art. 27(3)(c), 29(1); § 34a(2) AsylG; § 80(5) VwGO',
    calculation:
      'deadline 2024-09-01; suspensive effect ordered 2024-08-20 (urgent application recorded 2024-09-05): began 2024-08-20, before the deadline, not ended → period interrupted (before the fix the urgent application 2024-09-05 was taken as the beginning, after the deadline: expired)',
    facts: d3acc({
      transferExecuted: null,
      extensionNotified: null,
      appeal: {
        actionFiled: '2024-08-19',
        urgentApplicationFiled: '2024-09-05',
        suspensiveEffect: true,
        suspensiveEffectOrdered: '2024-08-20',
      },
      asOf: '2024-09-10',
    }),
    expect: { status: 'TRANSFER_PENDING', responsibleState: 'IT' },
    absent: ['transferDeadline'],
    explains: [{ subject: 'suspensiveEffect', text: 'the transfer period is interrupted' }],
  },
  {
    // Review M1: the last day of the longest extension is not over when assessed on it.
    id: 'AB-T-12d',
    title: 'extension unknown, no transfer through the last day of 18 months, assessed on that day: open',
    article: 'Dublin III Art. 29(2), 42(b)',
    calculation:
      'acceptance 2024-03-01 + 18 months = 2025-09-01; transfer null, appeal null at asOf 2025-09-01: the transfer can still happen that day → not expired, extensionNotified missing',
    facts: d3acc({ transferExecuted: null, appeal: null, asOf: '2025-09-01' }),
    expect: { status: 'INSUFFICIENT_EVIDENCE', missingFacts: ['extensionNotified'] },
  },
  {
    id: 'AB-T-12e',
    title: 'extension unknown, no transfer through the last day of 18 months, assessed the day after: expired',
    article: 'Dublin III Art. 29(2), 42(b)',
    calculation:
      'acceptance 2024-03-01 + 18 months = 2025-09-01; transfer null, appeal null at asOf 2025-09-02 → expired whatever the extension',
    facts: d3acc({ transferExecuted: null, appeal: null, asOf: '2025-09-02' }),
    expect: { status: 'TRANSFER_DEADLINE_EXPIRED', responsibleState: 'DE' },
  },
  {
    id: 'AB-T-13',
    title: 'extension for absconding, absconding unknown: validity unknown, not "no extension"',
    article: 'Dublin III Art. 29(2); CJEU C-163/17 Jawo; BVerwG 1 C 55.20',
    calculation:
      'notice 2024-08-01 within six months; absconded absent → open; 18 months 2025-09-01 not reached',
    facts: d3acc({
      transferExecuted: null,
      extensionNotified: { date: '2024-08-01', ground: 'absconding' },
      appeal: null,
      asOf: '2024-09-02',
    }),
    expect: { status: 'INSUFFICIENT_EVIDENCE', missingFacts: ['absconded'], extensionApplied: null },
  },
  {
    id: 'AB-T-14',
    title: 'extension for absconding, absconded null: no extension, expired',
    article: 'Dublin III Art. 29(2); CJEU C-163/17 Jawo',
    calculation:
      'no absconding by asOf 2024-09-02 (after the notice) → no extension; deadline 2024-09-01 → expired',
    facts: d3acc({
      transferExecuted: null,
      extensionNotified: { date: '2024-08-01', ground: 'absconding' },
      absconded: null,
      appeal: null,
      asOf: '2024-09-02',
    }),
    expect: {
      status: 'TRANSFER_DEADLINE_EXPIRED',
      extensionApplied: null,
      requestingStateResponsibleFrom: '2024-09-02',
    },
  },
  {
    id: 'AB-T-15',
    title: 'extension for absconding, no absconding up to the notice day: no extension, expired',
    article: 'Dublin III Art. 29(2)',
    calculation: 'absconded notBy 2024-08-01 = notice day → no ground; deadline 2024-09-01 → expired',
    facts: d3acc({
      transferExecuted: null,
      extensionNotified: { date: '2024-08-01', ground: 'absconding' },
      absconded: { notBy: '2024-08-01' },
      appeal: null,
      asOf: '2024-09-02',
    }),
    expect: { status: 'TRANSFER_DEADLINE_EXPIRED' },
  },
  {
    id: 'AB-T-16',
    title: 'extension for absconding, no absconding known only up to before the notice: open',
    article: 'Dublin III Art. 29(2)',
    calculation: 'absconded notBy 2024-07-01 < notice 2024-08-01 → absconding in between possible → open',
    facts: d3acc({
      transferExecuted: null,
      extensionNotified: { date: '2024-08-01', ground: 'absconding' },
      absconded: { notBy: '2024-07-01' },
      appeal: null,
      asOf: '2024-09-02',
    }),
    expect: { status: 'INSUFFICIENT_EVIDENCE', missingFacts: ['absconded'] },
  },
  {
    id: 'AB-T-17',
    title: 'valid absconding extension, no transfer through 18 months: expired',
    article: 'Dublin III Art. 29(2)',
    calculation:
      '2024-03-01 + 18 months = 2025-09-01; no transfer, no suspensive effect at 2025-09-02 → DE from 2025-09-02',
    facts: d3acc({
      transferExecuted: null,
      extensionNotified: { date: '2024-08-01', ground: 'absconding' },
      absconded: { from: '2024-07-15', established: true },
      appeal: null,
      asOf: '2025-09-02',
    }),
    expect: {
      transferDeadlineBeforeExtension: '2024-09-01',
      transferDeadline: '2025-09-01',
      extensionApplied: 'absconding',
      status: 'TRANSFER_DEADLINE_EXPIRED',
      requestingStateResponsibleFrom: '2025-09-02',
    },
  },
  {
    id: 'AB-A-T-01',
    title: 'AMMR: no transfer, extension or suspensive effect through the deadline: expired',
    article: 'AMMR Art. 37(1), 46(1)-(2), 75',
    calculation:
      'acceptance Mon 2026-08-03 + 6 months = Wed 2027-02-03; all null at 2027-02-04 → DE from 2027-02-04',
    facts: ammrTcr({
      reply: { type: 'acceptance', received: '2026-08-03' },
      transferExecuted: null,
      extensionNotified: null,
      appeal: null,
      asOf: '2027-02-04',
    }),
    expect: {
      transferDeadline: '2027-02-03',
      status: 'TRANSFER_DEADLINE_EXPIRED',
      requestingStateResponsibleFrom: '2027-02-04',
    },
  },
  {
    id: 'AB-A-T-02',
    title: 'AMMR: extension unknown: not expired',
    article: 'AMMR Art. 46(2); Reg. 2025/2055 Art. 28(3)',
    calculation:
      'deadline 2027-02-03 at the earliest; the longest extension (3 years) ends 2029-08-03 → open',
    facts: ammrTcr({
      reply: { type: 'acceptance', received: '2026-08-03' },
      transferExecuted: null,
      appeal: null,
      asOf: '2027-02-04',
    }),
    expect: { status: 'INSUFFICIENT_EVIDENCE', missingFacts: ['extensionNotified'] },
  },
  {
    id: 'AB-A-T-03',
    title: 'AMMR: no transfer only up to 2026-12-01: pending as of that day',
    article: 'AMMR Art. 46(1)',
    calculation: 'deadline 2027-02-03; notBy 2026-12-01 → TRANSFER_PENDING as of 2026-12-01',
    facts: ammrTcr({
      reply: { type: 'acceptance', received: '2026-08-03' },
      transferExecuted: { notBy: '2026-12-01' },
      asOf: '2027-01-10',
    }),
    expect: { status: 'TRANSFER_PENDING', statusAsOf: '2026-12-01', responsibleState: 'IT' },
  },
  {
    id: 'AB-A-T-04',
    title: 'AMMR take back notification confirmed, no transfer through the deadline: expired',
    article: 'AMMR Art. 37(1), 41, 46(1)',
    calculation:
      'confirmation Mon 2026-07-20 + 6 months = Wed 2027-01-20; all null at 2027-01-21 → DE from 2027-01-21',
    facts: ammrTbn({
      reply: { type: 'confirmation', received: '2026-07-20' },
      transferExecuted: null,
      extensionNotified: null,
      appeal: null,
      asOf: '2027-01-21',
    }),
    expect: {
      transferDeadline: '2027-01-20',
      status: 'TRANSFER_DEADLINE_EXPIRED',
      responsibleState: 'DE',
      requestingStateResponsibleFrom: '2027-01-21',
    },
  },
]

describe('reply and re-examination reply from absence (docs/DUBLIN-ABSENCE.md §2)', () => {
  it.each(REPLY_ROWS.map((r) => [`${r.id} ${r.title} [${r.article}]`, r] as const))('%s', (_, row) =>
    checkRow(row),
  )
  it.each(REEXAMINATION_ROWS.map((r) => [`${r.id} ${r.title} [${r.article}]`, r] as const))('%s', (_, row) =>
    checkRow(row),
  )
})

describe('unstated detention and urgency decide nothing silently', () => {
  it.each(UNSTATED_ROWS.map((r) => [`${r.id} ${r.title} [${r.article}]`, r] as const))('%s', (_, row) =>
    checkRow(row),
  )
})

describe('transfer from absence: expiry needs the deadline established', () => {
  it.each(TRANSFER_ROWS.map((r) => [`${r.id} ${r.title} [${r.article}]`, r] as const))('%s', (_, row) =>
    checkRow(row),
  )
})
