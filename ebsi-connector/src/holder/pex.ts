/**
 * A small Presentation Exchange (DIF PEX v2) evaluator for the subset EBSI's conformance profile
 * and the Dublin evidence request use: input descriptors whose fields have JSONPath `path` lists
 * (`$.vc.type`, `$.vc.credentialSubject.x`, `$['vc']['type']`) and JSON-Schema `filter`s (type,
 * const, enum, pattern, contains, minItems); submissions in EBSI's shape (`path: "$"`,
 * `path_nested: { path: "$.verifiableCredential[i]" }`). Used by the holder (matching) and the
 * verifier (checking a submission). Pure; no Node-only APIs.
 *
 * A `pattern` comes from whoever wrote the definition — for the holder, the requesting verifier —
 * so it runs in RE2's linear-time engine (re2js, pure JavaScript), not in the backtracking engine of
 * RegExp, where a pattern like `^(.*)*!$` takes exponential time and stops the event loop.
 */

import { RE2JS } from 're2js'

export interface PexField {
  path: string[]
  filter?: Record<string, unknown>
  optional?: boolean
}

export interface InputDescriptor {
  id: string
  name?: string
  purpose?: string
  format?: Record<string, unknown>
  constraints?: { fields?: PexField[]; limit_disclosure?: string }
  /**
   * FLORA extension: "all" submits every matching credential (the Dublin milestones of a case),
   * "one" (default) a single one.
   */
  'x-flora-cardinality'?: 'one' | 'all'
}

export interface PresentationDefinition {
  id: string
  name?: string
  purpose?: string
  format?: Record<string, unknown>
  input_descriptors: InputDescriptor[]
}

export interface DescriptorMapEntry {
  id: string
  format: string
  path: string
  path_nested?: { id: string; format: string; path: string }
}

export interface PresentationSubmission {
  id: string
  definition_id: string
  descriptor_map: DescriptorMapEntry[]
}

/** Reads a JSONPath of the supported subset; undefined when the path does not resolve. */
export function readJsonPath(value: unknown, path: string): unknown {
  if (path === '$') return value
  if (!path.startsWith('$')) return undefined
  const tokens: string[] = []
  const re = /\.([A-Za-z_@$][\w@$-]*)|\['([^']*)'\]|\["([^"]*)"\]|\[(\d+)\]/gy
  re.lastIndex = 1
  while (re.lastIndex < path.length) {
    const m = re.exec(path)
    if (!m) return undefined
    tokens.push(m[1] ?? m[2] ?? m[3] ?? m[4]!)
  }
  let current = value
  for (const token of tokens) {
    if (current === null || typeof current !== 'object') return undefined
    current = (current as Record<string, unknown>)[token]
  }
  return current
}

/** Checks a value against the supported JSON-Schema subset of a PEX filter. */
export function matchesFilter(value: unknown, filter: Record<string, unknown> | undefined): boolean {
  if (!filter) return value !== undefined
  if (value === undefined) return false
  const type = filter.type
  if (type !== undefined) {
    const actual = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value
    const ok = type === actual || (type === 'integer' && Number.isInteger(value))
    if (!ok) return false
  }
  if ('const' in filter && JSON.stringify(value) !== JSON.stringify(filter.const)) return false
  if (Array.isArray(filter.enum) && !filter.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) return false
  if (typeof filter.pattern === 'string') {
    if (typeof value !== 'string' || !matchesPattern(filter.pattern, value)) return false
  }
  if (filter.contains !== undefined) {
    if (!Array.isArray(value) || !value.some((item) => matchesFilter(item, filter.contains as Record<string, unknown>)))
      return false
  }
  if (typeof filter.minItems === 'number' && (!Array.isArray(value) || value.length < filter.minItems)) return false
  return true
}

/** Longest pattern evaluated; a longer one matches nothing (its compiled form grows with its length). */
export const MAX_PATTERN_LENGTH = 1000
const compiled = new Map<string, RE2JS | null>()

/**
 * JSON Schema `pattern` semantics (a match anywhere, unless anchored) in linear time. A pattern RE2
 * cannot express (backreferences, lookaround) or longer than {@link MAX_PATTERN_LENGTH} matches
 * nothing: a filter the holder cannot evaluate safely is not satisfied.
 */
function matchesPattern(pattern: string, value: string): boolean {
  let regex = compiled.get(pattern)
  if (regex === undefined) {
    try {
      regex = pattern.length > MAX_PATTERN_LENGTH ? null : RE2JS.compile(pattern)
    } catch {
      regex = null
    }
    if (compiled.size >= 256) compiled.clear()
    compiled.set(pattern, regex)
  }
  return regex?.matcher(value).find() ?? false
}

