/**
 * Assembly of the Dublin engine's facts from verified milestone credentials, absence attestations,
 * complete chains and facts the verifier declares (docs/DUBLIN-ABSENCE.md §3). Pure: the verifier
 * passes what it has verified, gets the facts, where each came from, and the conflicts.
 */

import { checkAbsenceAsOf, isCalendarDate } from './absence.ts'
import { getMilestone, isAbsenceMilestone, isMilestoneType, milestoneCatalogue } from './catalogue.ts'
import { milestoneFactAssignments } from './fact-mapping.ts'
import { pointerTokens } from './json-pointer.ts'
import { absenceFactPaths } from './types.ts'

/**
 * The event facts of the engine (contract §1) as JSON pointers of their roots, each with the member
 * that holds the day the event happened (`''`: the fact's value is that day; for `/appeal` the day
 * suspensive effect began, see `eventAfter`). An event fact can be
 * absent, `null`, `{ notBy }` or the event; every other fact is a plain value.
 */
export const eventFactRoots = {
  '/eurodacHit': 'received',
  '/reply': 'received',
  '/reexamination': 'requestSent',
  '/reexamination/reply': 'received',
  '/transferDecisionServed': '',
  '/appeal': 'suspensiveEffectOrdered',
  '/authoritySuspension': 'from',
  '/absconded': 'from',
  '/imprisoned': 'from',
  '/extensionNotified': 'date',
  '/transferExecuted': '',
} as const

/** A credential whose facts are assembled: verified, current, with its issuance day. */
export interface FactSourceCredential {
  /** Position of the credential in the presentation (reported back in provenance and conflicts). */
  readonly index: number
  readonly type: string
  /** The credentialSubject. */
  readonly claims: unknown
  /** Issuance day, YYYY-MM-DD. */
  readonly issuedOn: string
}

/** An absence that follows from a complete chain (see {@link completeChainAbsences}). */
export interface ChainAbsence {
  /** Pointer of the event fact's root, e.g. `/reply`. */
  readonly fact: string
  /** The event did not happen up to and including this day. */
  readonly notBy: string
  /** Why (state, recording delay, head issuance day), for the report. */
  readonly basis: string
}

/** A fact the verifying state declares about its own acts (contract §3(c)). */
export interface DeclaredFact {
  /** Pointer of the fact's root, e.g. `/reply`. */
  readonly fact: string
  /** The event, `null`, or `{ notBy }`. */
  readonly value: unknown
}

/** Where one fact of the assembled facts comes from. */
export interface FactProvenance {
  /** Pointer of the fact's root, e.g. `/reply`, `/requestReceived`. */
  readonly fact: string
  readonly value: unknown
  readonly source: 'credential' | 'absence-attestation' | 'complete-chain' | 'declared-by-verifier'
  /**
   * Credentials the value rests on. For an event that an absence attestation also covers
   * (consistently: the event came later), both the event's and the attestation's credentials.
   */
  readonly credentials: number[]
  /**
   * For an absence: the day it is established up to (as attested, declared or derived; it may lie
   * after `asOf`, when the value is `null`). For an event: the day an attestation showed it had
   * not yet happened.
   */
  readonly absentThrough?: string
  /** For a complete-chain absence: why it holds. */
  readonly basis?: string
}

/** Two sources that cannot both be right; the fact is left out of the facts (unknown). */
export interface FactConflict {
  /** The most specific pointer in dispute (a member for differing values, else the fact's root). */
  readonly fact: string
  readonly credentials: number[]
  readonly reason:
    | 'values-differ'
    | 'event-within-absence'
    | 'declared-contradicts-credential'
    | 'absence-after-issuance'
    /**
     * Not a dispute that leaves the fact unknown: the verifier's declaration about its own act was
     * used instead of another state's absence attestation (contract §3(c)); reported so it shows.
     */
    | 'declared-overrides-attestation'
  /** A declared fact takes part in the conflict. */
  readonly declared?: true
}

/** Input of {@link assembleDublinFacts}. */
export interface DublinFactAssemblyInput {
  /** The assessment day, YYYY-MM-DD. */
  readonly asOf: string
  readonly sources: readonly FactSourceCredential[]
  readonly chainAbsences?: readonly ChainAbsence[]
  readonly declared?: readonly DeclaredFact[]
}

