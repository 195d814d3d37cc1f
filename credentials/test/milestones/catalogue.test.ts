import { describe, expect, it } from 'vitest'
import {
  assertMayIssueMilestone,
  authorityRoleCatalogue,
  authorityRoles,
  CredentialsError,
  checkMilestoneDefinitions,
  credentialSchemaFor,
  factsFedBy,
  getMilestone,
  isAbsenceMilestone,
  isMilestoneType,
  MilestoneCatalogueInvalid,
  type MilestoneDefinition,
  MilestoneNotAccredited,
  mayIssueMilestone,
  milestoneCatalogue,
  milestoneFactAssignments,
  milestonesIssuableBy,
  milestoneTypesByRole,
  subjectSchemaFor,
  UnknownAuthorityRole,
  UnknownMilestoneType,
  validateMilestoneClaims,
  validateMilestoneCredential,
} from '../../src/milestones/index.ts'
import { designMilestones, validClaims } from './fixtures/claims.ts'

const types = milestoneCatalogue.map((entry) => entry.type)

describe('milestone catalogue', () => {
  it('defines every milestone of the asylum procedure', () => {
    for (const [milestone, type] of Object.entries(designMilestones)) {
      expect(types, milestone).toContain(type)
    }
  })

  it('has unique PascalCase types ending in "Milestone", each with a positive version', () => {
    expect(new Set(types).size).toBe(types.length)
    for (const entry of milestoneCatalogue) {
      expect(entry.type).toMatch(/^[A-Z][A-Za-z0-9]*Milestone$/)
      expect(Number.isInteger(entry.version) && entry.version >= 1).toBe(true)
    }
  })

  it('has titles in de, fr and en and a meaning for milestoneDate', () => {
    for (const entry of milestoneCatalogue) {
      for (const language of ['de', 'fr', 'en'] as const)
        expect(entry.title[language].length).toBeGreaterThan(3)
      expect(entry.milestoneDateMeaning.length).toBeGreaterThan(3)
    }
  })

  it('has exactly one valid fixture per milestone type', () => {
    expect(Object.keys(validClaims).sort()).toEqual([...types].sort())
  })

  it('is read-only', () => {
    expect(Object.isFrozen(milestoneCatalogue)).toBe(true)
    expect(Object.isFrozen(getMilestone('DublinRequestMilestone').issuableBy)).toBe(true)
    expect(Object.isFrozen(subjectSchemaFor('DublinRequestMilestone'))).toBe(true)
  })

  it('looks up an entry by type', () => {
    const entry = getMilestone('DublinReplyMilestone')
    expect(entry.stage).toBe('RESPONSIBILITY_DETERMINATION')
    expect(entry.issuableBy).toContain('FOREIGN_DUBLIN_UNIT')
    expect(isMilestoneType('DublinReplyMilestone')).toBe(true)
    expect(isMilestoneType('PassportMilestone')).toBe(false)
  })
})

describe('unknown milestone types are refused with a typed error', () => {
  const calls: Record<string, () => unknown> = {
    getMilestone: () => getMilestone('PassportMilestone'),
    subjectSchemaFor: () => subjectSchemaFor('PassportMilestone'),
    credentialSchemaFor: () => credentialSchemaFor('PassportMilestone'),
    validateMilestoneClaims: () => validateMilestoneClaims('PassportMilestone', {}),
    validateMilestoneCredential: () => validateMilestoneCredential('PassportMilestone', {}),
    milestoneFactAssignments: () => milestoneFactAssignments('PassportMilestone', {}),
    mayIssueMilestone: () => mayIssueMilestone('BAMF_DUBLIN_UNIT', 'PassportMilestone'),
  }
  for (const [name, call] of Object.entries(calls)) {
    it(name, () => {
      let caught: unknown
      try {
        call()
      } catch (error) {
        caught = error
      }
      expect(caught).toBeInstanceOf(UnknownMilestoneType)
      expect(caught).toBeInstanceOf(CredentialsError)
      expect((caught as UnknownMilestoneType).code).toBe('ERR_UNKNOWN_MILESTONE_TYPE')
      expect((caught as UnknownMilestoneType).type).toBe('PassportMilestone')
      expect((caught as Error).name).toBe('UnknownMilestoneType')
    })
  }

  it('does not resolve inherited object members as types', () => {
    expect(() => getMilestone('constructor')).toThrow(UnknownMilestoneType)
    expect(() => getMilestone('__proto__')).toThrow(UnknownMilestoneType)
  })
})

