/**
 * DublinRequestMilestone v2: a request credential states the request as sent, so a request without
 * the urgency or detention mark feeds `urgent: { requested: false }` and `detained: false`
 * (catalogue feed defaults). Without them no case assembled from credentials could say "not urgent"
 * / "not detained", and a silent take charge request could never reach implicit acceptance.
 */
import { describe, expect, it } from 'vitest'
import { assessDublinCase } from '../../src/dublin/index.ts'
import {
  assembleDublinFacts,
  checkMilestoneDefinitions,
  type FactSourceCredential,
  getMilestone,
  milestoneFactAssignments,
  subjectSchemaFor,
} from '../../src/milestones/index.ts'
import type { MilestoneDefinition } from '../../src/milestones/types.ts'

const requestClaims = (claims: Record<string, unknown> = {}) => ({
  milestoneDate: '2026-02-03',
  requestType: 'TCR',
  requestingState: 'DE',
  requestedState: 'FR',
  requestReceived: '2026-02-03',
  ...claims,
})
const request = (claims: Record<string, unknown> = {}): FactSourceCredential => ({
  index: 2,
  type: 'DublinRequestMilestone',
  issuedOn: '2026-02-03',
  claims: requestClaims(claims),
})
const applicationRecord: FactSourceCredential = {
  index: 0,
  type: 'AsylumRequestRecordReachedBamfMilestone',
  issuedOn: '2026-01-08',
  claims: { milestoneDate: '2026-01-08' },
}
const formalApplication: FactSourceCredential = {
  index: 1,
  type: 'FormalApplicationMilestone',
  issuedOn: '2026-01-20',
  claims: { milestoneDate: '2026-01-20' },
}
/** Issued the day after its as-of day (an absence is attested only once the day is over). */
const replyAbsence = (notBy: string, issuedOn: string): FactSourceCredential => ({
  index: 3,
  type: 'DublinReplyAbsenceMilestone',
  issuedOn,
  claims: {
    milestoneDate: notBy,
    requestType: 'TCR',
    requestingState: 'DE',
    requestedState: 'FR',
    requestReceived: '2026-02-03',
  },
})
const transferAbsence = (notBy: string, issuedOn: string): FactSourceCredential => ({
  index: 4,
  type: 'TransferAbsenceMilestone',
  issuedOn,
  claims: { milestoneDate: notBy, receivingState: 'FR' },
})
const detentionStart: FactSourceCredential = {
  index: 5,
  type: 'DetentionStartMilestone',
  issuedOn: '2026-02-01',
  claims: { milestoneDate: '2026-02-01' },
}

describe('DublinRequestMilestone version 2', () => {
  it('is version 2 and has an optional boolean claim "detained"', () => {
    const entry = getMilestone('DublinRequestMilestone')
    expect(entry.version).toBe(2)
    const schema = subjectSchemaFor('DublinRequestMilestone') as {
      properties: Record<string, { type?: string }>
      required: string[]
    }
    expect(schema.properties['detained']?.type).toBe('boolean')
    expect(schema.required).not.toContain('detained')
    expect(schema.required).not.toContain('urgent')
  })
})

describe('fact mapping with defaults', () => {
  const pick = (claims: Record<string, unknown>) =>
    milestoneFactAssignments('DublinRequestMilestone', requestClaims(claims)).filter(({ fact }) =>
      ['/urgent/requested', '/urgent/ground', '/detained'].includes(fact),
    )
  const rows: [string, Record<string, unknown>, { fact: string; value: unknown }[]][] = [
    [
      'no mark: sent as non-urgent, not detained',
      {},
      [
        { fact: '/urgent/requested', value: false },
        { fact: '/detained', value: false },
      ],
    ],
    [
      'urgent and detained stated',
      { urgent: { requested: true, ground: 'detention' }, detained: true },
      [
        { fact: '/urgent/requested', value: true },
        { fact: '/urgent/ground', value: 'detention' },
        { fact: '/detained', value: true },
      ],
    ],
    [
      'explicitly not urgent, not detained',
      { urgent: { requested: false }, detained: false },
      [
        { fact: '/urgent/requested', value: false },
        { fact: '/detained', value: false },
      ],
    ],
  ]
  for (const [name, claims, expected] of rows)
    it(name, () => {
      expect(pick(claims)).toEqual(expected)
    })

  it('a default stands in only for its own claim: an event record without one still assigns nothing', () => {
    expect(milestoneFactAssignments('DublinReplyMilestone', { milestoneDate: '2026-02-12' })).toEqual([
      { fact: '/reply/received', value: '2026-02-12' },
    ])
  })
})