/** Output of {@link assembleDublinFacts}. */
export interface DublinFactAssembly {
  /** Input for `assessDublinCase`, including `asOf`. */
  readonly facts: Record<string, unknown>
  /** One entry per fact root in `facts` (besides `asOf`), in pointer order. */
  readonly provenance: FactProvenance[]
  readonly conflicts: FactConflict[]
}

type EventRoot = keyof typeof eventFactRoots

function isEventRoot(pointer: string): pointer is EventRoot {
  return Object.hasOwn(eventFactRoots, pointer)
}

/** The root a fact pointer belongs to: the deepest event root that contains it, else its first token. */
function rootOf(pointer: string): string {
  if (pointer === '/reexamination/reply' || pointer.startsWith('/reexamination/reply/'))
    return '/reexamination/reply'
  return `/${pointerTokens(pointer)[0]}`
}

/**
 * Tokens that would reach an object's prototype machinery instead of a plain member: a pointer through
 * them could set the prototype of the facts (which the engine's schema reads through) or shadow
 * built-ins. No fact of the engine is named so; they are refused wherever a pointer comes from input.
 */
const FORBIDDEN_TOKENS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype'])

/**
 * The fact roots a verifier may declare (contract §3(c)): the requested state's reply and its reply
 * to a re-examination, and for the requesting state the receipt of the request, the extension notice
 * and the transfer. Anything else (`/asOf`, `/applicationLodged`, the states, the holidays, the
 * verifier's own settings) is established by credentials or by the verification itself, never by a
 * declaration; which of these roots the verifier's role allows is the verifier's to check.
 */
export const declarableFactRoots = [
  '/reply',
  '/reexamination/reply',
  '/requestReceived',
  '/extensionNotified',
  '/transferExecuted',
] as const

/** Input the assembly refuses (a declared fact or chain absence it cannot use, a bad day). */
export class FactAssemblyInputError extends TypeError {
  override readonly name = 'FactAssemblyInputError'
  /** Where in the input, e.g. `declared[0].fact`. */
  readonly field: string
  constructor(field: string, message: string) {
    super(message)
    this.field = field
  }
}

function setPointer(target: Record<string, unknown>, pointer: string, value: unknown): void {
  const tokens = pointerTokens(pointer)
  if (tokens.length === 0 || tokens.some((token) => FORBIDDEN_TOKENS.has(token)))
    throw new FactAssemblyInputError('fact', `"${pointer}" is not the pointer of a fact`)
  let node = target
  for (const token of tokens.slice(0, -1)) {
    const next = node[token]
    if (next === null || typeof next !== 'object' || Array.isArray(next)) node[token] = {}
    node = node[token] as Record<string, unknown>
  }
  node[tokens.at(-1)!] = structuredClone(value)
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)
const union = (...lists: number[][]) => [...new Set(lists.flat())].sort((a, b) => a - b)

/** The day through which a value says the event had not happened, or undefined if it is no absence. */
function absenceThrough(value: unknown, asOf: string): string | undefined {
  if (value === null) return asOf
  if (value !== null && typeof value === 'object' && Object.keys(value).length === 1) {
    const notBy = (value as { notBy?: unknown }).notBy
    if (typeof notBy === 'string') return notBy
  }
  return undefined
}

/** An absence through `notBy` as the engine takes it: `null` once it covers `asOf`. */
function absenceValue(notBy: string, asOf: string): null | { notBy: string } {
  return notBy >= asOf ? null : { notBy }
}

/**
 * Whether an event recorded by credentials is consistent with its absence through `notBy`: it must
 * have happened after that day. An appeal without suspensive effect is no event of the absence
 * (which concerns suspensive effect only); for one with suspensive effect the day it began is the
 * court's order or, failing that, the urgent application (which suspends the transfer by law). An
 * event whose day is unknown cannot be shown to come later and so conflicts.
 */
function eventAfter(root: string, value: unknown, notBy: string): boolean {
  if (!isEventRoot(root)) return false
  const member = eventFactRoots[root]
  if (member === '') return typeof value === 'string' && value > notBy
  if (value === null || typeof value !== 'object') return false
  const record = value as Record<string, unknown>
  if (root === '/appeal') {
    if (record['suspensiveEffect'] === false) return true
    // Suspensive effect begins with the earlier of the urgent application (a timely one bars the
    // transfer by law, § 34a(2) AsylG) and the court's order, as the engine counts it.
    const starts = [record['urgentApplicationFiled'], record['suspensiveEffectOrdered']].filter(
      (day): day is string => typeof day === 'string',
    )
    if (starts.length === 0) return false
    return starts.sort()[0]! > notBy
  }
  const day = record[member]
  return typeof day === 'string' && day > notBy
}

