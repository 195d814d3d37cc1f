import { createHmac } from 'node:crypto'
import { type Random, seededRandom } from './random.ts'
import type { AuthorityRef, Scenario, ScenarioExpectation, ScenarioFault } from './scenarios/schema.ts'
import { type SyntheticPerson, syntheticPerson } from './synthetic-people.ts'

/**
 * The case generator: N cases from the committed scenarios, deterministic by seed. It varies the
 * person (synthetic identity), the BAMF branch office, the wallet's OpenID4VCI profile and the
 * holder key — never the dates. Scenario dates stay literal so that every expectation stays the
 * literal, hand-derived date of the scenario file: shifting dates would move deadlines across
 * weekends, holidays (AMMR Art. 75(d)) and month ends, so a shifted expectation could only be
 * recomputed by the rule engine under test. Nothing here imports the Dublin assessment.
 */

/** The branch offices cases are spread across (issuer tenant ids of the pilot deployment). */
export const defaultBranchOffices = ['bamf-dresden', 'bamf-chemnitz', 'bamf-leipzig'] as const

/** Issuer tenant ids of the fixed authorities (the pilot trust chain; the bootstrap creates them). */
export const tenantOfRef: Record<Exclude<AuthorityRef, 'branch-office'>, string> = {
  'bamf-dublin-unit': 'bamf-dublin-unit',
  lds: 'landesdirektion-sachsen',
  zab: 'zab-sachsen',
  'federal-police': 'bundespolizei',
  'fr-dublin-unit': 'fr-dublin-unit',
  'unaccredited-authority': 'pilot-unaccredited-authority',
}

export type WalletProfile = 'ebsi-v3' | 'v1'

export interface PlannedEvent {
  index: number
  label?: string
  type: string
  /** Issuer tenant id. */
  authority: string
  date: string
  claims: Record<string, unknown>
}

export interface PlannedCase {
  /** Pilot-local label, e.g. `case-007` (never sent anywhere). */
  label: string
  index: number
  scenarioId: string
  /** The case's BAMF branch office (tenant id). */
  office: string
  /** Tenant that opens the case and grants the others. */
  openedBy: string
  /** The synthetic person record the issuer side holds (test data). */
  person: SyntheticPerson
  /** 32 bytes (hex) from which the case wallet's P-256 key is derived. */
  holderKeySeed: string
  profile: WalletProfile
  events: PlannedEvent[]
  fault: ScenarioFault | undefined
  expected: ScenarioExpectation
  /** The verification's as-of day (sent to the verifier); absent: the day the verifier runs. */
  asOf?: string
  /** Facts the verifying officer declares (sent to the verifier with the request). */
  declaredFacts?: { fact: string; value: unknown }[]
}

export interface GenerateOptions {
  cases: number
  seed: number
  scenarios: readonly Scenario[]
  /** Offices to spread cases across (default Dresden, Chemnitz, Leipzig; --add-authority appends). */
  offices?: readonly string[]
}

/** A seeded permutation (Fisher–Yates). */
function shuffled<T>(items: readonly T[], random: Random): T[] {
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = random.int(0, i)
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}

/** The Eurodac reference of the scenario's record: country code, category digit, the person's digits. */
export function eurodacReferenceFor(person: SyntheticPerson, eurodac: Scenario['eurodac']): string {
  return `${eurodac.state}${eurodac.category}${person.eurodacReference.slice(3)}`
}

/**
 * Generates the cases. Every block of S consecutive cases (S = number of scenarios) holds each
 * scenario once, in a seeded order, so N ≥ S covers all of them.
 */
export function generateCases(options: GenerateOptions): PlannedCase[] {
  const { scenarios } = options
  if (!Number.isInteger(options.cases) || options.cases < 1) throw new RangeError('cases must be a positive integer')
  if (scenarios.length === 0) throw new RangeError('no scenarios')
  const offices = options.offices?.length ? options.offices : defaultBranchOffices
  const random = seededRandom(options.seed)
  const width = String(options.cases).length
  const cases: PlannedCase[] = []
  let order: Scenario[] = []
  for (let index = 0; index < options.cases; index++) {
    if (index % scenarios.length === 0) order = shuffled(scenarios, random)
    const scenario = order[index % scenarios.length]!
    const office = random.pick(offices)
    const profile: WalletProfile = random.next() < 0.5 ? 'ebsi-v3' : 'v1'
    const generated = syntheticPerson(random)
    const person = { ...generated, eurodacReference: eurodacReferenceFor(generated, scenario.eurodac) }
    const resolve = (ref: AuthorityRef) => (ref === 'branch-office' ? office : tenantOfRef[ref])
    cases.push({
      label: `case-${String(index + 1).padStart(width, '0')}`,
      index,
      scenarioId: scenario.id,
      office,
      openedBy: resolve(scenario.openedBy),
      person,
      holderKeySeed: createHmac('sha256', `flora-pilot-holder-key:${options.seed}`).update(String(index)).digest('hex'),
      profile,
      events: scenario.events.map((event, e) => ({
        index: e,
        ...(event.id ? { label: event.id } : {}),
        type: event.type,
        authority: resolve(event.by),
        date: event.date,
        claims: structuredClone(event.claims),
      })),
      fault: scenario.fault ? structuredClone(scenario.fault) : undefined,
      expected: structuredClone(scenario.expected),
      ...(scenario.asOf ? { asOf: scenario.asOf } : {}),
      ...(scenario.declaredFacts ? { declaredFacts: structuredClone(scenario.declaredFacts) } : {}),
    })
  }
  return cases
}
