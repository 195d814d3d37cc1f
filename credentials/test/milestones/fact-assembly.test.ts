import { describe, expect, it } from 'vitest'
import {
  assembleDublinFacts,
  type ChainAbsence,
  completeChainAbsences,
  type DeclaredFact,
  type FactSourceCredential,
} from '../../src/milestones/index.ts'

const request: FactSourceCredential = {
  index: 0,
  type: 'DublinRequestMilestone',
  issuedOn: '2026-02-03',
  claims: {
    milestoneDate: '2026-02-03',
    requestType: 'TBR',
    requestingState: 'DE',
    requestedState: 'FR',
    requestReceived: '2026-02-03',
  },
}
const reply = (index: number, received: string, replyType = 'acceptance'): FactSourceCredential => ({
  index,
  type: 'DublinReplyMilestone',
  issuedOn: received,
  claims: { milestoneDate: received, replyType },
})
/** The day after: an absence attestation is issued after its as-of day is over (contract §3(a)). */
const dayAfter = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)
const replyAbsence = (index: number, notBy: string, issuedOn = dayAfter(notBy)): FactSourceCredential => ({
  index,
  type: 'DublinReplyAbsenceMilestone',
  issuedOn,
  claims: {
    milestoneDate: notBy,
    requestType: 'TBR',
    requestingState: 'DE',
    requestedState: 'FR',
    requestReceived: '2026-02-03',
  },
})
const transferAbsence = (index: number, notBy: string): FactSourceCredential => ({
  index,
  type: 'TransferAbsenceMilestone',
  issuedOn: dayAfter(notBy),
  claims: { milestoneDate: notBy, receivingState: 'FR' },
})
const requestFacts = {
  requestSent: '2026-02-03',
  requestType: 'TBR',
  requestingState: 'DE',
  requestedState: 'FR',
  requestReceived: '2026-02-03',
  // The request credential has no urgency or detention mark: it was sent as a non-urgent request for
  // a person not detained (the catalogue's defaults).
  urgent: { requested: false },
  detained: false,
}