/**
 * Assembles the facts of `assessDublinCase` from verified credentials, absence attestations,
 * complete-chain absences and declared facts (docs/DUBLIN-ABSENCE.md §3):
 * - credentials that record events or values: equal values agree; different values conflict;
 * - absence attestations: the latest `notBy` for a fact wins; one through `asOf` or later is `null`;
 *   an attestation dated after its issuance is not used and is reported (`absence-after-issuance`);
 * - an event and an absence of the same fact agree when the event came after `notBy` (the event is
 *   used, the provenance names both), and conflict otherwise;
 * - declared facts take precedence over attestations and chain absences, but conflict with a
 *   credential that records a different event or an event within the declared absence;
 * - complete-chain absences are used only where nothing else speaks about the fact.
 * A fact in conflict is left out (unknown to the engine); nothing is guessed. A dispute on one member
 * of an event makes the whole event unknown; a disputed day of receipt sets `requestReceivedDisputed`
 * so the engine does not count the reply period from `requestSent` instead. A declaration that sets
 * an attestation aside is reported (`declared-overrides-attestation`), the fact is still used.
 * @param input - as-of day, sources, chain absences, declared facts
 * @returns facts (with `asOf`), provenance per fact root, conflicts
 * @throws {FactAssemblyInputError} (a TypeError) when `asOf` or a `notBy` is not a YYYY-MM-DD day, a
 *   declared fact is not one of {@link declarableFactRoots}, a chain absence's fact is no event root, or
 *   the pointer of a fact's root
 */
