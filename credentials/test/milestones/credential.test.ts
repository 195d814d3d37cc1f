import { schema as ebsiAttestationSchema } from '@cef-ebsi/vcdm1.1-attestation-schema'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import { describe, expect, it } from 'vitest'
import {
  credentialSchemaFor,
  milestoneCatalogue,
  validateMilestoneCredential,
} from '../../src/milestones/index.ts'
import { validClaims } from './fixtures/claims.ts'
import { realisticCredential } from './fixtures/credential.ts'

const addFormats = addFormatsModule.default
const types = milestoneCatalogue.map((entry) => entry.type)
const vcOf = (type: string) => realisticCredential(type, structuredClone(validClaims[type]!))

/** An Ajv set up as @cef-ebsi/verifiable-credential 5.5 sets up its own (allErrors, formats, default strictness). */
function ebsiLikeAjv(): Ajv2020 {
  const ajv = new Ajv2020({
    allErrors: true,
    logger: false,
    loadSchema: async (uri) => {
      throw new Error(`self-contained schemas load nothing, but "${uri}" was requested`)
    },
  })
  addFormats(ajv)
  return ajv
}

describe('every full credential schema accepts a realistic VC of its type', () => {
  for (const type of types) {
    it(type, () => {
      const result = validateMilestoneCredential(type, vcOf(type))
      expect(result.issues).toEqual([])
      expect(result.valid).toBe(true)
    })
  }
})

describe('the realistic VCs also satisfy EBSI’s own VCDM 1.1 Verifiable Attestation schema', () => {
  const validateBase = ebsiLikeAjv().compile(ebsiAttestationSchema)
  for (const type of types) {
    it(type, () => {
      expect(validateBase(vcOf(type)), JSON.stringify(validateBase.errors)).toBe(true)
    })
  }
})

describe('the TSR documents load into an EBSI-like Ajv side by side (no $id collisions)', () => {
  it('compiles all credential schemas in one Ajv instance, as EBSI’s library does', async () => {
    const ajv = ebsiLikeAjv()
    for (const type of types) {
      const schemaId = `z${type}` // EBSI's library keys each TSR document by the last URL segment
      await ajv.compileAsync(credentialSchemaFor(type))
      if (!ajv.getSchema(schemaId)) ajv.addSchema(credentialSchemaFor(type), schemaId)
      const validate = ajv.getSchema(schemaId)!
      expect(validate(vcOf(type)), type).toBe(true)
    }
  })
})

describe('full credential schemas reject', () => {
  it('a personal field in credentialSubject, naming it', () => {
    const vc = vcOf('DublinReplyMilestone')
    ;(vc['credentialSubject'] as Record<string, unknown>)['birthDate'] = '1994-03-12'
    const result = validateMilestoneCredential('DublinReplyMilestone', vc)
    expect(result.valid).toBe(false)
    expect(result.issues.map((issue) => issue.pointer)).toContain('/credentialSubject/birthDate')
  })

  it('an unknown top-level member', () => {
    const vc = { ...vcOf('DublinReplyMilestone'), holderName: 'Amina Haddad' }
    expect(
      validateMilestoneCredential('DublinReplyMilestone', vc).issues.map((issue) => issue.pointer),
    ).toContain('/holderName')
  })

  it('personal data in evidence', () => {
    const vc = {
      ...vcOf('DublinReplyMilestone'),
      evidence: [{ type: ['DocumentVerification'], documentPresence: 'passport SY123' }],
    }
    expect(
      validateMilestoneCredential('DublinReplyMilestone', vc).issues.map((issue) => issue.pointer),
    ).toContain('/evidence/0/documentPresence')
  })

  it('a type chain without VerifiableAttestation, or for another milestone', () => {
    const withoutAttestation = {
      ...vcOf('DublinReplyMilestone'),
      type: ['VerifiableCredential', 'DublinReplyMilestone'],
    }
    expect(validateMilestoneCredential('DublinReplyMilestone', withoutAttestation).valid).toBe(false)
    const otherType = realisticCredential(
      'DublinRequestMilestone',
      structuredClone(validClaims['DublinReplyMilestone']!),
    )
    expect(
      validateMilestoneCredential('DublinReplyMilestone', otherType).issues.map((issue) => issue.pointer),
    ).toContain('/type')
  })

  it('a VC missing an EBSI-required member, naming each', () => {
    for (const member of [
      '@context',
      'issued',
      'validFrom',
      'issuanceDate',
      'credentialSchema',
      'issuer',
      'id',
    ]) {
      const vc = vcOf('TransferExecutedMilestone')
      delete vc[member]
      const result = validateMilestoneCredential('TransferExecutedMilestone', vc)
      expect(result.issues, member).toContainEqual(
        expect.objectContaining({ pointer: `/${member}`, keyword: 'required' }),
      )
    }
  })

  it('a credentialSchema that is not a Trusted Schemas Registry URL', () => {
    const vc = vcOf('TransferExecutedMilestone')
    vc['credentialSchema'] = {
      id: 'urn:uuid:3f1c8a52-7b0e-4d7e-9c57-2a0d5f8e6b11',
      type: 'FullJsonSchemaValidator2021',
    }
    expect(validateMilestoneCredential('TransferExecutedMilestone', vc).valid).toBe(false)
  })

  it('an issuer that is not an authority did:ebsi', () => {
    const vc = {
      ...vcOf('TransferExecutedMilestone'),
      issuer: 'did:key:z2dmzD81cgPx8Vki7JbuuMmFYrWPgYoytykUZ3eyqht1j9KbsE',
    }
    expect(
      validateMilestoneCredential('TransferExecutedMilestone', vc).issues.map((issue) => issue.pointer),
    ).toContain('/issuer')
  })

  it('a status entry of another kind', () => {
    const vc = {
      ...vcOf('TransferExecutedMilestone'),
      credentialStatus: { id: 'https://example.org/s', type: 'RevocationList2020Status' },
    }
    expect(validateMilestoneCredential('TransferExecutedMilestone', vc).valid).toBe(false)
  })
})

describe('full credential schemas allow what EBSI’s Verifiable Attestation allows', () => {
  it('validUntil, an issuer object, a single credentialSchema, several termsOfUse, evidence by reference', () => {
    const vc = {
      ...vcOf('TransferExecutedMilestone'),
      validUntil: '2031-02-03T10:15:00Z',
      issuer: { id: 'did:ebsi:zvHWX359A3CvfJnCYaAiAde' },
      credentialSchema: (vcOf('TransferExecutedMilestone')['credentialSchema'] as unknown[])[0],
      termsOfUse: [
        {
          id: 'http://localhost:4100/trusted-issuers-registry/v5/issuers/x/attributes/0x1',
          type: 'IssuanceCertificate',
        },
        { type: 'AccreditationPolicy' },
      ],
      evidence: { id: 'urn:uuid:9a0b7c42-1d2e-4f3a-8b5c-6d7e8f9a0b1c', type: 'DubliNetAcknowledgement' },
    }
    expect(validateMilestoneCredential('TransferExecutedMilestone', vc).issues).toEqual([])
  })
})