describe('assembleDublinFacts', () => {
  const cases: {
    name: string
    asOf: string
    sources: FactSourceCredential[]
    chainAbsences?: ChainAbsence[]
    declared?: DeclaredFact[]
    facts: Record<string, unknown>
    provenance?: Record<string, { source: string; credentials: number[]; absentThrough?: string }>
    conflicts?: { fact: string; credentials: number[]; reason: string; declared?: true }[]
  }[] = [
    {
      name: 'an event credential alone',
      asOf: '2026-03-01',
      sources: [request, reply(1, '2026-02-12')],
      facts: { asOf: '2026-03-01', ...requestFacts, reply: { type: 'acceptance', received: '2026-02-12' } },
      provenance: {
        '/reply': { source: 'credential', credentials: [1] },
        '/requestReceived': { source: 'credential', credentials: [0] },
      },
    },
    {
      name: 'an absence through a day before asOf stays { notBy }; the same day of receipt agrees',
      asOf: '2026-03-01',
      sources: [request, replyAbsence(1, '2026-02-10')],
      facts: { asOf: '2026-03-01', ...requestFacts, reply: { notBy: '2026-02-10' } },
      provenance: {
        '/reply': { source: 'absence-attestation', credentials: [1], absentThrough: '2026-02-10' },
        '/requestReceived': { source: 'credential', credentials: [0, 1] },
      },
    },
    {
      name: 'an absence through asOf or later becomes null',
      asOf: '2026-02-20',
      sources: [request, replyAbsence(1, '2026-02-20'), transferAbsence(2, '2026-09-01')],
      facts: { asOf: '2026-02-20', ...requestFacts, reply: null, transferExecuted: null },
      provenance: {
        '/reply': { source: 'absence-attestation', credentials: [1], absentThrough: '2026-02-20' },
        '/transferExecuted': { source: 'absence-attestation', credentials: [2], absentThrough: '2026-09-01' },
      },
    },
    {
      name: 'two absences for one fact: the later notBy wins',
      asOf: '2026-03-01',
      sources: [replyAbsence(4, '2026-02-18'), replyAbsence(2, '2026-02-10')],
      facts: {
        asOf: '2026-03-01',
        requestReceived: '2026-02-03',
        requestType: 'TBR',
        requestingState: 'DE',
        requestedState: 'FR',
        reply: { notBy: '2026-02-18' },
      },
      provenance: {
        '/reply': { source: 'absence-attestation', credentials: [4], absentThrough: '2026-02-18' },
      },
    },
    {
      name: 'an event after the absence: consistent, the event wins, provenance keeps both',
      asOf: '2026-03-01',
      sources: [request, replyAbsence(1, '2026-02-10'), reply(2, '2026-02-11')],
      facts: { asOf: '2026-03-01', ...requestFacts, reply: { type: 'acceptance', received: '2026-02-11' } },
      provenance: { '/reply': { source: 'credential', credentials: [1, 2], absentThrough: '2026-02-10' } },
    },
    {
      name: 'an event on the last day of the absence: conflict, the fact stays unknown',
      asOf: '2026-03-01',
      sources: [request, replyAbsence(1, '2026-02-10'), reply(2, '2026-02-10')],
      facts: { asOf: '2026-03-01', ...requestFacts },
      conflicts: [{ fact: '/reply', credentials: [1, 2], reason: 'event-within-absence' }],
    },
    {
      name: 'a transfer before an attested absence of transfer: conflict',
      asOf: '2026-10-01',
      sources: [
        transferAbsence(1, '2026-08-31'),
        {
          index: 2,
          type: 'TransferExecutedMilestone',
          issuedOn: '2026-08-20',
          claims: { milestoneDate: '2026-08-20', receivingState: 'FR' },
        },
      ],
      facts: { asOf: '2026-10-01', requestedState: 'FR' },
      conflicts: [{ fact: '/transferExecuted', credentials: [1, 2], reason: 'event-within-absence' }],
    },
    {
      name: 'an appeal without suspensive effect agrees with an absence of suspensive effect',
      asOf: '2026-04-01',
      sources: [
        {
          index: 1,
          type: 'AppealMilestone',
          issuedOn: '2026-02-24',
          claims: { milestoneDate: '2026-02-24', actionFiled: '2026-02-24', suspensiveEffect: false },
        },
        {
          index: 2,
          type: 'SuspensiveEffectAbsenceMilestone',
          issuedOn: '2026-03-21',
          claims: { milestoneDate: '2026-03-20' },
        },
      ],
      // The attestation carries the exclusion of suspensive effect up to its day (review M4).
      facts: {
        asOf: '2026-04-01',
        appeal: { actionFiled: '2026-02-24', suspensiveEffect: false, noSuspensiveEffectThrough: '2026-03-20' },
      },
      provenance: { '/appeal': { source: 'credential', credentials: [1, 2], absentThrough: '2026-03-20' } },
    },
    {
      name: 'an urgent application before an absence of suspensive effect: conflict',
      asOf: '2026-04-01',
      sources: [
        {
          index: 1,
          type: 'AppealMilestone',
          issuedOn: '2026-02-24',
          claims: {
            milestoneDate: '2026-02-24',
            urgentApplicationFiled: '2026-02-24',
            suspensiveEffect: true,
          },
        },
        {
          index: 2,
          type: 'SuspensiveEffectAbsenceMilestone',
          issuedOn: '2026-03-21',
          claims: { milestoneDate: '2026-03-20' },
        },
      ],
      facts: { asOf: '2026-04-01' },
      conflicts: [{ fact: '/appeal', credentials: [1, 2], reason: 'event-within-absence' }],
    },
    {
      name: 'an attestation dated after its issuance is not used',
      asOf: '2026-03-01',
      sources: [replyAbsence(3, '2026-02-20', '2026-02-19')],
      facts: { asOf: '2026-03-01' },
      conflicts: [{ fact: '/reply', credentials: [3], reason: 'absence-after-issuance' }],
    },
    {
      // A dispute on one member leaves the whole event unknown (review H1): half a reply is no reply.
      name: 'credentials with different values conflict on the member; the whole event stays unknown',
      asOf: '2026-03-01',
      sources: [reply(1, '2026-02-12'), reply(2, '2026-02-12', 'rejection')],
      facts: { asOf: '2026-03-01' },
      conflicts: [{ fact: '/reply/type', credentials: [1, 2], reason: 'values-differ' }],
    },
    {
      name: 'a declared silence takes precedence over an absence attestation',
      asOf: '2026-03-01',
      sources: [request, replyAbsence(1, '2026-02-10')],
      declared: [{ fact: '/reply', value: null }],
      facts: { asOf: '2026-03-01', ...requestFacts, reply: null },
      // Review M6: the attestation set aside is reported and stays in the provenance.
      provenance: {
        '/reply': { source: 'declared-by-verifier', credentials: [1], absentThrough: '2026-03-01' },
      },
      conflicts: [
        { fact: '/reply', credentials: [1], reason: 'declared-overrides-attestation', declared: true },
      ],
    },
    {
      name: 'a declared reply takes precedence over a chain absence and an attestation',
      asOf: '2026-03-01',
      sources: [replyAbsence(1, '2026-02-10')],
      chainAbsences: [{ fact: '/reply', notBy: '2026-02-20', basis: 'chain' }],
      declared: [{ fact: '/reply', value: { type: 'rejection', received: '2026-02-15' } }],
      facts: {
        asOf: '2026-03-01',
        requestReceived: '2026-02-03',
        requestType: 'TBR',
        requestingState: 'DE',
        requestedState: 'FR',
        reply: { type: 'rejection', received: '2026-02-15' },
      },
      provenance: { '/reply': { source: 'declared-by-verifier', credentials: [1] } },
      conflicts: [
        { fact: '/reply', credentials: [1], reason: 'declared-overrides-attestation', declared: true },
      ],
    },
    {
      name: 'a declared silence contradicting a recorded reply: conflict',
      asOf: '2026-03-01',
      sources: [reply(1, '2026-02-12')],
      declared: [{ fact: '/reply', value: { notBy: '2026-02-20' } }],
      facts: { asOf: '2026-03-01' },
      conflicts: [
        { fact: '/reply', credentials: [1], reason: 'declared-contradicts-credential', declared: true },
      ],
    },
    {
      name: 'a declared silence up to a day before a recorded reply agrees with it',
      asOf: '2026-03-01',
      sources: [reply(1, '2026-02-12')],
      declared: [{ fact: '/reply', value: { notBy: '2026-02-11' } }],
      facts: { asOf: '2026-03-01', reply: { type: 'acceptance', received: '2026-02-12' } },
      provenance: { '/reply': { source: 'credential', credentials: [1] } },
    },
    {
      name: 'a chain absence only where nothing else speaks about the fact',
      asOf: '2026-10-01',
      sources: [request, transferAbsence(1, '2026-08-31')],
      chainAbsences: [
        { fact: '/reply', notBy: '2026-02-08', basis: 'chain' },
        { fact: '/transferExecuted', notBy: '2026-09-20', basis: 'chain' },
      ],
      facts: {
        asOf: '2026-10-01',
        ...requestFacts,
        reply: { notBy: '2026-02-08' },
        transferExecuted: { notBy: '2026-08-31' },
      },
      provenance: {
        '/reply': { source: 'complete-chain', credentials: [], absentThrough: '2026-02-08' },
        '/transferExecuted': { source: 'absence-attestation', credentials: [1], absentThrough: '2026-08-31' },
      },
    },
    {
      name: 'a re-examination reply absence sits beside the re-examination request',
      asOf: '2026-04-01',
      sources: [
        {
          index: 1,
          type: 'DublinReexaminationRequestMilestone',
          issuedOn: '2026-02-20',
          claims: { milestoneDate: '2026-02-20' },
        },
        {
          index: 2,
          type: 'DublinReexaminationReplyAbsenceMilestone',
          issuedOn: '2026-03-07',
          claims: { milestoneDate: '2026-03-06', requestingState: 'DE', requestedState: 'FR' },
        },
      ],
      facts: {
        asOf: '2026-04-01',
        reexamination: { requestSent: '2026-02-20', reply: { notBy: '2026-03-06' } },
        requestingState: 'DE',
        requestedState: 'FR',
      },
      provenance: {
        '/reexamination': { source: 'credential', credentials: [1] },
        '/reexamination/reply': {
          source: 'absence-attestation',
          credentials: [2],
          absentThrough: '2026-03-06',
        },
      },
    },
    {
      name: 'a chain absence of the re-examination yields to an attested absence of its reply',
      asOf: '2026-04-01',
      sources: [
        {
          index: 2,
          type: 'DublinReexaminationReplyAbsenceMilestone',
          issuedOn: '2026-03-07',
          claims: { milestoneDate: '2026-03-06', requestingState: 'DE', requestedState: 'FR' },
        },
      ],
      chainAbsences: [{ fact: '/reexamination', notBy: '2026-03-20', basis: 'chain' }],
      facts: {
        asOf: '2026-04-01',
        reexamination: { reply: { notBy: '2026-03-06' } },
        requestingState: 'DE',
        requestedState: 'FR',
      },
      provenance: {
        '/reexamination/reply': {
          source: 'absence-attestation',
          credentials: [2],
          absentThrough: '2026-03-06',
        },
      },
    },
    {
      name: 'types outside the catalogue are ignored',
      asOf: '2026-03-01',
      sources: [{ index: 0, type: 'PassportMilestone', issuedOn: '2026-01-01', claims: {} }],
      facts: { asOf: '2026-03-01' },
    },
  ]

  for (const example of cases) {
    it(example.name, () => {
      const result = assembleDublinFacts({
        asOf: example.asOf,
        sources: example.sources,
        ...(example.chainAbsences ? { chainAbsences: example.chainAbsences } : {}),
        ...(example.declared ? { declared: example.declared } : {}),
      })
      expect(result.facts).toEqual(example.facts)
      expect(result.conflicts).toEqual(example.conflicts ?? [])
      for (const [fact, expected] of Object.entries(example.provenance ?? {})) {
        const entry = result.provenance.find((item) => item.fact === fact)
        expect(entry, fact).toBeDefined()
        expect({
          source: entry!.source,
          credentials: entry!.credentials,
          absentThrough: entry!.absentThrough,
        }).toEqual({
          absentThrough: undefined,
          ...expected,
        })
      }
      // Every fact root written has exactly one provenance entry.
      expect(new Set(result.provenance.map((item) => item.fact)).size).toBe(result.provenance.length)
    })
  }

  it('refuses an asOf or a notBy that is not a day, and a declared fact that is not a root', () => {
    expect(() => assembleDublinFacts({ asOf: '2026-3-1', sources: [] })).toThrow(TypeError)
    expect(() =>
      assembleDublinFacts({
        asOf: '2026-03-01',
        sources: [],
        declared: [{ fact: '/reply/received', value: '2026-02-02' }],
      }),
    ).toThrow(/not one a verifier may declare/)
    expect(() =>
      assembleDublinFacts({
        asOf: '2026-03-01',
        sources: [],
        declared: [{ fact: '/reply', value: { notBy: 'soon' } }],
      }),
    ).toThrow(TypeError)
    expect(() =>
      assembleDublinFacts({
        asOf: '2026-03-01',
        sources: [],
        chainAbsences: [{ fact: '/reply', notBy: '', basis: '' }],
      }),
    ).toThrow(TypeError)
  })
})

