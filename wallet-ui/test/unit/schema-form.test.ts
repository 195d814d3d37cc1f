import { subjectSchemaFor } from '@flora/credentials'
import { describe, expect, it } from 'vitest'
import { fieldErrorMessage } from '../../src/lib/form-errors.ts'
import {
  fieldNameOfPointer,
  fieldsFromSchema,
  leafFields,
  readClaims,
  validateValue,
} from '../../src/lib/schema-form.ts'

describe('schema-driven milestone form: schema → fields', () => {
  const fields = fieldsFromSchema(subjectSchemaFor('DublinRequestMilestone'))

  it('lists the claims staff enter, milestoneDate first, never the members the issuer manages', () => {
    expect(fields.map((f) => f.name)).toEqual([
      'milestoneDate',
      'requestType',
      'requestingState',
      'requestedState',
      'requestReceived',
      'requestBasis',
      'urgent',
      'detained',
    ])
    for (const managed of ['id', 'previousMilestoneHash', 'supersedes', 'eurodacCommitment'])
      expect(fields.some((f) => f.name === managed)).toBe(false)
  })

  it('maps JSON Schema keywords to controls: date, enum → select, pattern, nested object → group', () => {
    const byName = Object.fromEntries(leafFields(fields).map((f) => [f.name, f]))
    expect(byName.milestoneDate).toMatchObject({ kind: 'date', required: true })
    expect(byName.requestType).toMatchObject({ kind: 'select', options: ['TCR', 'TBR', 'TBR_ART24', 'TBN'], required: true })
    expect(byName.requestingState?.options).toContain('FR')
    expect(byName.requestBasis).toMatchObject({ kind: 'text', required: false, maxLength: 32 })
    expect(byName.requestBasis?.pattern).toBeDefined()
    expect(byName.requestReceived).toMatchObject({ kind: 'date', required: false })
    const urgent = fields.find((f) => f.name === 'urgent')!
    expect(urgent).toMatchObject({ kind: 'group', required: false, pointer: '/urgent' })
    expect(urgent.children.map((c) => [c.name, c.kind, c.required])).toEqual([
      ['urgent.requested', 'boolean', true],
      ['urgent.ground', 'select', false],
      ['urgent.requestedReplyBy', 'date', false],
    ])
  })

  it('carries the schema descriptions as hints', () => {
    expect(fields[0]!.description).toMatch(/DubliNet/)
  })

  it('builds a form for every milestone type of the catalogue', async () => {
    const { milestoneCatalogue } = await import('@flora/credentials')
    for (const entry of milestoneCatalogue) {
      const form = fieldsFromSchema(subjectSchemaFor(entry.type))
      expect(form[0]?.name, entry.type).toBe('milestoneDate')
      for (const field of leafFields(form)) expect(['date', 'select', 'boolean', 'text', 'integer']).toContain(field.kind)
    }
  })
})