describe('catalogue check of defaults', () => {
  const base = {
    type: 'ExampleMilestone',
    version: 1,
    stage: 'TRANSFER',
    title: { de: 'x', fr: 'x', en: 'x' },
    description: 'x',
    milestoneDateMeaning: 'x',
    legalBasis: [],
    issuableBy: ['FEDERAL_POLICE'],
    claims: {
      properties: {
        flag: { type: 'boolean' },
        kind: { type: 'string', enum: ['a', 'b'] },
        on: { type: 'string', format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
      },
      required: [],
    },
  }
  const check = (feeds: unknown[], extra: Record<string, unknown> = {}) => () =>
    checkMilestoneDefinitions([{ ...base, ...extra, feeds } as unknown as MilestoneDefinition])
  const rows: [string, unknown[], Record<string, unknown>, RegExp | undefined][] = [
    ['a boolean default of a boolean claim', [{ fact: '/detained', from: '/flag', default: false }], {}, undefined],
    ['a default of another type', [{ fact: '/detained', from: '/flag', default: 'no' }], {}, /is a string, but the claim is a boolean/],
    ['a default outside the enumeration', [{ fact: '/requestType', from: '/kind', default: 'c' }], {}, /not one of the claim's values/],
    ['a default day', [{ fact: '/requestSent', from: '/on', default: '2026-01-01' }], {}, /would be invented/],
    [
      'a default on an absence fact',
      [{ fact: '/transferExecuted/notBy', from: '/milestoneDate', default: '2026-01-01' }],
      { attests: 'absence' },
      /with no default/,
    ],
  ]
  for (const [name, feeds, extra, problem] of rows)
    it(name, () => {
      if (problem === undefined) expect(check(feeds, extra)).not.toThrow()
      else expect(check(feeds, extra)).toThrow(problem)
    })
})

describe('fact assembly with the request defaults', () => {
  const asOf = '2026-04-08'
  const rows: {
    name: string
    sources: FactSourceCredential[]
    facts: Record<string, unknown>
    conflicts: { fact: string; credentials: number[]; reason: string }[]
  }[] = [
    {
      name: 'request without marks: not urgent, not detained',
      sources: [request()],
      facts: { urgent: { requested: false }, detained: false },
      conflicts: [],
    },
    {
      name: 'request marked detained, with the detention start: agree',
      sources: [request({ detained: true }), detentionStart],
      facts: { urgent: { requested: false }, detained: true, detainedFrom: '2026-02-01' },
      conflicts: [],
    },
    {
      name: 'request marked urgent: urgency as stated',
      sources: [request({ urgent: { requested: true, ground: 'detention', requestedReplyBy: '2026-02-13' } })],
      facts: {
        urgent: { requested: true, ground: 'detention', requestedReplyBy: '2026-02-13' },
        detained: false,
      },
      conflicts: [],
    },
    {
      // The detention start says detained, the request was sent as a non-detention request: the
      // sources differ and /detained stays unknown; the engine decides whether it matters.
      name: 'request without the detention mark and a detention start: values-differ, detained unknown',
      sources: [request(), detentionStart],
      facts: { urgent: { requested: false }, detainedFrom: '2026-02-01' },
      conflicts: [{ fact: '/detained', credentials: [2, 5], reason: 'values-differ' }],
    },
  ]
  for (const row of rows)
    it(row.name, () => {
      const result = assembleDublinFacts({ asOf, sources: row.sources })
      const { urgent, detained, detainedFrom } = result.facts as Record<string, unknown>
      expect(
        Object.fromEntries(
          Object.entries({ urgent, detained, detainedFrom }).filter(([, value]) => value !== undefined),
        ),
      ).toEqual(row.facts)
      expect(result.conflicts).toEqual(row.conflicts)
    })
})

describe('a silent take charge request, from credentials alone', () => {
  // Lodging 2026-01-08 (the asylum request record reached the BAMF), TCR sent and received
  // 2026-02-03. Dublin III Art. 22(1): two months, last day 2026-04-03; no reply up to 2026-04-06.
  const silentCase = [
    applicationRecord,
    formalApplication,
    request(),
    replyAbsence('2026-04-06', '2026-04-07'),
    transferAbsence('2026-04-07', '2026-04-08'),
  ]

  it('reaches implicit acceptance via assembleDublinFacts + assessDublinCase', () => {
    const { facts, conflicts } = assembleDublinFacts({ asOf: '2026-04-08', sources: silentCase })
    expect(conflicts).toEqual([])
    const assessment = assessDublinCase(facts)
    expect({
      ruleSet: assessment.ruleSet,
      replyDeadline: assessment.replyDeadline,
      acceptanceType: assessment.acceptanceType,
      deemedAcceptedFrom: assessment.deemedAcceptedFrom,
      transferDeadline: assessment.transferDeadline,
      status: assessment.status,
      statusAsOf: assessment.statusAsOf,
      responsibleState: assessment.responsibleState,
      missingFacts: assessment.missingFacts,
    }).toEqual({
      ruleSet: 'DUBLIN_III',
      replyDeadline: '2026-04-03',
      acceptanceType: 'implicit',
      deemedAcceptedFrom: '2026-04-04',
      // six months from the last day of the reply period (implicitAnchor = replyDeadline)
      transferDeadline: '2026-10-03',
      status: 'TRANSFER_PENDING',
      statusAsOf: '2026-04-07',
      responsibleState: 'FR',
      missingFacts: ['transferExecuted'],
    })
    expect(assessment.missingFacts).not.toContain('detained')
    expect(assessment.missingFacts).not.toContain('urgent')
  })

  it('with a detention start against the request: detained unknown, the engine says whether it matters', () => {
    const { facts } = assembleDublinFacts({ asOf: '2026-04-08', sources: [...silentCase, detentionStart] })
    const assessment = assessDublinCase(facts)
    // Here it does not: the same status and responsible state either way.
    expect(assessment.status).toBe('TRANSFER_PENDING')
    expect(assessment.missingFacts).not.toContain('detained')
    expect(assessment.explanation.find((entry) => entry.subject === 'detained')?.note).toMatch(
      /same either way/,
    )
  })

  it('where detention would decide, the conflict leaves the outcome open (detained in missingFacts)', () => {
    // Detained at the request, the reply period is two weeks (Art. 28(3) second subpara.; last day
    // 2026-02-17): silence up to 2026-02-20 would be an acceptance. Not detained, it is two months
    // and the reply is still awaited.
    const sources = [
      applicationRecord,
      formalApplication,
      request(),
      replyAbsence('2026-02-20', '2026-02-21'),
      transferAbsence('2026-02-20', '2026-02-21'),
    ]
    const plain = assessDublinCase(assembleDublinFacts({ asOf: '2026-02-21', sources }).facts)
    expect([plain.status, plain.statusAsOf, plain.replyDeadline]).toEqual([
      'AWAITING_REPLY',
      '2026-02-20',
      '2026-04-03',
    ])
    expect(plain.missingFacts).not.toContain('detained')

    const { facts, conflicts } = assembleDublinFacts({ asOf: '2026-02-21', sources: [...sources, detentionStart] })
    expect(conflicts).toEqual([{ fact: '/detained', credentials: [2, 5], reason: 'values-differ' }])
    const assessment = assessDublinCase(facts)
    expect(assessment.status).toBe('INSUFFICIENT_EVIDENCE')
    expect(assessment.missingFacts).toContain('detained')
  })
})