export function assembleDublinFacts(input: DublinFactAssemblyInput): DublinFactAssembly {
  const { asOf } = input
  if (!isCalendarDate(asOf))
    throw new FactAssemblyInputError('asOf', `asOf "${String(asOf)}" is not a YYYY-MM-DD day`)
  const conflicts: FactConflict[] = []
  // Values recorded by credentials, per member pointer.
  const recorded = new Map<string, { value: unknown; credentials: number[] }>()
  const disputed = new Set<string>()
  // Absence attestations, per fact root.
  const attested = new Map<string, { notBy: string; index: number }[]>()
  const absencePaths = absenceFactPaths as readonly string[]

  for (const source of input.sources) {
    if (!isMilestoneType(source.type)) continue
    if (isAbsenceMilestone(source.type)) {
      const check = checkAbsenceAsOf(source.type, source.claims, source.issuedOn)
      if (!check.ok) {
        for (const mapping of getMilestone(source.type).feeds)
          if (absencePaths.includes(mapping.fact))
            conflicts.push({
              fact: rootOf(mapping.fact),
              credentials: [source.index],
              reason: 'absence-after-issuance',
            })
        continue
      }
    }
    for (const { fact, value } of milestoneFactAssignments(source.type, source.claims)) {
      if (absencePaths.includes(fact)) {
        if (typeof value !== 'string') continue
        const root = rootOf(fact)
        attested.set(root, [...(attested.get(root) ?? []), { notBy: value, index: source.index }])
        continue
      }
      const existing = recorded.get(fact)
      if (existing === undefined) recorded.set(fact, { value, credentials: [source.index] })
      else if (same(existing.value, value)) existing.credentials = union(existing.credentials, [source.index])
      else {
        const earlier = conflicts.find(
          (conflict) => conflict.fact === fact && conflict.reason === 'values-differ',
        )
        const credentials = union(existing.credentials, earlier?.credentials ?? [], [source.index])
        if (earlier) (earlier as { credentials: number[] }).credentials = credentials
        else conflicts.push({ fact, credentials, reason: 'values-differ' })
        disputed.add(fact)
      }
    }
  }

  // What credentials record, per root. A dispute on one member makes the whole root unknown: the
  // members of one event belong together (an urgent application of one appeal and the court order
  // of another would make an appeal that never existed).
  const disputedRoots = new Set([...disputed].map(rootOf))
  const recordedRoots = new Map<string, { value: unknown; credentials: number[] }>()
  for (const [pointer, { value, credentials }] of recorded) {
    const root = rootOf(pointer)
    const entry = recordedRoots.get(root) ?? { value: undefined, credentials: [] }
    entry.credentials = union(entry.credentials, credentials)
    if (!disputedRoots.has(root)) {
      if (pointer === root) entry.value = structuredClone(value)
      else {
        const holder = (entry.value ?? {}) as Record<string, unknown>
        setPointer(holder, pointer.slice(root.length), value)
        entry.value = holder
      }
    }
    recordedRoots.set(root, entry)
  }

  const declaredRoots = new Map<string, unknown>()
  for (const [i, { fact, value }] of (input.declared ?? []).entries()) {
    if (typeof fact !== 'string' || !(declarableFactRoots as readonly string[]).includes(fact))
      throw new FactAssemblyInputError(
        `declared[${i}].fact`,
        `declared fact ${JSON.stringify(fact) ?? String(fact)} is not one a verifier may declare (${declarableFactRoots.join(', ')})`,
      )
    const through = absenceThrough(value, asOf)
    if (through !== undefined && !isCalendarDate(through))
      throw new FactAssemblyInputError(
        `declared[${i}].value`,
        `declared fact "${fact}": notBy "${through}" is not a YYYY-MM-DD day`,
      )
    if (through !== undefined && through > asOf)
      throw new FactAssemblyInputError(
        `declared[${i}].value`,
        `declared fact "${fact}": notBy ${through} lies after asOf ${asOf}`,
      )
    if (declaredRoots.has(fact) && !same(declaredRoots.get(fact), value)) {
      conflicts.push({ fact, credentials: [], reason: 'values-differ', declared: true })
      disputed.add(fact)
    }
    declaredRoots.set(fact, value)
  }

  const chainRoots = new Map<string, ChainAbsence>()
  for (const [i, absence] of (input.chainAbsences ?? []).entries()) {
    if (typeof absence.fact !== 'string' || !isEventRoot(absence.fact))
      throw new FactAssemblyInputError(
        `chainAbsences[${i}].fact`,
        `chain absence of ${JSON.stringify(absence.fact) ?? String(absence.fact)}: not an event fact's root`,
      )
    if (!isCalendarDate(absence.notBy))
      throw new FactAssemblyInputError(
        `chainAbsences[${i}].notBy`,
        `chain absence of "${absence.fact}": notBy "${absence.notBy}" is not a YYYY-MM-DD day`,
      )
    const earlier = chainRoots.get(absence.fact)
    if (earlier === undefined || absence.notBy > earlier.notBy) chainRoots.set(absence.fact, absence)
  }

  const roots = [
    ...new Set([...recordedRoots.keys(), ...attested.keys(), ...declaredRoots.keys(), ...chainRoots.keys()]),
  ].sort()
  const facts: Record<string, unknown> = { asOf }
  const provenance: FactProvenance[] = []

  for (const root of roots) {
    const record = recordedRoots.get(root)
    const attestations = attested.get(root) ?? []
    const latest = attestations.reduce<string | undefined>(
      (day, { notBy }) => (day === undefined || notBy > day ? notBy : day),
      undefined,
    )
    const attestedBy = attestations.filter(({ notBy }) => notBy === latest).map(({ index }) => index)
    const hasDeclared = declaredRoots.has(root) && !disputed.has(root)
    const declared = declaredRoots.get(root)

    // Every member the credentials gave is disputed: the fact stays unknown.
    if (record !== undefined && record.value === undefined) continue
    if (record !== undefined) {
      // Credentials record the event (or value): attestations and declarations can only agree.
      if (latest !== undefined && !eventAfter(root, record.value, latest)) {
        conflicts.push({
          fact: root,
          credentials: union(
            record.credentials,
            attestations.map(({ index }) => index),
          ),
          reason: 'event-within-absence',
        })
        continue
      }
      if (hasDeclared) {
        const declaredThrough = absenceThrough(declared, asOf)
        const agrees =
          declaredThrough === undefined
            ? same(declared, record.value)
            : eventAfter(root, record.value, declaredThrough)
        if (!agrees) {
          conflicts.push({
            fact: root,
            credentials: record.credentials,
            reason: 'declared-contradicts-credential',
            declared: true,
          })
          continue
        }
      }
      // An appeal without suspensive effect excludes one only on the days it records; the attestation
      // beside it carries the exclusion up to its as-of day (never beyond asOf).
      if (
        root === '/appeal' &&
        latest !== undefined &&
        (record.value as Record<string, unknown>)['suspensiveEffect'] === false
      )
        record.value = {
          ...(record.value as Record<string, unknown>),
          noSuspensiveEffectThrough: [latest, asOf].sort()[0]!,
        }
      setPointer(facts, root, record.value)
      provenance.push({
        fact: root,
        value: structuredClone(record.value),
        source: 'credential',
        credentials: union(
          record.credentials,
          attestations.map(({ index }) => index),
        ),
        ...(latest !== undefined ? { absentThrough: latest } : {}),
      })
    } else if (hasDeclared) {
      const through = absenceThrough(declared, asOf)
      const value = through === undefined ? declared : absenceValue(through, asOf)
      // The declaration is the better evidence of the verifier's own acts, but an attestation it
      // sets aside is reported and stays in the provenance, so the officer sees what was overridden.
      if (latest !== undefined)
        conflicts.push({
          fact: root,
          credentials: attestations.map(({ index }) => index).sort((a, b) => a - b),
          reason: 'declared-overrides-attestation',
          declared: true,
        })
      setPointer(facts, root, value)
      provenance.push({
        fact: root,
        value: structuredClone(value),
        source: 'declared-by-verifier',
        credentials: latest !== undefined ? attestations.map(({ index }) => index).sort((a, b) => a - b) : [],
        ...(through !== undefined ? { absentThrough: through } : {}),
      })
    } else if (latest !== undefined) {
      const value = absenceValue(latest, asOf)
      setPointer(facts, root, value)
      provenance.push({
        fact: root,
        value,
        source: 'absence-attestation',
        credentials: attestedBy,
        absentThrough: latest,
      })
    } else if (!disputed.has(root)) {
      const chain = chainRoots.get(root)
      if (chain === undefined) continue
      const value = absenceValue(chain.notBy, asOf)
      setPointer(facts, root, value)
      provenance.push({
        fact: root,
        value,
        source: 'complete-chain',
        credentials: [],
        absentThrough: chain.notBy,
        basis: chain.basis,
      })
    }
  }
  // The engine counts the reply period from requestSent when requestReceived is absent; a receipt
  // day in dispute must not fall back to it (the earlier day would bring a deemed acceptance forward).
  if (disputedRoots.has('/requestReceived') && !Object.hasOwn(facts, 'requestReceived'))
    facts['requestReceivedDisputed'] = true
  return settleNested(facts, provenance, conflicts, asOf)
}

