import { describe, expect, it } from 'vitest'
import {
  applyFactAssignments,
  dublinFactPaths,
  factsFedBy,
  milestoneCatalogue,
  milestoneFactAssignments,
  validateMilestoneClaims,
} from '../../src/milestones/index.ts'
import { validClaims } from './fixtures/claims.ts'

/** The facts of issue 4 a credential can establish (officialHolidays, verifier and asOf are the verifier's own). */
const issue4Facts = [
  'requestingState',
  'requestedState',
  'requestType',
  'applicationLodged',
  'applicationRegistered',
  'asylumRequestRecordReachedBamf',
  'formalApplicationAtBamf',
  'apprehendedIrregularStay',
  'eurodacHit',
  'requestSent',
  'requestReceived',
  'requestBasis',
  'urgent',
  'detained',
  'detainedFrom',
  'unaccompaniedMinor',
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

describe('fact mappings', () => {
  it('target only facts named in issue 4', () => {
    for (const path of dublinFactPaths) expect(issue4Facts).toContain(path.split('/')[1])
    for (const entry of milestoneCatalogue)
      for (const mapping of entry.feeds) expect(dublinFactPaths).toContain(mapping.fact)
  })

  it('are plain data (JSON round-trip keeps them)', () => {
    for (const entry of milestoneCatalogue)
      expect(JSON.parse(JSON.stringify(entry.feeds))).toEqual(entry.feeds)
  })

  it('map the Dublin dates a verifier recomputes deadlines from', () => {
    expect(factsFedBy('AsylumRequestRecordReachedBamfMilestone')).toEqual(['/asylumRequestRecordReachedBamf'])
    expect(factsFedBy('ApplicationRegisteredMilestone')).toEqual(['/applicationRegistered'])
    expect(factsFedBy('DublinRequestMilestone')).toEqual(
      expect.arrayContaining(['/requestSent', '/requestType']),
    )
    expect(factsFedBy('TransferExecutedMilestone')).toEqual(['/transferExecuted'])
  })

  it('copy present claims and skip absent ones', () => {
    expect(milestoneFactAssignments('DublinReplyMilestone', validClaims['DublinReplyMilestone'])).toEqual([
      { fact: '/reply/type', value: 'acceptance' },
      { fact: '/reply/received', value: '2026-02-12' },
    ])
    expect(milestoneFactAssignments('ImprisonmentMilestone', { milestoneDate: '2026-06-01' })).toEqual([
      { fact: '/imprisoned/from', value: '2026-06-01' },
    ])
  })

  it('carry the AMMR Eurodac indications when present', () => {
    const claims = {
      ...validClaims['EurodacHitMilestone'],
      recordedUnder: 'Art. 22',
      responsibleIndicated: 'IT',
    }
    expect(validateMilestoneClaims('EurodacHitMilestone', claims).valid).toBe(true)
    expect(milestoneFactAssignments('EurodacHitMilestone', claims)).toEqual([
      { fact: '/eurodacHit/category', value: 1 },
      { fact: '/eurodacHit/received', value: '2026-01-09' },
      { fact: '/eurodacHit/searchCategory', value: 1 },
      { fact: '/eurodacHit/recordedUnder', value: 'Art. 22' },
      { fact: '/eurodacHit/responsibleIndicated', value: 'IT' },
    ])
  })

  it('assign constants', () => {
    expect(
      milestoneFactAssignments('DetentionStartMilestone', validClaims['DetentionStartMilestone']),
    ).toEqual([
      { fact: '/detained', value: true },
      { fact: '/detainedFrom', value: '2026-02-01' },
    ])
  })

  it('turn a presented case into the facts object of the Dublin assessment, with no code per type', () => {
    const presented = [
      'AsylumRequestRecordReachedBamfMilestone',
      'FormalApplicationMilestone',
      'EurodacHitMilestone',
      'DetentionStartMilestone',
      'DublinRequestMilestone',
      'DublinReplyMilestone',
      'TransferDecisionMilestone',
      'AppealMilestone',
      'SuspensiveEffectEndedMilestone',
      'AbscondingMilestone',
      'TransferExtensionNotifiedMilestone',
      'TransferExecutedMilestone',
    ]
    let facts: Record<string, unknown> = { asOf: '2026-10-01' }
    for (const type of presented)
      facts = applyFactAssignments(facts, milestoneFactAssignments(type, validClaims[type]))
    expect(facts).toEqual({
      asOf: '2026-10-01',
      asylumRequestRecordReachedBamf: '2026-01-08',
      formalApplicationAtBamf: '2026-01-20',
      eurodacHit: { category: 1, received: '2026-01-09', searchCategory: 1 },
      detained: true,
      detainedFrom: '2026-02-01',
      requestSent: '2026-02-03',
      requestType: 'TBR',
      requestingState: 'DE',
      requestedState: 'FR',
      requestReceived: '2026-02-03',
      requestBasis: 'Art. 18(1)(b)',
      urgent: { requested: true, ground: 'detention', requestedReplyBy: '2026-02-13' },
      reply: { type: 'acceptance', received: '2026-02-12' },
      transferDecisionServed: '2026-02-19',
      appeal: {
        actionFiled: '2026-02-24',
        urgentApplicationFiled: '2026-02-24',
        suspensiveEffect: true,
        suspensiveEffectEnded: '2026-03-30',
      },
      absconded: { from: '2026-05-10', established: true },
      extensionNotified: { date: '2026-05-20', ground: 'absconding' },
      transferExecuted: '2026-09-15',
    })
  })

  it('applyFactAssignments does not change its input', () => {
    const facts = Object.freeze({ reply: Object.freeze({ type: 'rejection' }) })
    const next = applyFactAssignments(facts, [{ fact: '/reply/received', value: '2026-03-01' }])
    expect(next).toEqual({ reply: { type: 'rejection', received: '2026-03-01' } })
    expect(facts).toEqual({ reply: { type: 'rejection' } })
  })
})
