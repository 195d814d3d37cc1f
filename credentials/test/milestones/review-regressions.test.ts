// Regressions of the attacker review of the Dublin absence line (review 1): each case failed before
// its fix. Expectations are written by hand from the articles cited.
import { describe, expect, it } from 'vitest'
import { assessDublinCase } from '../../src/dublin/index.ts'
import {
  assembleDublinFacts,
  completeChainAbsences,
  type DeclaredFact,
  FactAssemblyInputError,
  type FactSourceCredential,
} from '../../src/milestones/index.ts'

const request = (requestReceived = '2026-02-03'): FactSourceCredential => ({
  index: 0,
  type: 'DublinRequestMilestone',
  issuedOn: '2026-02-03',
  claims: {
    milestoneDate: '2026-02-03',
    requestType: 'TBR',
    requestingState: 'DE',
    requestedState: 'FR',
    requestReceived,
  },
})
const replyAbsence = (
  index: number,
  notBy: string,
  issuedOn: string,
  claims: Record<string, unknown> = {},
): FactSourceCredential => ({
  index,
  type: 'DublinReplyAbsenceMilestone',
  issuedOn,
  claims: {
    milestoneDate: notBy,
    requestType: 'TBR',
    requestingState: 'DE',
    requestedState: 'FR',
    requestReceived: '2026-02-03',
    ...claims,
  },
})
/**
 * The application day is not a fact a verifier declares; the tests add it to the assembled facts,
 * with the person not detained (an unstated `detained` is unknown and would decide some outcomes).
 */
const assess = (facts: Record<string, unknown>) =>
  assessDublinCase({ ...facts, applicationLodged: '2026-01-20', detained: false } as never)

describe('H1: a dispute on one member makes the whole event unknown', () => {
  // Two appeals: A (urgent application 06-01, suspensive effect) and B (urgent application 06-02,
  // court order 09-01). Merging members of both would make an appeal nobody filed.
  const appeal = (index: number, claims: Record<string, unknown>): FactSourceCredential => ({
    index,
    type: 'AppealMilestone',
    issuedOn: '2026-09-01',
    claims: { milestoneDate: String(claims['urgentApplicationFiled']), ...claims },
  })
  it('two different appeals: /appeal is left out, not patched together', () => {
    const result = assembleDublinFacts({
      asOf: '2026-12-02',
      sources: [
        request(),
        appeal(2, { urgentApplicationFiled: '2026-06-01', suspensiveEffect: true }),
        appeal(3, {
          urgentApplicationFiled: '2026-06-02',
          suspensiveEffect: true,
          suspensiveEffectOrdered: '2026-09-01',
        }),
      ],
    })
    expect(result.facts['appeal']).toBeUndefined()
    expect(result.conflicts).toEqual([
      { fact: '/appeal/urgentApplicationFiled', credentials: [2, 3], reason: 'values-differ' },
    ])
    expect(result.provenance.find((entry) => entry.fact === '/appeal')).toBeUndefined()
  })

  it('a disputed day of receipt does not fall back to requestSent (Art. 25(1), 22(7) Dublin III)', () => {
    // The request credential says receipt 02-06, the attestation 02-04. Counted from requestSent
    // (02-03) the two-week TBR reply period (Art. 25(1)) ends 02-17 and silence through 03-05 would
    // be a deemed acceptance; the receipt day is in dispute, so the reply deadline is not computed.
    const { facts, conflicts } = assembleDublinFacts({
      asOf: '2026-03-06',
      sources: [request('2026-02-06'), replyAbsence(1, '2026-03-05', '2026-03-06', { requestReceived: '2026-02-04' })],
    })
    expect(conflicts).toEqual([{ fact: '/requestReceived', credentials: [0, 1], reason: 'values-differ' }])
    expect(facts['requestReceived']).toBeUndefined()
    expect(facts['requestReceivedDisputed']).toBe(true)
    const result = assess(facts)
    expect(result.status).toBe('INSUFFICIENT_EVIDENCE')
    expect(result.deemedAcceptedFrom).toBeUndefined()
    expect(result.missingFacts).toContain('requestReceived')
  })
})