/** The event root that contains another (the re-examination contains its reply). */
const outerRoots: Readonly<Record<string, string>> = { '/reexamination/reply': '/reexamination' }

/**
 * A fact nested in another cannot have happened when the outer one did not (no reply to a
 * re-examination that was never requested). An absent outer fact therefore implies the inner one's
 * absence, and contradicts an inner event; a chain absence of the outer fact yields to anything
 * that speaks about the inner one.
 */
function settleNested(
  facts: Record<string, unknown>,
  provenance: FactProvenance[],
  conflicts: FactConflict[],
  asOf: string,
): DublinFactAssembly {
  let entries = provenance
  const isAbsence = (entry: FactProvenance) => absenceThrough(entry.value, asOf) !== undefined
  for (const [inner, outer] of Object.entries(outerRoots)) {
    const innerEntry = entries.find((entry) => entry.fact === inner)
    const outerEntry = entries.find((entry) => entry.fact === outer)
    if (innerEntry === undefined || outerEntry === undefined || !isAbsence(outerEntry)) continue
    if (outerEntry.source === 'complete-chain' && innerEntry.source !== 'complete-chain') {
      entries = entries.filter((entry) => entry !== outerEntry)
      delete facts[pointerTokens(outer)[0]!]
      setPointer(facts, inner, innerEntry.value)
    } else if (isAbsence(innerEntry)) {
      entries = entries.filter((entry) => entry !== innerEntry)
      setPointer(facts, outer, outerEntry.value)
    } else {
      const declared = outerEntry.source === 'declared-by-verifier'
      conflicts.push({
        fact: outer,
        credentials: union(innerEntry.credentials, outerEntry.credentials),
        reason: declared ? 'declared-contradicts-credential' : 'event-within-absence',
        ...(declared ? { declared: true as const } : {}),
      })
      entries = entries.filter((entry) => entry !== innerEntry && entry !== outerEntry)
      delete facts[pointerTokens(outer)[0]!]
    }
  }
  return { facts, provenance: entries, conflicts }
}

