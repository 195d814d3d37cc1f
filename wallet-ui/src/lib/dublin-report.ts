import type { MessageKey } from './i18n/messages.ts'
import { assessmentDateKey, dublinStatusKey } from './labels.ts'

/**
 * The Dublin section of a verification report as the verifier workspace shows it: the as-of day,
 * the status (and the earlier day it rests on, if any), the deadlines, and every fact with where it
 * comes from — a credential, an absence attested up to a day, the case's complete chain, or a
 * declaration of the verifier (docs/DUBLIN-ABSENCE.md §3–4). Pure: it reads the report as data.
 */

export type FactSourceKind = 'credential' | 'absence' | 'chain' | 'declared' | 'other'

export interface DublinFactRow {
  fact: string
  /** What to show for the value: a message key with parameters, or the value as text. */
  value: { key: MessageKey; params: Record<string, string> } | { text: string }
  source: { kind: FactSourceKind; key: MessageKey; params: Record<string, string> } | null
}

export interface DublinSection {
  asOf: string | null
  status: string | null
  statusKey: MessageKey | null
  statusAsOf: string | null
  responsibleState: string | null
  ruleSet: string | null
  missingFacts: string[]
  deadlines: { field: string; key: MessageKey; date: string }[]
  facts: DublinFactRow[]
}

/** The deadlines and key days shown, in the order of the procedure (labels: `assessmentDateKey`). */
const deadlineFields = [
  'requestDeadline',
  'replyDeadline',
  'deemedAcceptedFrom',
  'reexaminationRequestDeadline',
  'reexaminationReplyDeadline',
  'transferDecisionDeadline',
  'transferPeriodStart',
  'detentionTransferDeadline',
  'transferDeadline',
  'requestingStateResponsibleFrom',
] as const

/** A fact of the report as the verifier states it. */
interface ReportFactLike {
  fact: string
  value: unknown
  source?: unknown
  credentials?: unknown
  absentThrough?: unknown
}

const DATE = /^\d{4}-\d{2}-\d{2}$/
const isDate = (value: unknown): value is string => typeof value === 'string' && DATE.test(value)
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** The first date among the named members of an object. */
const dateOf = (value: unknown, names: readonly string[]): string | undefined =>
  isRecord(value) ? (names.map((name) => value[name]).find(isDate) as string | undefined) : undefined

/**
 * Where a fact comes from. The verifier names it `credential`, `absence-attestation`,
 * `complete-chain` or `declared-by-verifier`; an absence carries the last day it is established
 * (`absentThrough`), a credential-based fact the indexes of its credentials.
 */
function sourceOf(f: ReportFactLike): DublinFactRow['source'] {
  const source = f.source
  if (source === undefined || source === null) return null
  const kindText = (typeof source === 'string' ? source : isRecord(source) ? String(source.kind ?? source.type ?? '') : '').toLowerCase()
  const day = [f.absentThrough].find(isDate) ?? dateOf(source, ['notBy', 'absentThrough', 'upTo']) ?? dateOf(f.value, ['notBy']) ?? ''
  const indexes = Array.isArray(f.credentials) ? f.credentials.filter((i): i is number => typeof i === 'number') : []
  const index = indexes.length ? indexes.map((i) => String(i + 1)).join(', ') : '?'
  if (kindText.includes('declar')) return { kind: 'declared', key: 'sourceDeclared', params: {} }
  if (kindText.includes('chain')) return { kind: 'chain', key: 'sourceChain', params: { date: day } }
  if (kindText.includes('absence')) return { kind: 'absence', key: 'sourceAbsence', params: { date: day, index } }
  if (kindText.includes('credential')) return { kind: 'credential', key: 'sourceCredential', params: { index } }
  return { kind: 'other', key: 'sourceOther', params: {} }
}

function shownValue(value: unknown): DublinFactRow['value'] {
  if (value === null) return { key: 'factNotHappened', params: {} }
  if (isRecord(value) && isDate(value.notBy) && Object.keys(value).length === 1)
    return { key: 'factNotBy', params: { date: value.notBy } }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return { text: String(value) }
  return { text: JSON.stringify(value) }
}

/** The Dublin section of a report (`undefined` when the report has no assessment). */
export function dublinSection(report: {
  asOf?: unknown
  dublin?: unknown
  facts?: readonly ReportFactLike[]
  assessment?: Record<string, unknown> | null
}): DublinSection | undefined {
  const a = report.assessment
  if (!a) return undefined
  const dublin = isRecord(report.dublin) ? report.dublin : {}
  const asOf = [report.asOf, dublin.asOf, a.asOf].find(isDate) ?? null
  const status = typeof dublin.status === 'string' ? dublin.status : typeof a.status === 'string' ? a.status : null
  const statusAsOf = [dublin.statusAsOf, a.statusAsOf].find(isDate) ?? null
  const facts = report.facts ?? []
  return {
    asOf,
    status,
    statusKey: status ? (dublinStatusKey[status] ?? null) : null,
    statusAsOf,
    responsibleState: typeof a.responsibleState === 'string' ? a.responsibleState : null,
    ruleSet: typeof a.ruleSet === 'string' ? a.ruleSet : null,
    missingFacts: Array.isArray(a.missingFacts) ? a.missingFacts.map(String) : [],
    deadlines: deadlineFields.flatMap((field) => (isDate(a[field]) ? [{ field, key: assessmentDateKey[field]!, date: a[field] as string }] : [])),
    facts: facts.map((f) => ({ fact: f.fact, value: shownValue(f.value), source: sourceOf(f) })),
  }
}
