import { describe, expect, it } from 'vitest'
import { checkAbsenceAsOf, UnknownMilestoneType } from '../../src/milestones/index.ts'
import { validClaims } from './fixtures/claims.ts'

const claims = (type: string, milestoneDate: unknown) => ({ ...validClaims[type], milestoneDate })

describe('checkAbsenceAsOf: an absence is attested only up to a day that is over', () => {
  const cases: [string, string, unknown, string, boolean][] = [
    // name, type, milestoneDate, issuedOn, ok
    ['as-of day before issuance', 'TransferAbsenceMilestone', '2026-08-31', '2026-09-01', true],
    // Review H2: on its own as-of day the attestation would claim silence for hours still to come.
    ['as-of day = issuance day', 'TransferAbsenceMilestone', '2026-09-01', '2026-09-01', false],
    ['as-of day one day after issuance', 'TransferAbsenceMilestone', '2026-09-02', '2026-09-01', false],
    ['as-of day across a year end', 'DublinReplyAbsenceMilestone', '2027-01-01', '2026-12-31', false],
    ['reply absence in time', 'DublinReplyAbsenceMilestone', '2026-02-17', '2026-02-18', true],
    ['reply absence on its as-of day', 'DublinReplyAbsenceMilestone', '2026-02-17', '2026-02-17', false],
    [
      're-examination reply absence early',
      'DublinReexaminationReplyAbsenceMilestone',
      '2026-03-07',
      '2026-03-06',
      false,
    ],
    ['extension absence early', 'TransferExtensionAbsenceMilestone', '2026-09-01', '2026-08-31', false],
    [
      'suspensive effect absence early',
      'SuspensiveEffectAbsenceMilestone',
      '2026-03-06',
      '2026-03-05',
      false,
    ],
    ['absence without a date', 'SuspensiveEffectAbsenceMilestone', undefined, '2026-03-05', false],
    [
      'absence with an impossible date',
      'SuspensiveEffectAbsenceMilestone',
      '2026-02-30',
      '2026-03-05',
      false,
    ],
    // Event records may carry a future date (a scheduled transfer is the issuer's business, not this rule's).
    ['event record dated after issuance', 'TransferExecutedMilestone', '2026-09-20', '2026-09-15', true],
    ['event record without a date', 'DublinReplyMilestone', undefined, '2026-09-15', true],
  ]
  for (const [name, type, milestoneDate, issuedOn, ok] of cases) {
    it(name, () => {
      const result = checkAbsenceAsOf(type, claims(type, milestoneDate), issuedOn)
      expect(result.ok).toBe(ok)
      if (!result.ok) expect(result.reason).toMatch(/^milestoneDate/)
    })
  }

  it('names both days in the reason', () => {
    expect(
      checkAbsenceAsOf('TransferAbsenceMilestone', { milestoneDate: '2026-09-01' }, '2026-09-01'),
    ).toEqual({
      ok: false,
      reason:
        'milestoneDate 2026-09-01 (the day the absence is attested up to) does not lie before the issuance day 2026-09-01',
    })
  })

  it('refuses claims that are not an object as having no as-of day', () => {
    expect(checkAbsenceAsOf('TransferAbsenceMilestone', null, '2026-09-01').ok).toBe(false)
    expect(checkAbsenceAsOf('TransferAbsenceMilestone', '2026-08-01', '2026-09-01').ok).toBe(false)
  })

  it('throws on an unknown type or an issuance day that is not a day', () => {
    expect(() => checkAbsenceAsOf('PassportMilestone', {}, '2026-09-01')).toThrow(UnknownMilestoneType)
    expect(() => checkAbsenceAsOf('TransferAbsenceMilestone', {}, '2026-9-1')).toThrow(TypeError)
  })
})