/** Whether a decoded credential (JWT payload) satisfies an input descriptor's constraints. */
export function satisfiesDescriptor(payload: unknown, descriptor: InputDescriptor): boolean {
  for (const field of descriptor.constraints?.fields ?? []) {
    if (field.optional) continue
    if (!field.path.some((path) => matchesFilter(readJsonPath(payload, path), field.filter))) return false
  }
  return true
}

/** Decodes a JWT payload without verifying it (matching only). */
export function decodeJwtPayload(jwt: string): Record<string, unknown> | undefined {
  try {
    const part = jwt.split('.')[1]
    if (!part) return undefined
    const text = new TextDecoder().decode(base64urlToBytes(part))
    const value = JSON.parse(text) as unknown
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

function base64urlToBytes(text: string): Uint8Array {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4)
  const binary = atob(b64)
  return Uint8Array.from(binary, (c) => c.charCodeAt(0))
}

/** Which held credentials answer which descriptor. */
export interface DefinitionMatch {
  satisfied: boolean
  /** descriptor id → indexes into the credential list (in submission order). */
  selected: { descriptorId: string; indexes: number[] }[]
  missing: string[]
}

/**
 * Matches held credentials (JWTs) to a presentation definition: each descriptor takes one
 * matching credential not yet used by another descriptor when there is one (or every match, for
 * `x-flora-cardinality: "all"`).
 */
export function matchPresentationDefinition(definition: PresentationDefinition, credentials: readonly string[]): DefinitionMatch {
  const payloads = credentials.map(decodeJwtPayload)
  const used = new Set<number>()
  const selected: DefinitionMatch['selected'] = []
  const missing: string[] = []
  for (const descriptor of definition.input_descriptors ?? []) {
    const matching = payloads.flatMap((p, i) => (p && satisfiesDescriptor(p, descriptor) ? [i] : []))
    if (matching.length === 0) {
      missing.push(descriptor.id)
      continue
    }
    const indexes =
      descriptor['x-flora-cardinality'] === 'all' ? matching : [matching.find((i) => !used.has(i)) ?? matching[0]!]
    for (const i of indexes) used.add(i)
    selected.push({ descriptorId: descriptor.id, indexes })
  }
  return { satisfied: missing.length === 0, selected, missing }
}

/**
 * The presentation_submission for a VP whose `verifiableCredential` lists `order` (credential
 * indexes as selected), in EBSI's nested shape.
 */
export function buildPresentationSubmission(
  definition: PresentationDefinition,
  match: DefinitionMatch,
  order: readonly number[],
): PresentationSubmission {
  const descriptor_map: DescriptorMapEntry[] = []
  for (const { descriptorId, indexes } of match.selected)
    for (const index of indexes)
      descriptor_map.push({
        id: descriptorId,
        format: 'jwt_vp',
        path: '$',
        path_nested: { id: descriptorId, format: 'jwt_vc', path: `$.verifiableCredential[${order.indexOf(index)}]` },
      })
  return { id: globalThis.crypto.randomUUID(), definition_id: definition.id, descriptor_map }
}

/**
 * Verifier side: every descriptor is answered by a credential of the VP that satisfies it.
 * @returns the problems found (empty when the submission fulfils the definition)
 */
export function checkPresentationSubmission(
  definition: PresentationDefinition,
  submission: unknown,
  vpPayload: Record<string, unknown>,
): string[] {
  const s = submission as PresentationSubmission | undefined
  if (!s || typeof s !== 'object' || !Array.isArray(s.descriptor_map)) return ['presentation_submission is malformed']
  if (s.definition_id !== definition.id) return ['presentation_submission answers another definition']
  const problems: string[] = []
  const vp = vpPayload.vp as Record<string, unknown> | undefined
  for (const descriptor of definition.input_descriptors) {
    const entries = s.descriptor_map.filter((e) => e && e.id === descriptor.id)
    if (entries.length === 0) {
      problems.push(`descriptor ${descriptor.id} is not answered`)
      continue
    }
    for (const entry of entries) {
      const nestedPath = entry.path_nested?.path ?? entry.path
      const target = readJsonPath(vp, nestedPath.replace(/^\$\.vp\./, '$.'))
      const payload = typeof target === 'string' ? decodeJwtPayload(target) : undefined
      if (!payload || !satisfiesDescriptor(payload, descriptor))
        problems.push(`descriptor ${descriptor.id}: ${nestedPath} does not satisfy it`)
    }
  }
  return problems
}