describe('authority roles', () => {
  it('describes every role in de, fr and en', () => {
    expect(authorityRoleCatalogue.map((definition) => definition.role)).toEqual([...authorityRoles])
    for (const definition of authorityRoleCatalogue) {
      expect(definition.title.de && definition.title.fr && definition.title.en).toBeTruthy()
      expect(definition.examples.length).toBeGreaterThan(0)
    }
  })

  it('names only known roles in the catalogue, and every role issues something', () => {
    for (const entry of milestoneCatalogue) {
      expect(entry.issuableBy.length).toBeGreaterThan(0)
      for (const role of entry.issuableBy) expect(authorityRoles).toContain(role)
    }
    for (const role of authorityRoles) expect(milestonesIssuableBy(role).length, role).toBeGreaterThan(0)
  })

  it('milestonesIssuableBy agrees with issuableBy, role by role and type by type', () => {
    for (const role of authorityRoles) {
      const issuable = milestonesIssuableBy(role).map((entry) => entry.type)
      for (const entry of milestoneCatalogue) {
        expect(issuable.includes(entry.type), `${role} / ${entry.type}`).toBe(
          (entry.issuableBy as readonly string[]).includes(role),
        )
        expect(mayIssueMilestone(role, entry.type)).toBe(issuable.includes(entry.type))
      }
      expect(milestoneTypesByRole()[role]).toEqual(issuable)
    }
  })

  it('maps the pilot authorities to the milestones they record', () => {
    const issuable = (role: string) => milestonesIssuableBy(role).map((entry) => entry.type)
    expect(issuable('FOREIGN_DUBLIN_UNIT')).toContain('DublinReplyMilestone')
    expect(issuable('BAMF_DUBLIN_UNIT')).toEqual(
      expect.arrayContaining([
        'DublinRequestMilestone',
        'EurodacHitMilestone',
        'TransferExtensionNotifiedMilestone',
      ]),
    )
    expect(issuable('BAMF_BRANCH_OFFICE')).toEqual(
      expect.arrayContaining(['FormalApplicationMilestone', 'AsylumRequestRecordReachedBamfMilestone']),
    )
    expect(issuable('RECEPTION_AUTHORITY')).toEqual(
      expect.arrayContaining(['ArrivalCertificateMilestone', 'AllocationMilestone']),
    )
    expect(issuable('FEDERAL_POLICE')).toEqual(
      expect.arrayContaining(['AsylumRequestReferralMilestone', 'TransferExecutedMilestone']),
    )
    expect(issuable('HEALTH_AUTHORITY')).toEqual(['MedicalExaminationMilestone'])
    // Dublin decisions are BAMF's; a foreign unit never issues a German transfer decision.
    expect(issuable('FOREIGN_DUBLIN_UNIT')).not.toContain('TransferDecisionMilestone')
    expect(issuable('HEALTH_AUTHORITY')).not.toContain('DublinRequestMilestone')
  })

  it('refuses unknown roles and unaccredited issuance with typed errors', () => {
    expect(() => milestonesIssuableBy('MAYOR')).toThrow(UnknownAuthorityRole)
    try {
      milestonesIssuableBy('MAYOR')
    } catch (error) {
      expect((error as UnknownAuthorityRole).code).toBe('ERR_UNKNOWN_AUTHORITY_ROLE')
    }
    expect(() => mayIssueMilestone('MAYOR', 'DublinReplyMilestone')).toThrow(UnknownAuthorityRole)
    expect(() => assertMayIssueMilestone('HEALTH_AUTHORITY', 'DublinReplyMilestone')).toThrow(
      MilestoneNotAccredited,
    )
    try {
      assertMayIssueMilestone('HEALTH_AUTHORITY', 'DublinReplyMilestone')
    } catch (error) {
      expect((error as MilestoneNotAccredited).code).toBe('ERR_MILESTONE_NOT_ACCREDITED')
    }
    expect(() => assertMayIssueMilestone('FOREIGN_DUBLIN_UNIT', 'DublinReplyMilestone')).not.toThrow()
  })
})