describe('schema-driven milestone form: validation messages', () => {
  const fields = fieldsFromSchema(subjectSchemaFor('DublinRequestMilestone'))
  const leaf = (name: string) => leafFields(fields).find((f) => f.name === name)!

  it('required, date, enum, pattern and maxLength come from the schema', () => {
    expect(validateValue(leaf('milestoneDate'), '')).toEqual({ key: 'required', params: {} })
    expect(validateValue(leaf('milestoneDate'), '2026-02-30')).toEqual({ key: 'date', params: {} })
    expect(validateValue(leaf('milestoneDate'), '04.05.2026')).toEqual({ key: 'date', params: {} })
    expect(validateValue(leaf('milestoneDate'), '2026-05-04')).toBeUndefined()
    expect(validateValue(leaf('requestType'), 'XYZ')).toEqual({ key: 'enum', params: { options: 'TCR, TBR, TBR_ART24, TBN' } })
    expect(validateValue(leaf('requestBasis'), 'Art 18')).toMatchObject({ key: 'pattern' })
    expect(validateValue(leaf('requestBasis'), 'Art. 18(1)(b)')).toBeUndefined()
    expect(validateValue(leaf('requestBasis'), `Art. ${'1'.repeat(40)}`)).toEqual({ key: 'maxLength', params: { maxLength: 32 } })
    expect(validateValue(leaf('requestBasis'), '')).toBeUndefined()
    expect(validateValue(leaf('urgent.requested'), 'maybe')).toEqual({ key: 'boolean', params: {} })
  })

  it('messages are localized with their parameters', () => {
    expect(fieldErrorMessage('en', { key: 'required', params: {} })).toBe('This field is required.')
    expect(fieldErrorMessage('de', { key: 'date', params: {} })).toBe('Geben Sie ein Datum im Format JJJJ-MM-TT ein.')
    expect(fieldErrorMessage('fr', { key: 'maxLength', params: { maxLength: 32 } })).toBe('32 caractères au plus.')
    expect(fieldErrorMessage('en', { key: 'enum', params: { options: 'TCR, TBR' } })).toBe('Choose one of: TCR, TBR.')
  })

  it('reads typed claims and leaves unfilled optional members out', () => {
    const { claims, errors } = readClaims(fields, {
      milestoneDate: '2026-05-20',
      requestType: 'TBR',
      requestingState: 'DE',
      requestedState: 'FR',
      requestBasis: '',
      'urgent.requested': '',
      'urgent.ground': '',
    })
    expect(errors).toEqual({})
    expect(claims).toEqual({ milestoneDate: '2026-05-20', requestType: 'TBR', requestingState: 'DE', requestedState: 'FR' })
  })

  it('an optional group becomes required inside once one of its fields is filled', () => {
    const { errors } = readClaims(fields, {
      milestoneDate: '2026-05-20',
      requestType: 'TBR',
      requestingState: 'DE',
      requestedState: 'FR',
      'urgent.ground': 'detention',
    })
    expect(errors).toEqual({ 'urgent.requested': { key: 'required', params: {} } })
    const fixed = readClaims(fields, {
      milestoneDate: '2026-05-20',
      requestType: 'TBR',
      requestingState: 'DE',
      requestedState: 'FR',
      'urgent.requested': 'true',
      'urgent.ground': 'detention',
    })
    expect(fixed.errors).toEqual({})
    expect(fixed.claims.urgent).toEqual({ requested: true, ground: 'detention' })
  })

  it('reports every missing required field at once', () => {
    const { errors } = readClaims(fields, {})
    expect(Object.keys(errors).sort()).toEqual(['milestoneDate', 'requestType', 'requestedState', 'requestingState'])
  })

  it('maps the issuer problem+json field names back to form fields', () => {
    expect(fieldNameOfPointer('/claims/urgent/requested')).toBe('urgent.requested')
    expect(fieldNameOfPointer('/milestoneDate')).toBe('milestoneDate')
    expect(fieldNameOfPointer('/credentialSubject/requestBasis')).toBe('requestBasis')
  })
})

describe('as-of day of an absence attestation', () => {
  const schema = subjectSchemaFor('TransferAbsenceMilestone')
  it('marks milestoneDate as the as-of day only for absence types', () => {
    expect(fieldsFromSchema(schema, { absence: true })[0]).toMatchObject({ name: 'milestoneDate', asOf: true })
    expect(fieldsFromSchema(schema)[0]!.asOf).toBeUndefined()
  })
  it('refuses an as-of day on or after today (UTC day) and accepts yesterday', () => {
    const field = fieldsFromSchema(schema, { absence: true })[0]!
    expect(validateValue(field, '2026-05-02', '2026-05-01')).toEqual({ key: 'notPast', params: { today: '2026-05-01' } })
    // On the as-of day itself the event can still happen in its remaining hours.
    expect(validateValue(field, '2026-05-01', '2026-05-01')).toEqual({ key: 'notPast', params: { today: '2026-05-01' } })
    expect(validateValue(field, '2026-04-30', '2026-05-01')).toBeUndefined()
    const { errors } = readClaims(fieldsFromSchema(schema, { absence: true }), { milestoneDate: '2026-05-01', receivingState: 'FR' }, '2026-05-01')
    expect(errors.milestoneDate?.key).toBe('notPast')
    expect(fieldErrorMessage('en', errors.milestoneDate!)).toBe(
      'The as-of day must lie before today (2026-05-01, UTC day): an absence can only be attested once its as-of day is over.',
    )
  })
  it('leaves an event milestone dated today alone', () => {
    const field = fieldsFromSchema(subjectSchemaFor('TransferExecutedMilestone'))[0]!
    expect(validateValue(field, '2026-05-01', '2026-05-01')).toBeUndefined()
  })
})
