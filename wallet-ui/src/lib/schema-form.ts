/**
 * A milestone's claims form, generated from its credentialSubject JSON Schema (2020-12, as
 * @flora/credentials builds it): the fields, the validation messages, and the claims object the
 * issuer expects. Pure, no DOM: the page renders the fields, the server validates the same way.
 */

export type JsonSchema = { readonly [keyword: string]: unknown }

/** Members every milestone has that the issuer fills in itself (never entered by staff). */
export const issuerManagedMembers = ['id', 'previousMilestoneHash', 'supersedes', 'eurodacCommitment'] as const

export type FieldKind = 'date' | 'select' | 'boolean' | 'text' | 'integer' | 'group'

export interface FormField {
  /** Form control name: the claim path joined with dots (urgent.requested). */
  name: string
  /** JSON pointer of the claim in credentialSubject (/urgent/requested). */
  pointer: string
  kind: FieldKind
  required: boolean
  /** The schema's description: the field's hint. */
  description: string
  options: string[]
  pattern?: string
  maxLength?: number
  minimum?: number
  maximum?: number
  /** Sub-fields of an object claim. */
  children: FormField[]
  /**
   * The as-of day of an absence attestation (its milestoneDate: absent up to and including this
   * day). It must lie before today (UTC day): on the as-of day itself the event can still happen,
   * so the issuer refuses it; the form says so before.
   */
  asOf?: true
}

/** A validation problem, as a message key with parameters (translated by the page). */
export interface FieldError {
  key: 'required' | 'date' | 'pattern' | 'enum' | 'maxLength' | 'integer' | 'minimum' | 'maximum' | 'boolean' | 'notPast'
  params: Record<string, string | number>
}

const DATE = /^\d{4}-\d{2}-\d{2}$/

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function fieldOf(name: string, pointer: string, schema: JsonSchema, required: boolean): FormField {
  const base = {
    name,
    pointer,
    required,
    description: typeof schema.description === 'string' ? schema.description : '',
    options: [] as string[],
    children: [] as FormField[],
  }
  if (schema.type === 'object' && isObject(schema.properties)) {
    const req = Array.isArray(schema.required) ? (schema.required as string[]) : []
    return {
      ...base,
      kind: 'group',
      children: Object.entries(schema.properties).map(([child, sub]) =>
        fieldOf(`${name}.${child}`, `${pointer}/${child}`, sub as JsonSchema, req.includes(child)),
      ),
    }
  }
  if (Array.isArray(schema.enum)) return { ...base, kind: 'select', options: schema.enum.map(String) }
  if (schema.const !== undefined) return { ...base, kind: 'select', options: [String(schema.const)] }
  if (schema.type === 'boolean') return { ...base, kind: 'boolean' }
  if (schema.type === 'integer' || schema.type === 'number')
    return {
      ...base,
      kind: 'integer',
      ...(typeof schema.minimum === 'number' ? { minimum: schema.minimum } : {}),
      ...(typeof schema.maximum === 'number' ? { maximum: schema.maximum } : {}),
    }
  if (schema.format === 'date') return { ...base, kind: 'date' }
  return {
    ...base,
    kind: 'text',
    ...(typeof schema.pattern === 'string' ? { pattern: schema.pattern } : {}),
    ...(typeof schema.maxLength === 'number' ? { maxLength: schema.maxLength } : {}),
  }
}

/**
 * The fields of a subject schema, milestoneDate first, without the members the issuer manages. For
 * an absence attestation (`absence: true`, from `isAbsenceMilestone`) milestoneDate is the as-of day.
 * @example fieldsFromSchema(subjectSchemaFor('DublinRequestMilestone'))
 */
export function fieldsFromSchema(schema: JsonSchema, options: { absence?: boolean } = {}): FormField[] {
  const properties = isObject(schema.properties) ? schema.properties : {}
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : []
  const names = Object.keys(properties).filter(
    (name) => !(issuerManagedMembers as readonly string[]).includes(name),
  )
  names.sort((a, b) => (a === 'milestoneDate' ? -1 : b === 'milestoneDate' ? 1 : 0))
  return names.map((name) => {
    const field = fieldOf(name, `/${name}`, properties[name] as JsonSchema, required.includes(name))
    return options.absence && name === 'milestoneDate' && field.kind === 'date' ? { ...field, asOf: true as const } : field
  })
}

