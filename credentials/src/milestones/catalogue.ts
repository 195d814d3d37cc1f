/**
 * The milestone catalogue: lookups by type and role, and the two schemas of each type. Pure; the
 * catalogue data is checked once when the module loads, so inconsistent data fails fast.
 */

import { milestoneDefinitions } from './catalogue/index.ts'
import {
  MilestoneCatalogueInvalid,
  MilestoneNotAccredited,
  UnknownAuthorityRole,
  UnknownMilestoneType,
} from './errors.ts'
import { pointerTokens } from './json-pointer.ts'
import { type AuthorityRole, authorityRoles, isAuthorityRole } from './roles.ts'
import { buildCredentialSchema, buildSubjectSchema, commonSubjectMembers } from './schemas.ts'
import {
  absenceFactPaths,
  type DublinFactPath,
  dublinFactPaths,
  type JsonSchema,
  type MilestoneDefinition,
  procedureStages,
} from './types.ts'

/** Every milestone credential type of the catalogue. */
export type MilestoneType = (typeof milestoneDefinitions)[number]['type']

/** A catalogue entry whose type is known to the catalogue. */
export type MilestoneCatalogueEntry = MilestoneDefinition & { readonly type: MilestoneType }

const TYPE_NAME = /^[A-Z][A-Za-z0-9]*Milestone$/

function subSchemaAt(schema: JsonSchema, pointer: string): JsonSchema | undefined {
  let current: JsonSchema | undefined = schema
  for (const token of pointerTokens(pointer)) {
    const properties = current?.['properties'] as Record<string, JsonSchema> | undefined
    current = properties?.[token]
  }
  return current
}

function isDateOrBoolean(schema: JsonSchema): boolean {
  return schema['type'] === 'boolean' || (schema['type'] === 'string' && schema['format'] === 'date')
}

/**
 * Checks catalogue data: unique well-formed types, known roles and stages, required claims that exist,
 * no clash with the common subject members, health-related claims limited to booleans and dates, and
 * fact mappings that name a known fact and a claim that exists.
 * @param definitions - catalogue entries
 * @returns the same entries
 * @throws {MilestoneCatalogueInvalid} listing every problem found
 */
export function checkMilestoneDefinitions<T extends readonly MilestoneDefinition[]>(definitions: T): T {
  const problems: string[] = []
  const seen = new Set<string>()
  for (const definition of definitions) {
    const { type } = definition
    if (!TYPE_NAME.test(type)) problems.push(`"${type}": type must be PascalCase ending in "Milestone"`)
    if (seen.has(type)) problems.push(`"${type}": duplicate type`)
    seen.add(type)
    if (!Number.isInteger(definition.version) || definition.version < 1)
      problems.push(`"${type}": version must be a positive integer`)
    if (!(procedureStages as readonly string[]).includes(definition.stage))
      problems.push(`"${type}": unknown stage "${definition.stage}"`)
    if (definition.issuableBy.length === 0) problems.push(`"${type}": no role may issue it`)
    for (const role of definition.issuableBy)
      if (!isAuthorityRole(role)) problems.push(`"${type}": unknown role "${role}"`)
    const claimNames = Object.keys(definition.claims.properties)
    for (const name of claimNames) {
      if ((commonSubjectMembers as readonly string[]).includes(name))
        problems.push(`"${type}": claim "${name}" clashes with a common subject member`)
      const claim = definition.claims.properties[name]!
      if (definition.healthRelated && !isDateOrBoolean(claim))
        problems.push(`"${type}": health-related claim "${name}" must be a boolean or a date`)
    }
    for (const name of definition.claims.required)
      if (!claimNames.includes(name)) problems.push(`"${type}": required claim "${name}" is not defined`)
    const subject = buildSubjectSchema(definition)
    for (const mapping of definition.feeds) {
      if (!(dublinFactPaths as readonly string[]).includes(mapping.fact))
        problems.push(`"${type}": unknown fact "${mapping.fact}"`)
      if ('from' in mapping && subSchemaAt(subject, mapping.from) === undefined)
        problems.push(`"${type}": fact "${mapping.fact}" maps from "${mapping.from}", which is not a claim`)
      else if ('from' in mapping && mapping.default !== undefined) {
        const problem = defaultProblem(subSchemaAt(subject, mapping.from)!, mapping.default)
        if (problem !== undefined)
          problems.push(`"${type}": default of fact "${mapping.fact}" ${problem}`)
      }
    }
    problems.push(...absenceProblems(definition))
  }
  if (problems.length > 0)
    throw new MilestoneCatalogueInvalid(`milestone catalogue invalid: ${problems.join('; ')}`)
  return definitions
}

/**
 * A default stands in for an absent claim, so it must be a value the claim could have had: a
 * verifier could not tell a defaulted fact from a stated one.
 */
function defaultProblem(claim: JsonSchema, value: unknown): string | undefined {
  const expected = claim['type']
  const actual = typeof value === 'number' && Number.isInteger(value) ? 'integer' : typeof value
  const typeFits = expected === actual || (expected === 'number' && actual === 'integer')
  if (!typeFits) return `is a ${actual}, but the claim is a ${String(expected)}`
  const allowed = claim['enum']
  if (Array.isArray(allowed) && !allowed.includes(value)) return `is not one of the claim's values`
  if ('const' in claim && claim['const'] !== value) return `is not the claim's only value`
  if (claim['format'] === 'date' || claim['pattern'] !== undefined)
    return 'is not allowed for a date or patterned claim (a default day would be invented)'
  return undefined
}

/**
 * An absence attestation must say up to which day the event did not happen, and that day is its
 * `milestoneDate` (which the issuer and verifier compare with the issuance day). An event record must
 * not feed `{ notBy }`, or a verifier would read an event credential as an absence.
 */