describe('absence attestations', () => {
  const absenceTypes: Record<string, { roles: string[]; feeds: string[] }> = {
    DublinReplyAbsenceMilestone: {
      roles: ['BAMF_DUBLIN_UNIT', 'FOREIGN_DUBLIN_UNIT'],
      feeds: ['/reply/notBy', '/requestReceived', '/requestType', '/requestingState', '/requestedState'],
    },
    DublinReexaminationReplyAbsenceMilestone: {
      roles: ['BAMF_DUBLIN_UNIT', 'FOREIGN_DUBLIN_UNIT'],
      feeds: ['/reexamination/reply/notBy', '/requestingState', '/requestedState'],
    },
    TransferExtensionAbsenceMilestone: {
      roles: ['BAMF_DUBLIN_UNIT', 'FOREIGN_DUBLIN_UNIT'],
      feeds: ['/extensionNotified/notBy', '/requestingState', '/requestedState'],
    },
    SuspensiveEffectAbsenceMilestone: { roles: ['BAMF_DUBLIN_UNIT'], feeds: ['/appeal/notBy'] },
    TransferAbsenceMilestone: {
      roles: ['FEDERAL_POLICE', 'FOREIGNERS_AUTHORITY'],
      feeds: ['/transferExecuted/notBy', '/requestedState'],
    },
  }

  it('are exactly the five types of the contract, flagged as absences', () => {
    expect(
      milestoneCatalogue
        .filter((entry) => entry.attests === 'absence')
        .map((entry) => entry.type)
        .sort(),
    ).toEqual(Object.keys(absenceTypes).sort())
    for (const [type, { roles, feeds }] of Object.entries(absenceTypes)) {
      expect(isAbsenceMilestone(type)).toBe(true)
      expect([...getMilestone(type).issuableBy].sort(), type).toEqual([...roles].sort())
      expect(factsFedBy(type), type).toEqual(feeds)
    }
    expect(isAbsenceMilestone('DublinReplyMilestone')).toBe(false)
  })

  it('feed { notBy } from the as-of day (milestoneDate)', () => {
    expect(
      milestoneFactAssignments('DublinReplyAbsenceMilestone', validClaims['DublinReplyAbsenceMilestone']),
    ).toEqual([
      { fact: '/reply/notBy', value: '2026-02-17' },
      { fact: '/requestReceived', value: '2026-02-03' },
      { fact: '/requestType', value: validClaims['DublinReplyAbsenceMilestone']!['requestType'] },
      { fact: '/requestingState', value: validClaims['DublinReplyAbsenceMilestone']!['requestingState'] },
      { fact: '/requestedState', value: validClaims['DublinReplyAbsenceMilestone']!['requestedState'] },
    ])
    expect(
      milestoneFactAssignments('TransferAbsenceMilestone', validClaims['TransferAbsenceMilestone']),
    ).toEqual([
      { fact: '/transferExecuted/notBy', value: '2026-08-31' },
      { fact: '/requestedState', value: validClaims['TransferAbsenceMilestone']!['receivingState'] },
    ])
  })

  it('need the day of receipt for a reply absence (the reply deadline runs from it)', () => {
    const { requestReceived: _, ...claims } = validClaims['DublinReplyAbsenceMilestone']!
    expect(validateMilestoneClaims('DublinReplyAbsenceMilestone', claims).valid).toBe(false)
  })
})

describe('catalogue data checks (adding a milestone is data; bad data fails fast)', () => {
  const good: MilestoneDefinition = {
    type: 'ExampleMilestone',
    version: 1,
    stage: 'TRANSFER',
    title: { de: 'Beispiel', fr: 'Exemple', en: 'Example' },
    description: 'Example.',
    milestoneDateMeaning: 'Date.',
    legalBasis: [],
    issuableBy: ['BAMF_DUBLIN_UNIT'],
    claims: { properties: { done: { type: 'boolean' } }, required: ['done'] },
    feeds: [{ fact: '/transferExecuted', from: '/milestoneDate' }],
  }
  const broken = (change: Partial<MilestoneDefinition> | Record<string, unknown>) =>
    [{ ...good, ...change }] as unknown as readonly MilestoneDefinition[]

  it('accepts a well-formed entry', () => {
    expect(checkMilestoneDefinitions([good])).toEqual([good])
  })

  const cases: Record<string, [readonly MilestoneDefinition[], RegExp]> = {
    'duplicate type': [[good, good], /duplicate type/],
    'badly named type': [broken({ type: 'exampleCredential' }), /PascalCase/],
    'unknown role': [broken({ issuableBy: ['MAYOR'] }), /unknown role "MAYOR"/],
    'no role': [broken({ issuableBy: [] }), /no role/],
    'unknown stage': [broken({ stage: 'LIMBO' }), /unknown stage/],
    'zero version': [broken({ version: 0 }), /version/],
    'unknown fact': [broken({ feeds: [{ fact: '/nope', from: '/milestoneDate' }] }), /unknown fact "\/nope"/],
    'mapping from a missing claim': [
      broken({ feeds: [{ fact: '/requestSent', from: '/sentOn' }] }),
      /"\/sentOn"/,
    ],
    'clash with a common member': [
      broken({ claims: { properties: { id: { type: 'boolean' } }, required: [] } }),
      /clashes with a common subject member/,
    ],
    'undefined required claim': [
      broken({ claims: { properties: {}, required: ['done'] } }),
      /required claim "done"/,
    ],
    'absence fed by an event record': [
      broken({ feeds: [{ fact: '/transferExecuted/notBy', from: '/milestoneDate' }] }),
      /is an absence, but the type does not attest absence/,
    ],
    'absence attestation without a notBy fact': [broken({ attests: 'absence' }), /must feed a "notBy" fact/],
    'absence attestation whose notBy is not the as-of day': [
      broken({
        attests: 'absence',
        claims: { properties: { on: { type: 'string', format: 'date' } }, required: [] },
        feeds: [{ fact: '/transferExecuted/notBy', from: '/on' }],
      }),
      /must map from "\/milestoneDate"/,
    ],
    'unknown attests': [broken({ attests: 'rumour' }), /unknown attests "rumour"/],
    'health step with a text claim': [
      broken({
        healthRelated: true,
        claims: { properties: { finding: { type: 'string', enum: ['tuberculosis'] } }, required: [] },
      }),
      /health-related claim "finding" must be a boolean or a date/,
    ],
  }
  for (const [name, [definitions, message]] of Object.entries(cases)) {
    it(`refuses ${name}`, () => {
      expect(() => checkMilestoneDefinitions(definitions)).toThrow(MilestoneCatalogueInvalid)
      expect(() => checkMilestoneDefinitions(definitions)).toThrow(message)
    })
  }
})
