import { describe, expect, it } from 'vitest'
import {
  assertValidMilestoneClaims,
  CredentialsError,
  MilestoneClaimsInvalid,
  milestoneCatalogue,
  validateMilestoneClaims,
} from '../../src/milestones/index.ts'
import { HASH_A, personalFields, validClaims } from './fixtures/claims.ts'

const types = milestoneCatalogue.map((entry) => entry.type)
const claimsOf = (type: string) => structuredClone(validClaims[type]!)

describe('every catalogue schema accepts its valid fixture', () => {
  for (const type of types) {
    it(type, () => {
      const result = validateMilestoneClaims(type, claimsOf(type))
      expect(result.issues).toEqual([])
      expect(result.valid).toBe(true)
    })
  }
})

describe('every catalogue schema rejects a fixture that adds a personal field', () => {
  for (const type of types) {
    for (const [field, value] of Object.entries(personalFields)) {
      it(`${type} + ${field}`, () => {
        const result = validateMilestoneClaims(type, { ...claimsOf(type), [field]: value })
        expect(result.valid).toBe(false)
        expect(result.issues).toContainEqual({
          pointer: `/${field}`,
          keyword: 'additionalProperties',
          message: `"/${field}" is not allowed`,
        })
      })
    }
  }
})

describe('personal data cannot hide in nested or free-looking members', () => {
  it('inside the urgent block of a request', () => {
    const claims = claimsOf('DublinRequestMilestone')
    claims['urgent'] = { requested: true, name: 'Amina Haddad' }
    const result = validateMilestoneClaims('DublinRequestMilestone', claims)
    expect(result.issues.map((issue) => issue.pointer)).toContain('/urgent/name')
  })

  it('inside the Eurodac commitment (the number in clear next to it)', () => {
    const claims = claimsOf('EurodacHitMilestone')
    claims['eurodacCommitment'] = { ...(claims['eurodacCommitment'] as object), number: 'DE1200000123456' }
    const result = validateMilestoneClaims('EurodacHitMilestone', claims)
    expect(result.issues.map((issue) => issue.pointer)).toContain('/eurodacCommitment/number')
  })

  const smuggled: Array<[string, string, unknown]> = [
    ['DublinRequestMilestone', 'requestBasis', 'DE1200000123456'],
    ['DublinRequestMilestone', 'requestBasis', 'Art. 18 Amina Haddad'],
    ['DublinReplyMilestone', 'legalBasis', 'Haddad, Amina, *12.03.1994'],
    ['AllocationMilestone', 'receivingAuthority', 'Hamburger Straße 19, 01067 Dresden'],
    ['EurodacHitMilestone', 'category', 'DE1200000123456'],
    ['TransferExecutedMilestone', 'receivingState', 'Syria'],
    ['AsylumRequestRecordReachedBamfMilestone', 'milestoneDate', '12.03.1994 Amina Haddad'],
    ['AsylumRequestRecordReachedBamfMilestone', 'id', 'DE1200000123456'],
    ['AsylumRequestRecordReachedBamfMilestone', 'previousMilestoneHash', 'DE1200000123456'],
    ['DublinReplyMilestone', 'supersedes', 'BAMF-1234567-475'],
    ['MedicalExaminationMilestone', 'examinationDone', 'tuberculosis negative'],
  ]
  for (const [type, field, value] of smuggled) {
    it(`${type}.${field} = ${JSON.stringify(value)}`, () => {
      const result = validateMilestoneClaims(type, { ...claimsOf(type), [field]: value })
      expect(result.valid).toBe(false)
      expect(result.issues.map((issue) => issue.pointer)).toContain(`/${field}`)
    })
  }
})