describe('H3: only the roots a verifier may declare, never prototype keys', () => {
  const base = { asOf: '2026-02-20', sources: [request(), replyAbsence(1, '2026-02-19', '2026-02-20')] }
  const refused: DeclaredFact[] = [
    { fact: '/asOf', value: '2026-06-01' },
    { fact: '/__proto__', value: { reply: null, transferExecuted: null } },
    { fact: '/constructor', value: null },
    { fact: '/prototype', value: null },
    { fact: '/applicationLodged', value: '2026-01-20' },
    { fact: '/requestingState', value: 'IT' },
    { fact: '/officialHolidays', value: {} },
    { fact: '/verifier', value: { state: 'DE' } },
    { fact: '/reexamination', value: null },
    { fact: '/reply/received', value: '2026-02-10' },
    { fact: 42 as unknown as string, value: null },
  ]
  for (const declared of refused)
    it(`refuses the declared fact ${JSON.stringify(declared.fact)}`, () => {
      expect(() => assembleDublinFacts({ ...base, declared: [declared] })).toThrow(FactAssemblyInputError)
    })

  it('the reply period of a TBR received 02-03 (one month, Art. 25(1)) is still open on 02-20 as attested through 02-19', () => {
    const { facts } = assembleDublinFacts(base)
    expect(Object.getPrototypeOf(facts)).toBe(Object.prototype)
    expect(assess(facts).status).toBe('AWAITING_REPLY')
  })

  it('refuses chain absences of anything but an event fact', () => {
    for (const fact of ['/asOf', '/__proto__', '/requestReceived', '/constructor'])
      expect(() =>
        assembleDublinFacts({ ...base, chainAbsences: [{ fact, notBy: '2026-02-10', basis: 'chain' }] }),
      ).toThrow(FactAssemblyInputError)
  })

  it('refuses a declared absence through a day after asOf', () => {
    expect(() =>
      assembleDublinFacts({ ...base, declared: [{ fact: '/reply', value: { notBy: '2026-02-21' } }] }),
    ).toThrow(/after asOf/)
  })
})

describe('M2: an absence attestation is tied to its request', () => {
  it('a reply absence about a TCR to IT does not make the TBR to FR accepted (values differ)', () => {
    const { facts, conflicts } = assembleDublinFacts({
      asOf: '2026-03-09',
      sources: [
        request(),
        replyAbsence(1, '2026-03-08', '2026-03-09', { requestedState: 'IT', requestType: 'TCR' }),
      ],
    })
    expect(conflicts).toEqual([
      { fact: '/requestType', credentials: [0, 1], reason: 'values-differ' },
      { fact: '/requestedState', credentials: [0, 1], reason: 'values-differ' },
    ])
    expect(facts['requestedState']).toBeUndefined()
    expect(facts['requestType']).toBeUndefined()
    // Without the request's type and requested state the engine makes no assessment at all.
    expect(() => assess(facts)).toThrow(/requestedState/)
  })

  it("a transfer absence to another state than the requested one disagrees with the request", () => {
    const { facts, conflicts } = assembleDublinFacts({
      asOf: '2026-10-01',
      sources: [
        request(),
        {
          index: 1,
          type: 'TransferAbsenceMilestone',
          issuedOn: '2026-09-01',
          claims: { milestoneDate: '2026-08-31', receivingState: 'IT' },
        },
      ],
    })
    expect(conflicts).toEqual([{ fact: '/requestedState', credentials: [0, 1], reason: 'values-differ' }])
    expect(facts['requestedState']).toBeUndefined()
  })

  it('the extension and re-examination reply absences name the same states', () => {
    const { conflicts } = assembleDublinFacts({
      asOf: '2026-10-01',
      sources: [
        request(),
        {
          index: 1,
          type: 'TransferExtensionAbsenceMilestone',
          issuedOn: '2026-09-01',
          claims: { milestoneDate: '2026-08-31', requestingState: 'AT', requestedState: 'FR' },
        },
      ],
    })
    expect(conflicts).toEqual([{ fact: '/requestingState', credentials: [0, 1], reason: 'values-differ' }])
  })
})