function absenceProblems(definition: MilestoneDefinition): string[] {
  const { type } = definition
  const problems: string[] = []
  const isAbsenceFact = (fact: string) => (absenceFactPaths as readonly string[]).includes(fact)
  if (definition.attests !== undefined && definition.attests !== 'absence')
    problems.push(`"${type}": unknown attests "${String(definition.attests)}"`)
  const notByFeeds = definition.feeds.filter((mapping) => isAbsenceFact(mapping.fact))
  if (definition.attests === 'absence') {
    if (notByFeeds.length === 0) problems.push(`"${type}": an absence attestation must feed a "notBy" fact`)
    for (const mapping of notByFeeds)
      if (!('from' in mapping) || mapping.from !== '/milestoneDate' || mapping.default !== undefined)
        problems.push(`"${type}": absence fact "${mapping.fact}" must map from "/milestoneDate", with no default`)
  } else {
    for (const mapping of notByFeeds)
      problems.push(`"${type}": fact "${mapping.fact}" is an absence, but the type does not attest absence`)
  }
  return problems
}

/**
 * Whether a milestone type is an absence attestation (`attests: 'absence'`).
 * @param type - milestone type
 * @throws {UnknownMilestoneType}
 */
export function isAbsenceMilestone(type: string): boolean {
  return getMilestone(type).attests === 'absence'
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const member of Object.values(value)) deepFreeze(member)
  }
  return value
}

/** The milestone catalogue, in procedure order. Read-only. */
export const milestoneCatalogue: readonly MilestoneCatalogueEntry[] = deepFreeze(
  checkMilestoneDefinitions(milestoneDefinitions).map((definition) => structuredClone(definition)),
) as readonly MilestoneCatalogueEntry[]

const entriesByType = new Map<string, MilestoneCatalogueEntry>(
  milestoneCatalogue.map((entry) => [entry.type, entry]),
)
const subjectSchemas = new Map<string, JsonSchema>()
const credentialSchemas = new Map<string, JsonSchema>()

/**
 * Whether a value names a milestone type of the catalogue.
 * @param value - any value
 */
export function isMilestoneType(value: unknown): value is MilestoneType {
  return typeof value === 'string' && entriesByType.has(value)
}

/**
 * Looks up a catalogue entry.
 * @param type - credential type, e.g. `"DublinRequestMilestone"`
 * @returns the entry
 * @throws {UnknownMilestoneType} when the catalogue has no such type
 * @example getMilestone('DublinReplyMilestone').issuableBy // ['FOREIGN_DUBLIN_UNIT', 'BAMF_DUBLIN_UNIT']
 */
export function getMilestone(type: string): MilestoneCatalogueEntry {
  const entry = entriesByType.get(type)
  if (entry === undefined) throw new UnknownMilestoneType(String(type))
  return entry
}

/**
 * The milestone types a role may issue (what its TIR accreditation lists).
 * @param role - an authority role
 * @returns the entries, in catalogue order
 * @throws {UnknownAuthorityRole} when the role is not defined
 */
export function milestonesIssuableBy(role: string): readonly MilestoneCatalogueEntry[] {
  if (!isAuthorityRole(role)) throw new UnknownAuthorityRole(String(role))
  return milestoneCatalogue.filter((entry) => (entry.issuableBy as readonly string[]).includes(role))
}

/**
 * Whether a role may issue a milestone type.
 * @throws {UnknownMilestoneType} | {UnknownAuthorityRole} for unknown arguments
 */
export function mayIssueMilestone(role: string, type: string): boolean {
  const entry = getMilestone(type)
  if (!isAuthorityRole(role)) throw new UnknownAuthorityRole(String(role))
  return (entry.issuableBy as readonly AuthorityRole[]).includes(role)
}

/**
 * Asserts that a role may issue a milestone type.
 * @throws {MilestoneNotAccredited} when it may not
 */
export function assertMayIssueMilestone(role: string, type: string): void {
  if (!mayIssueMilestone(role, type)) throw new MilestoneNotAccredited(role, type)
}

/** Every role with the types it may issue (the accreditation table of the trust bootstrap). */
export function milestoneTypesByRole(): Readonly<Record<AuthorityRole, readonly MilestoneType[]>> {
  const table = {} as Record<AuthorityRole, MilestoneType[]>
  for (const role of authorityRoles) table[role] = milestonesIssuableBy(role).map((entry) => entry.type)
  return table
}

/**
 * JSON Schema 2020-12 of a milestone's credentialSubject (closed; minimal data only).
 * @param type - milestone type
 * @throws {UnknownMilestoneType}
 */
export function subjectSchemaFor(type: string): JsonSchema {
  const entry = getMilestone(type)
  let schema = subjectSchemas.get(entry.type)
  if (schema === undefined) {
    schema = deepFreeze(buildSubjectSchema(entry))
    subjectSchemas.set(entry.type, schema)
  }
  return schema
}

/**
 * The full credential schema of a milestone: the document to register on the Trusted Schemas
 * Registry, validating the JWT's `vc` object (self-contained, no `$id`).
 * @param type - milestone type
 * @throws {UnknownMilestoneType}
 */
export function credentialSchemaFor(type: string): JsonSchema {
  const entry = getMilestone(type)
  let schema = credentialSchemas.get(entry.type)
  if (schema === undefined) {
    schema = deepFreeze(buildCredentialSchema(entry))
    credentialSchemas.set(entry.type, schema)
  }
  return schema
}

/** Facts a milestone type feeds, for documentation and the verifier's report. */
export function factsFedBy(type: string): readonly DublinFactPath[] {
  return getMilestone(type).feeds.map((mapping) => mapping.fact)
}