/**
 * Today as the issuer counts it when it checks an as-of day: the UTC day (it has no time zone of
 * its own), so that the form refuses exactly what the issuer would.
 */
export const todayUtc = (now: Date = new Date()) => now.toISOString().slice(0, 10)

/** Every leaf field (groups flattened). */
export function leafFields(fields: FormField[]): FormField[] {
  return fields.flatMap((field) => (field.kind === 'group' ? leafFields(field.children) : [field]))
}

/** Validates one entered value (a string from the form) against its field; `today` for as-of days. */
export function validateValue(field: FormField, raw: string, today: string = todayUtc()): FieldError | undefined {
  const value = raw.trim()
  if (value === '') return field.required ? { key: 'required', params: {} } : undefined
  switch (field.kind) {
    case 'date': {
      if (!DATE.test(value)) return { key: 'date', params: {} }
      const date = new Date(`${value}T00:00:00Z`)
      if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) return { key: 'date', params: {} }
      if (field.asOf && value >= today) return { key: 'notPast', params: { today } }
      return undefined
    }
    case 'select':
      return field.options.includes(value) ? undefined : { key: 'enum', params: { options: field.options.join(', ') } }
    case 'boolean':
      return value === 'true' || value === 'false' ? undefined : { key: 'boolean', params: {} }
    case 'integer': {
      if (!/^-?\d+$/.test(value)) return { key: 'integer', params: {} }
      const n = Number(value)
      if (field.minimum !== undefined && n < field.minimum) return { key: 'minimum', params: { minimum: field.minimum } }
      if (field.maximum !== undefined && n > field.maximum) return { key: 'maximum', params: { maximum: field.maximum } }
      return undefined
    }
    default:
      if (field.maxLength !== undefined && value.length > field.maxLength)
        return { key: 'maxLength', params: { maxLength: field.maxLength } }
      if (field.pattern !== undefined && !new RegExp(field.pattern, 'u').test(value))
        return { key: 'pattern', params: { pattern: field.pattern } }
      return undefined
  }
}

function typed(field: FormField, value: string): unknown {
  if (field.kind === 'boolean') return value === 'true'
  if (field.kind === 'integer') return Number(value)
  return value
}

/**
 * Reads the claims from submitted form values and validates them. A group is sent only when one of
 * its members is filled in; then its own required members are required.
 */
export function readClaims(
  fields: FormField[],
  values: Record<string, string>,
  today: string = todayUtc(),
): { claims: Record<string, unknown>; errors: Record<string, FieldError> } {
  const errors: Record<string, FieldError> = {}
  const read = (list: FormField[], optionalParent: boolean): Record<string, unknown> => {
    const out: Record<string, unknown> = {}
    for (const field of list) {
      const key = field.pointer.split('/').pop() ?? field.name
      if (field.kind === 'group') {
        const anyFilled = leafFields(field.children).some((child) => (values[child.name] ?? '').trim() !== '')
        if (!anyFilled) {
          if (field.required && !optionalParent) errors[field.name] = { key: 'required', params: {} }
          continue
        }
        out[key] = read(field.children, false)
        continue
      }
      const raw = values[field.name] ?? ''
      const problem = validateValue({ ...field, required: field.required && !optionalParent }, raw, today)
      if (problem) errors[field.name] = problem
      else if (raw.trim() !== '') out[key] = typed(field, raw.trim())
    }
    return out
  }
  const claims = read(fields, false)
  return { claims, errors }
}

/**
 * Maps the issuer's problem+json "invalid-params" names (/claims/urgent/requested, /milestoneDate)
 * to form field names (urgent.requested).
 */
export function fieldNameOfPointer(pointer: string): string {
  return pointer
    .replace(/^\/(claims|credentialSubject)(?=\/)/, '')
    .replace(/^\//, '')
    .split('/')
    .join('.')
}
