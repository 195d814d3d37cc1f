import { getAjvInstance as ebsiAjv } from '@cef-ebsi/verifiable-credential'
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import { TrustSourceUnavailable } from '../errors.ts'
import { type ParsedCredential, type PipelineContext, type StepResult, stepResult } from './types.ts'

const addFormats = addFormatsModule.default
const VCDM_1_1 = 'https://www.w3.org/2018/credentials/v1'
const SCHEMA_TYPES = new Set(['FullJsonSchemaValidator2021', 'JsonSchema'])

let ajv: Ajv2020 | undefined
const validators = new Map<string, { source: unknown; validate: ValidateFunction }>()

function compile(key: string, schema: Record<string, unknown>): ValidateFunction {
  const cached = validators.get(key)
  if (cached && cached.source === schema) return cached.validate
  if (!ajv) {
    ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false, addUsedSchema: false })
    // 'fast' formats: simpler URI/date-time regexes (full mode's RFC 3986 regex dominated the step).
    addFormats(ajv, { mode: 'fast' })
  }
  const { $id: _id, ...rest } = schema
  const validate = ajv.compile(rest)
  if (validators.size > 1000) validators.clear()
  validators.set(key, { source: schema, validate })
  return validate
}

const builtins = new Map<string, Record<string, unknown> | undefined>()

/** EBSI's built-in schemas (never fetched, as in @cef-ebsi/verifiable-credential). */
function builtinSchema(id: string): Record<string, unknown> | undefined {
  if (builtins.has(id)) return builtins.get(id)
  const schema = ebsiAjv(15_000, [], false).getSchema(id)?.schema
  const found = schema && typeof schema === 'object' ? (schema as Record<string, unknown>) : undefined
  // ids come from presented credentials: bounded, so arbitrary ids cannot grow it
  if (builtins.size > 1000) builtins.clear()
  builtins.set(id, found)
  return found
}

/**
 * Validation results by validator, then by credential: a credential met before (its parsed form is
 * shared and frozen, see checkJwtHeaderOnce) is not validated again against the same compiled
 * schema. A schema that changes on the ledger compiles to a new validator, so it is checked anew.
 */
const validations = new WeakMap<ValidateFunction, WeakMap<object, string[] | null>>()

function violationsOf(validate: ValidateFunction, vc: Record<string, unknown>): string[] | null {
  let byCredential = validations.get(validate)
  if (!byCredential) {
    byCredential = new WeakMap()
    validations.set(validate, byCredential)
  }
  const known = byCredential.get(vc)
  if (known !== undefined) return known
  const errors = validate(vc)
    ? null
    : (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`.trim())
  if (Object.isFrozen(vc)) byCredential.set(vc, errors)
  return errors
}

/**
 * Step 4, schema: every `credentialSchema` entry is a JSON Schema on the Trusted Schemas Registry of
 * the configured ledger (EBSI's built-in ids excepted), fetched and validated against the `vc`.
 */
export async function checkSchema(credential: ParsedCredential, ctx: PipelineContext): Promise<StepResult> {
  const { vc } = credential
  const context = vc['@context']
  if (!Array.isArray(context) || context[0] !== VCDM_1_1)
    return stepResult('schema', 'failed', 'context-invalid', { message: `@context must start with ${VCDM_1_1}` })
  if (!credential.types.includes('VerifiableCredential') || !credential.types.includes('VerifiableAttestation'))
    return stepResult('schema', 'failed', 'type-invalid', { types: credential.types })
  for (const member of ['issuanceDate', 'issued', 'validFrom'] as const)
    if (typeof vc[member] !== 'string' || Number.isNaN(Date.parse(vc[member] as string)))
      return stepResult('schema', 'failed', 'schema-violation', { message: `vc.${member} is required` })
  const entries = Array.isArray(vc.credentialSchema) ? vc.credentialSchema : vc.credentialSchema ? [vc.credentialSchema] : []
  if (entries.length === 0) return stepResult('schema', 'failed', 'schema-missing', {})
  const checked: string[] = []
  for (const entry of entries as { id?: unknown; type?: unknown }[]) {
    if (!entry || typeof entry.id !== 'string' || !SCHEMA_TYPES.has(String(entry.type)))
      return stepResult('schema', 'failed', 'schema-type-unsupported', { type: String(entry?.type) })
    const url = entry.id
    const match = /^(https?:\/\/[^/]+)\/trusted-schemas-registry\/v\d+\/schemas\/([^/?#]+)$/.exec(url)
    if (!match) return stepResult('schema', 'failed', 'schema-not-in-tsr', { schema: url })
    let schema = builtinSchema(match[2]!)
    if (!schema) {
      if (match[1] !== ctx.ledgerOrigin) return stepResult('schema', 'failed', 'schema-host-untrusted', { schema: url })
      try {
        schema = await ctx.readers.readSchema(url)
      } catch (error) {
        if (error instanceof TrustSourceUnavailable)
          return stepResult('schema', 'not-established', 'ledger-unavailable', { schema: url, message: error.message })
        throw error
      }
      if (!schema || typeof schema !== 'object') return stepResult('schema', 'failed', 'schema-unknown', { schema: url })
    }
    let validate: ValidateFunction
    try {
      validate = compile(url, schema)
    } catch (error) {
      return stepResult('schema', 'failed', 'schema-unusable', { schema: url, message: (error as Error).message })
    }
    const errors = violationsOf(validate, vc)
    if (errors) return stepResult('schema', 'failed', 'schema-violation', { schema: url, errors })
    checked.push(url)
  }
  return stepResult('schema', 'passed', 'ok', { schemas: checked })
}