describe('completeChainAbsences', () => {
  const policy = [{ state: 'DE', recordingDelayDays: 2 }]
  const link = (type: string, issuedOn: string, issuerState = 'DE') => ({ type, issuedOn, issuerState })
  const chain = [
    link('AsylumRequestRecordReachedBamfMilestone', '2026-01-08'),
    link('DublinRequestMilestone', '2026-02-03'),
    link('TransferDecisionMilestone', '2026-03-10'),
  ]
  const facts = (absences: { fact: string }[]) => absences.map((absence) => absence.fact)

  it('derives absences for every recordable event the chain does not feed, through head − delay − 1', () => {
    const absences = completeChainAbsences({ chain, chainUnbroken: true, requestingState: 'DE', policy })
    expect(facts(absences)).toEqual([
      '/absconded',
      '/appeal',
      '/eurodacHit',
      '/extensionNotified',
      '/imprisoned',
      // No re-examination implies no reply to one: only the outer fact is listed.
      '/reexamination',
      '/reply',
      '/transferExecuted',
    ])
    for (const absence of absences) {
      expect(absence.notBy).toBe('2026-03-07')
      expect(absence.basis).toBe(
        'complete chain of DE: events recorded within 2 day(s), head issued 2026-03-10',
      )
    }
  })

  it('does not speak about facts an absence attestation in the chain feeds', () => {
    const absences = completeChainAbsences({
      chain: [...chain, link('TransferAbsenceMilestone', '2026-03-12')],
      chainUnbroken: true,
      requestingState: 'DE',
      policy,
    })
    expect(facts(absences)).not.toContain('/transferExecuted')
    expect(absences[0]!.notBy).toBe('2026-03-09')
  })

  it('takes an absence of a re-examination reply in the chain as a sign that re-examination was requested', () => {
    const absences = completeChainAbsences({
      chain: [...chain, link('DublinReexaminationReplyAbsenceMilestone', '2026-03-12')],
      chainUnbroken: true,
      requestingState: 'DE',
      policy,
    })
    expect(facts(absences)).not.toContain('/reexamination')
    expect(facts(absences)).not.toContain('/reexamination/reply')
  })

  const none: [string, Parameters<typeof completeChainAbsences>[0]][] = [
    ['a broken chain', { chain, chainUnbroken: false, requestingState: 'DE', policy }],
    ['no requesting state', { chain, chainUnbroken: true, policy }],
    ['a requesting state outside the policy', { chain, chainUnbroken: true, requestingState: 'FR', policy }],
    [
      'an issuer of another state (even one in the policy)',
      {
        chain: [...chain, link('DublinReplyMilestone', '2026-03-11', 'FR')],
        chainUnbroken: true,
        requestingState: 'DE',
        policy: [...policy, { state: 'FR', recordingDelayDays: 1 }],
      },
    ],
    ['an empty chain', { chain: [], chainUnbroken: true, requestingState: 'DE', policy }],
    [
      'a period that would end before the first credential',
      {
        chain: [link('DublinRequestMilestone', '2026-02-03'), link('DublinReplyMilestone', '2026-02-05')],
        chainUnbroken: true,
        requestingState: 'DE',
        policy,
      },
    ],
    ['the default policy (off)', { chain, chainUnbroken: true, requestingState: 'DE', policy: [] }],
  ]
  for (const [name, input] of none)
    it(`gives nothing for ${name}`, () => expect(completeChainAbsences(input)).toEqual([]))

  it('covers the first credential’s day when the period ends exactly there', () => {
    const absences = completeChainAbsences({
      chain: [link('DublinRequestMilestone', '2026-02-03'), link('TransferDecisionMilestone', '2026-02-06')],
      chainUnbroken: true,
      requestingState: 'DE',
      policy,
    })
    expect(absences.find((absence) => absence.fact === '/reply')?.notBy).toBe('2026-02-03')
  })

  it('a withheld reply: a chain issued 1 day after an unrecorded reply does not show that no reply came', () => {
    // The reply arrived on 2026-02-10; the chain's head was issued on 2026-02-11, before the reply was
    // recorded. With a recording delay of 2 days the chain covers only days up to 2026-02-08.
    const absences = completeChainAbsences({
      chain: [link('DublinRequestMilestone', '2026-02-03'), link('DetentionStartMilestone', '2026-02-11')],
      chainUnbroken: true,
      requestingState: 'DE',
      policy,
    })
    const replyAbsence = absences.find((absence) => absence.fact === '/reply')!
    expect(replyAbsence.notBy).toBe('2026-02-08')
    const { facts: assembled } = assembleDublinFacts({
      asOf: '2026-02-11',
      sources: [request],
      chainAbsences: absences,
    })
    // No reply up to 2026-02-08 only: the reply day (2026-02-10) stays unknown.
    expect(assembled['reply']).toEqual({ notBy: '2026-02-08' })
    expect((assembled['reply'] as { notBy: string }).notBy < '2026-02-10').toBe(true)
  })

  it('refuses days that are not days and delays that are not whole days', () => {
    expect(() =>
      completeChainAbsences({
        chain: [link('DublinRequestMilestone', '3 Feb')],
        chainUnbroken: true,
        requestingState: 'DE',
        policy,
      }),
    ).toThrow(TypeError)
    expect(() =>
      completeChainAbsences({
        chain,
        chainUnbroken: true,
        requestingState: 'DE',
        policy: [{ state: 'DE', recordingDelayDays: -1 }],
      }),
    ).toThrow(TypeError)
  })
})
