import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import { describe, expect, it } from 'vitest'
import {
  credentialSchemaFor,
  type JsonSchema,
  milestoneCatalogue,
  statusList2021CredentialSubjectSchema,
  subjectSchemaFor,
} from '../../src/milestones/index.ts'

const addFormats = addFormatsModule.default

function strictAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allErrors: true })
  addFormats(ajv)
  return ajv
}

/** Every (sub)schema object in a schema, with its location. */
function* walk(schema: unknown, location = '#'): Generator<[JsonSchema, string]> {
  if (Array.isArray(schema)) {
    for (const [index, item] of schema.entries()) yield* walk(item, `${location}/${index}`)
    return
  }
  if (schema === null || typeof schema !== 'object') return
  yield [schema as JsonSchema, location]
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'const' || key === 'enum' || key === 'required') continue
    yield* walk(value, `${location}/${key}`)
  }
}

/** Property names used anywhere in a schema. */
function propertyNames(schema: JsonSchema): string[] {
  const names: string[] = []
  for (const [node] of walk(schema)) {
    const properties = node['properties']
    if (properties && typeof properties === 'object') names.push(...Object.keys(properties))
  }
  return names
}

const forbiddenNames =
  /name|birth|nationality|citizenship|address|street|postcode|phone|email|eurodacNumber|reference|azr|fileNumber|aktenzeichen|passport|photo|fingerprint|diagnos|finding|result|religion|ethnic|reason|gender|sex$/i

const schemas = milestoneCatalogue.flatMap((entry) => [
  { label: `${entry.type} subject`, schema: subjectSchemaFor(entry.type), entry },
  { label: `${entry.type} credential`, schema: credentialSchemaFor(entry.type), entry },
])

describe('catalogue schemas', () => {
  for (const { label, schema } of schemas) {
    describe(label, () => {
      it('is valid JSON Schema 2020-12 and compiles under ajv strict mode', () => {
        expect(schema['$schema']).toBe('https://json-schema.org/draft/2020-12/schema')
        const ajv = strictAjv()
        expect(ajv.validateSchema(schema), JSON.stringify(ajv.errors)).toBe(true)
        expect(() => ajv.compile(schema)).not.toThrow()
      })

      it('has no $id (certainly no URN) and no $ref: self-contained', () => {
        for (const [node, location] of walk(schema)) {
          expect(node['$id'], location).toBeUndefined()
          expect(node['$ref'], location).toBeUndefined()
          expect(node['$dynamicRef'], location).toBeUndefined()
        }
        expect(JSON.stringify(schema)).not.toMatch(/"urn:/)
      })

      it('closes every object (additionalProperties: false)', () => {
        for (const [node, location] of walk(schema)) {
          if (node['type'] === 'object') expect(node['additionalProperties'], location).toBe(false)
        }
      })

      it('admits no free text: every string is a date, an enumeration, a constant or a pattern', () => {
        for (const [node, location] of walk(schema)) {
          if (node['type'] !== 'string') continue
          const closed =
            node['enum'] !== undefined ||
            node['const'] !== undefined ||
            typeof node['pattern'] === 'string' ||
            node['format'] === 'date-time' ||
            node['format'] === 'uri'
          expect(closed, location).toBe(true)
          if (node['format'] === 'date')
            expect(node['pattern'], location).toBe('^[0-9]{4}-[0-9]{2}-[0-9]{2}$')
        }
      })

      it('names no personal attribute', () => {
        for (const name of propertyNames(schema)) expect(name).not.toMatch(forbiddenNames)
      })
    })
  }

  it('in subject schemas only the envelope-free members appear (no uri strings in credentialSubject)', () => {
    for (const entry of milestoneCatalogue) {
      for (const [node, location] of walk(subjectSchemaFor(entry.type))) {
        if (node['type'] === 'string') expect(node['format'], location).not.toBe('uri')
      }
    }
  })

  it('health-related steps carry only booleans and dates besides the common members', () => {
    const health = milestoneCatalogue.filter((entry) => entry.healthRelated)
    expect(health.map((entry) => entry.type)).toEqual(['MedicalExaminationMilestone'])
    for (const entry of health) {
      for (const [name, claim] of Object.entries(entry.claims.properties)) {
        const ok = claim['type'] === 'boolean' || (claim['type'] === 'string' && claim['format'] === 'date')
        expect(ok, name).toBe(true)
      }
    }
  })

  it('every subject schema carries the common members and requires id, previousMilestoneHash, milestoneDate', () => {
    for (const entry of milestoneCatalogue) {
      const schema = subjectSchemaFor(entry.type)
      const properties = schema['properties'] as Record<string, JsonSchema>
      for (const member of [
        'id',
        'previousMilestoneHash',
        'supersedes',
        'eurodacCommitment',
        'milestoneDate',
      ])
        expect(properties[member], `${entry.type}.${member}`).toBeDefined()
      expect(schema['required']).toEqual(
        expect.arrayContaining(['id', 'previousMilestoneHash', 'milestoneDate']),
      )
      expect(schema['required']).not.toContain('supersedes')
      expect(schema['required']).not.toContain('eurodacCommitment')
    }
  })

  it('every credential schema requires the EBSI Verifiable Attestation members', () => {
    for (const entry of milestoneCatalogue) {
      expect(credentialSchemaFor(entry.type)['required']).toEqual(
        expect.arrayContaining([
          '@context',
          'id',
          'type',
          'issuer',
          'issuanceDate',
          'issued',
          'validFrom',
          'credentialSubject',
          'credentialSchema',
        ]),
      )
    }
  })

  it('returns the same schema object on every call (built once)', () => {
    expect(subjectSchemaFor('AppealMilestone')).toBe(subjectSchemaFor('AppealMilestone'))
    expect(credentialSchemaFor('AppealMilestone')).toBe(credentialSchemaFor('AppealMilestone'))
  })

  it('exports a valid StatusList2021 credentialSubject schema', () => {
    const ajv = strictAjv()
    const validate = ajv.compile(statusList2021CredentialSubjectSchema)
    expect(
      validate({
        id: 'http://localhost:4200/status/1#list',
        type: 'StatusList2021',
        statusPurpose: 'revocation',
        encodedList: 'H4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA',
      }),
    ).toBe(true)
    expect(
      validate({ id: 'http://localhost:4200/status/1#list', type: 'StatusList2021', statusPurpose: 'x' }),
    ).toBe(false)
  })
})
