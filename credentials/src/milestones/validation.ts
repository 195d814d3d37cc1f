/**
 * Validation of milestone claims and credentials against the catalogue schemas. One Ajv 2020-12
 * instance, strict; each validator is compiled on first use and kept.
 */

import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import { credentialSchemaFor, getMilestone, type MilestoneType, subjectSchemaFor } from './catalogue.ts'
import { MilestoneClaimsInvalid, type MilestoneValidationIssue } from './errors.ts'
import { escapePointerToken } from './json-pointer.ts'

/** Result of validating milestone claims or a milestone credential. */
export type MilestoneValidationResult =
  | { readonly valid: true; readonly type: MilestoneType; readonly issues: readonly [] }
  | {
      readonly valid: false
      readonly type: MilestoneType
      readonly issues: readonly MilestoneValidationIssue[]
    }

// ajv-formats is CommonJS: under NodeNext its default import is module.exports, whose `default` is the plugin.
const addFormats = addFormatsModule.default

let ajv: Ajv2020 | undefined
const subjectValidators = new Map<string, ValidateFunction>()
const credentialValidators = new Map<string, ValidateFunction>()

function getAjv(): Ajv2020 {
  if (ajv === undefined) {
    ajv = new Ajv2020({ strict: true, allErrors: true })
    addFormats(ajv)
  }
  return ajv
}

function compiled(cache: Map<string, ValidateFunction>, type: string, schema: object): ValidateFunction {
  const cached = cache.get(type)
  if (cached !== undefined) return cached
  const validate = getAjv().compile(schema)
  cache.set(type, validate)
  return validate
}

function issueOf(error: ErrorObject): MilestoneValidationIssue {
  const params = error.params as Record<string, unknown>
  if (error.keyword === 'additionalProperties') {
    const pointer = `${error.instancePath}/${escapePointerToken(String(params['additionalProperty']))}`
    return { pointer, keyword: error.keyword, message: `"${pointer}" is not allowed` }
  }
  if (error.keyword === 'required') {
    const pointer = `${error.instancePath}/${escapePointerToken(String(params['missingProperty']))}`
    return { pointer, keyword: error.keyword, message: `"${pointer}" is required` }
  }
  const pointer = error.instancePath
  return { pointer, keyword: error.keyword, message: `"${pointer || '/'}" ${error.message ?? 'is invalid'}` }
}

function issuesOf(errors: readonly ErrorObject[] | null | undefined): MilestoneValidationIssue[] {
  const seen = new Set<string>()
  const issues: MilestoneValidationIssue[] = []
  for (const error of errors ?? []) {
    const issue = issueOf(error)
    const key = `${issue.pointer}\u0000${issue.message}`
    if (!seen.has(key)) {
      seen.add(key)
      issues.push(issue)
    }
  }
  return issues
}

function run(validate: ValidateFunction, type: MilestoneType, document: unknown): MilestoneValidationResult {
  if (validate(document)) return { valid: true, type, issues: [] }
  return { valid: false, type, issues: issuesOf(validate.errors) }
}

/**
 * Validates the claims (credentialSubject) of a milestone against its subject schema.
 * @param type - milestone type
 * @param claims - the credentialSubject, including `id` and `previousMilestoneHash`
 * @returns `{ valid, issues }`; each issue names the offending member by JSON pointer (e.g. `/name`)
 * @throws {UnknownMilestoneType} when the type is not in the catalogue
 * @example
 * const result = validateMilestoneClaims('DublinReplyMilestone', claims)
 * if (!result.valid) console.log(result.issues.map((issue) => issue.pointer))
 */
export function validateMilestoneClaims(type: string, claims: unknown): MilestoneValidationResult {
  const entry = getMilestone(type)
  return run(compiled(subjectValidators, entry.type, subjectSchemaFor(entry.type)), entry.type, claims)
}

/**
 * Like {@link validateMilestoneClaims}, but throws.
 * @throws {MilestoneClaimsInvalid} with the issues, when the claims are invalid
 * @throws {UnknownMilestoneType}
 */
export function assertValidMilestoneClaims(type: string, claims: unknown): void {
  const result = validateMilestoneClaims(type, claims)
  if (!result.valid) throw new MilestoneClaimsInvalid(result.type, result.issues)
}

/**
 * Validates a milestone credential's `vc` object against the type's full credential schema (what
 * EBSI's library does with the TSR document).
 * @param type - milestone type
 * @param credential - the `vc` member of the JWT payload
 * @throws {UnknownMilestoneType}
 */
export function validateMilestoneCredential(type: string, credential: unknown): MilestoneValidationResult {
  const entry = getMilestone(type)
  return run(
    compiled(credentialValidators, entry.type, credentialSchemaFor(entry.type)),
    entry.type,
    credential,
  )
}