/** Input of {@link completeChainAbsences}. */
export interface CompleteChainInput {
  /** The presented chain, from the case's first credential to its head. */
  readonly chain: readonly {
    readonly type: string
    readonly issuedOn: string
    readonly issuerState: string
  }[]
  /** The verifier checked that each credential names its predecessor's hash, back to the first. */
  readonly chainUnbroken: boolean
  readonly requestingState?: string
  /** The deployment's `completeChainJurisdictions`. */
  readonly policy: readonly { readonly state: string; readonly recordingDelayDays: number }[]
}

/** A recording delay of more than ten years is no commitment to record events in the chain. */
const MAX_RECORDING_DELAY_DAYS = 3660

function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`)
  date.setUTCDate(date.getUTCDate() + days)
  return date.toISOString().slice(0, 10)
}

/**
 * The event facts that the catalogue's event records can establish (roots of what types that record
 * events feed, limited to the engine's event facts). A complete chain speaks about exactly these: an
 * event the chain's authorities would have recorded with one of these types.
 */
const recordableEventRoots: readonly string[] = [
  ...new Set(
    milestoneCatalogue
      .filter((entry) => entry.attests !== 'absence')
      .flatMap((entry) => entry.feeds.map((mapping) => rootOf(mapping.fact)))
      .filter((root) => isEventRoot(root)),
  ),
].sort()

/**
 * Absences that follow from a complete chain (docs/DUBLIN-ABSENCE.md §3(b)). When every credential
 * of an unbroken chain was issued by authorities of the requesting state, and the trust policy says
 * that state's authorities record every event of a case in its chain within N days, an event those
 * authorities would record and the chain lacks did not happen up to head issuance day − N − 1.
 *
 * Why the delay: authorities record an event some days after it happens. Without the margin, a chain
 * issued the day after a reply arrived, but before the reply was recorded, would prove that no reply
 * came, and a state could make a request look accepted by presenting the chain quickly (or by
 * withholding the record). Only days that lie more than N days before the head are covered.
 * @returns one absence per event fact the chain does not feed; none when the conditions fail or the
 *   covered period would end before the chain's first credential
 * @throws {FactAssemblyInputError} (a TypeError) when an issuance day is not a YYYY-MM-DD day or a
 *   delay is not a whole number of days from 0 to 3660
 */
export function completeChainAbsences(input: CompleteChainInput): ChainAbsence[] {
  const { chain, requestingState } = input
  for (const link of chain)
    if (!isCalendarDate(link.issuedOn))
      throw new FactAssemblyInputError(
        'chain.issuedOn',`issuedOn "${String(link.issuedOn)}" is not a YYYY-MM-DD day`)
  if (!input.chainUnbroken || chain.length === 0 || requestingState === undefined) return []
  const rule = input.policy.find((entry) => entry.state === requestingState)
  if (rule === undefined) return []
  if (
    !Number.isInteger(rule.recordingDelayDays) ||
    rule.recordingDelayDays < 0 ||
    rule.recordingDelayDays > MAX_RECORDING_DELAY_DAYS
  )
    throw new FactAssemblyInputError(
      'policy.recordingDelayDays',
      `recordingDelayDays of ${rule.state} must be a whole number of days from 0 to ${MAX_RECORDING_DELAY_DAYS}`,
    )
  if (!chain.every((link) => link.issuerState === requestingState)) return []
  // A type this verifier does not know may record any event: the chain then says nothing about
  // which events are missing from it.
  if (!chain.every((link) => isMilestoneType(link.type))) return []
  // The covered period runs from the earliest issuance to the latest, whatever order the array has.
  const days = chain.map((link) => link.issuedOn).sort()
  const first = days[0]!
  const head = days.at(-1)!
  const notBy = addDays(head, -rule.recordingDelayDays - 1)
  if (notBy < first) return []
  const fed = new Set<string>()
  for (const link of chain) {
    if (!isMilestoneType(link.type)) continue
    for (const mapping of getMilestone(link.type).feeds) {
      const root = rootOf(mapping.fact)
      fed.add(root)
      // A re-examination reply (or its absence) shows that the re-examination was requested.
      if (outerRoots[root] !== undefined) fed.add(outerRoots[root])
    }
  }
  const basis = `complete chain of ${requestingState}: events recorded within ${rule.recordingDelayDays} day(s), head issued ${head}`
  const absent = recordableEventRoots.filter((root) => !fed.has(root))
  // No re-examination means no reply to one: the outer absence says it all.
  return absent
    .filter((root) => outerRoots[root] === undefined || !absent.includes(outerRoots[root]))
    .map((fact) => ({ fact, notBy, basis }))
}