describe('M3: a complete chain says nothing when it cannot be read in full', () => {
  const policy = [{ state: 'DE', recordingDelayDays: 3 }]
  it('a link of a type this verifier does not know: no absences', () => {
    const chain = [
      { type: 'DublinRequestMilestone', issuedOn: '2026-02-03', issuerState: 'DE' },
      { type: 'DublinReplyMilestoneV2', issuedOn: '2026-02-12', issuerState: 'DE' },
      { type: 'TransferDecisionMilestone', issuedOn: '2026-09-01', issuerState: 'DE' },
    ]
    expect(completeChainAbsences({ chain, chainUnbroken: true, requestingState: 'DE', policy })).toEqual([])
  })
  it('the covered period runs to the latest issuance whatever the order of the array', () => {
    const chain = [
      { type: 'DublinRequestMilestone', issuedOn: '2026-02-03', issuerState: 'DE' },
      { type: 'TransferDecisionMilestone', issuedOn: '2026-09-01', issuerState: 'DE' },
      { type: 'DublinRequestMilestone', issuedOn: '2026-02-04', issuerState: 'DE' },
    ]
    const ordered = completeChainAbsences({ chain, chainUnbroken: true, requestingState: 'DE', policy })
    const reversed = completeChainAbsences({
      chain: [...chain].reverse(),
      chainUnbroken: true,
      requestingState: 'DE',
      policy,
    })
    expect(ordered.length).toBeGreaterThan(0)
    // 09-01 − 3 days − 1 day
    expect(ordered.every((absence) => absence.notBy === '2026-08-28')).toBe(true)
    expect(reversed).toEqual(ordered)
  })
})

describe('L3: typed errors for bad input', () => {
  it('a recording delay of 1e12 days is refused with a typed error, not a RangeError', () => {
    expect(() =>
      completeChainAbsences({
        chain: [{ type: 'DublinRequestMilestone', issuedOn: '2026-02-03', issuerState: 'DE' }],
        chainUnbroken: true,
        requestingState: 'DE',
        policy: [{ state: 'DE', recordingDelayDays: 1e12 }],
      }),
    ).toThrow(FactAssemblyInputError)
  })
})

describe('M5: the assembly dates suspensive effect as the engine does', () => {
  it('urgent application 06-02 before an attested absence through 08-01 conflicts, even with a later court order', () => {
    // § 34a(2) AsylG: the timely urgent application itself bars the transfer, from 06-02.
    const { facts, conflicts } = assembleDublinFacts({
      asOf: '2026-10-01',
      sources: [
        {
          index: 1,
          type: 'AppealMilestone',
          issuedOn: '2026-09-01',
          claims: {
            milestoneDate: '2026-06-02',
            urgentApplicationFiled: '2026-06-02',
            suspensiveEffect: true,
            suspensiveEffectOrdered: '2026-09-01',
          },
        },
        { index: 2, type: 'SuspensiveEffectAbsenceMilestone', issuedOn: '2026-08-02', claims: { milestoneDate: '2026-08-01' } },
      ],
    })
    expect(conflicts).toEqual([{ fact: '/appeal', credentials: [1, 2], reason: 'event-within-absence' }])
    expect(facts['appeal']).toBeUndefined()
  })
})

describe('H2: an attestation issued on its as-of day is not used', () => {
  it('no reply through 03-03 attested on 03-03 does not make a deemed acceptance (reply deadline 03-03)', () => {
    const { facts, conflicts } = assembleDublinFacts({
      asOf: '2026-03-04',
      sources: [request(), replyAbsence(1, '2026-03-03', '2026-03-03')],
    })
    expect(conflicts).toEqual([{ fact: '/reply', credentials: [1], reason: 'absence-after-issuance' }])
    expect(facts['reply']).toBeUndefined()
  })
})

describe('L2: far years are invalid facts, not an untyped TypeError', () => {
  it('AMMR facts in 9999 are refused as invalid', () => {
    expect(() =>
      assessDublinCase({
        requestingState: 'DE',
        requestedState: 'FR',
        requestType: 'TBR',
        applicationLodged: '9999-11-20',
        requestSent: '9999-12-03',
        reply: null,
        asOf: '9999-12-31',
      } as never),
    ).toThrow(/years 1900 to 9000/)
  })
})