describe('common members', () => {
  it('requires id, previousMilestoneHash and milestoneDate, naming each', () => {
    const result = validateMilestoneClaims('DetentionStartMilestone', {})
    expect(result.issues.map((issue) => issue.pointer).sort()).toEqual([
      '/id',
      '/milestoneDate',
      '/previousMilestoneHash',
    ])
    expect(result.issues.every((issue) => issue.keyword === 'required')).toBe(true)
  })

  it('names missing milestone-specific claims', () => {
    const { replyType: _dropped, ...claims } = claimsOf('DublinReplyMilestone')
    const result = validateMilestoneClaims('DublinReplyMilestone', claims)
    expect(result.issues).toContainEqual({
      pointer: '/replyType',
      keyword: 'required',
      message: '"/replyType" is required',
    })
  })

  it('accepts null previousMilestoneHash (first milestone) and a hash; refuses hex or another algorithm', () => {
    const base = claimsOf('DetentionStartMilestone')
    expect(
      validateMilestoneClaims('DetentionStartMilestone', { ...base, previousMilestoneHash: null }).valid,
    ).toBe(true)
    expect(
      validateMilestoneClaims('DetentionStartMilestone', { ...base, previousMilestoneHash: HASH_A }).valid,
    ).toBe(true)
    const hex = `sha-256:${'ab'.repeat(32)}`
    expect(
      validateMilestoneClaims('DetentionStartMilestone', { ...base, previousMilestoneHash: hex }).valid,
    ).toBe(false)
    const md5 = `md5:${HASH_A.slice(8)}`
    expect(
      validateMilestoneClaims('DetentionStartMilestone', { ...base, previousMilestoneHash: md5 }).valid,
    ).toBe(false)
  })

  it('refuses a holder that is not a did:key', () => {
    const claims = { ...claimsOf('DetentionStartMilestone'), id: 'did:ebsi:zvHWX359A3CvfJnCYaAiAde' }
    expect(
      validateMilestoneClaims('DetentionStartMilestone', claims).issues.map((issue) => issue.pointer),
    ).toContain('/id')
  })

  it('refuses impossible dates', () => {
    const claims = { ...claimsOf('DetentionStartMilestone'), milestoneDate: '2026-02-30' }
    const result = validateMilestoneClaims('DetentionStartMilestone', claims)
    expect(result.issues).toContainEqual(
      expect.objectContaining({ pointer: '/milestoneDate', keyword: 'format' }),
    )
  })

  it('refuses a malformed Eurodac commitment', () => {
    const claims = claimsOf('EurodacHitMilestone')
    claims['eurodacCommitment'] = { alg: 'md5', salt: 'x', value: 'DE1200000123456' }
    const pointers = validateMilestoneClaims('EurodacHitMilestone', claims).issues.map(
      (issue) => issue.pointer,
    )
    expect(pointers).toEqual(
      expect.arrayContaining([
        '/eurodacCommitment/alg',
        '/eurodacCommitment/salt',
        '/eurodacCommitment/value',
      ]),
    )
  })

  it('refuses claims that are not an object', () => {
    expect(validateMilestoneClaims('DetentionStartMilestone', 'DE1200000123456').valid).toBe(false)
    expect(validateMilestoneClaims('DetentionStartMilestone', null).valid).toBe(false)
  })
})

describe('assertValidMilestoneClaims', () => {
  it('throws MilestoneClaimsInvalid with the issues', () => {
    let caught: unknown
    try {
      assertValidMilestoneClaims('AppealMilestone', { ...claimsOf('AppealMilestone'), name: 'Amina Haddad' })
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(MilestoneClaimsInvalid)
    expect(caught).toBeInstanceOf(CredentialsError)
    expect((caught as MilestoneClaimsInvalid).code).toBe('ERR_MILESTONE_CLAIMS_INVALID')
    expect((caught as MilestoneClaimsInvalid).issues.map((issue) => issue.pointer)).toEqual(['/name'])
    expect((caught as Error).message).toContain('"/name" is not allowed')
  })

  it('passes valid claims', () => {
    expect(() => assertValidMilestoneClaims('AppealMilestone', claimsOf('AppealMilestone'))).not.toThrow()
  })
})
