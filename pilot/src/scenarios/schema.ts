import { z } from 'zod'

/**
 * The scenario file format (JSON or YAML). A scenario is a case's events and its literal expected
 * outcome. Expectations are written by hand from the law: nothing in this module, the loader or the
 * generator may import the Dublin assessment (a test scans the imports).
 */

const isoDatePattern = /^(\d{4})-(\d{2})-(\d{2})$/

/** A calendar date `YYYY-MM-DD` that exists (YAML may hand us a Date object for unquoted dates). */
export const isoDate = z.preprocess(
  (value) => (value instanceof Date ? value.toISOString().slice(0, 10) : value),
  z
    .string()
    .regex(isoDatePattern, 'must be a date YYYY-MM-DD')
    .refine((value) => {
      const [, y, m, d] = isoDatePattern.exec(value)!
      const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)))
      return date.getUTCFullYear() === Number(y) && date.getUTCMonth() === Number(m) - 1 && date.getUTCDate() === Number(d)
    }, 'is not a calendar date'),
)

/**
 * Who issues an event. `branch-office` is the case's BAMF branch office (Dresden, Chemnitz or
 * Leipzig, chosen per case by the seed); the others are fixed tenants of the pilot deployment;
 * `unaccredited-authority` is a tenant whose accreditation does not lead to the verifier's trust anchor.
 */
export const authorityRefs = [
  'branch-office',
  'bamf-dublin-unit',
  'lds',
  'zab',
  'federal-police',
  'fr-dublin-unit',
  'unaccredited-authority',
] as const
export type AuthorityRef = (typeof authorityRefs)[number]

/** The catalogue role each reference acts in (the issuer and the TIR enforce it; the loader checks it early). */
export const roleOfAuthorityRef: Record<AuthorityRef, string> = {
  'branch-office': 'BAMF_BRANCH_OFFICE',
  'bamf-dublin-unit': 'BAMF_DUBLIN_UNIT',
  lds: 'RECEPTION_AUTHORITY',
  zab: 'FOREIGNERS_AUTHORITY',
  'federal-police': 'FEDERAL_POLICE',
  'fr-dublin-unit': 'FOREIGN_DUBLIN_UNIT',
  'unaccredited-authority': 'FOREIGNERS_AUTHORITY',
}

export const pipelineSteps = [
  'jwt-header',
  'issuer-signature',
  'validity-window',
  'schema',
  'accreditation',
  'status',
  'anchoring',
  'holder-binding',
  'case-consistency',
  'subject-binding',
  'dublin',
] as const

export const dublinStatuses = [
  'AWAITING_REQUEST',
  'AWAITING_REPLY',
  'REEXAMINATION_POSSIBLE',
  'REQUEST_TIME_BARRED',
  'TRANSFER_PENDING',
  'TRANSFER_EXECUTED',
  'TRANSFER_EXECUTED_LATE',
  'TRANSFER_DEADLINE_EXPIRED',
  'REEXAMINATION_CLOSED_NO_REPLY',
  'REJECTED_FINAL',
  'INSUFFICIENT_EVIDENCE',
] as const

/** Deadline fields of the assessment a scenario may pin (issue 4, "Assessment"). */
export const deadlineFields = [
  'requestDeadline',
  'requestDeadlineFromLodging',
  'requestDeadlineFromHit',
  'requestDeadlineFromDetention',
  'replyDeadline',
  'deemedAcceptedFrom',
  'transferDecisionDeadline',
  'transferPeriodStart',
  'transferDeadline',
  'transferDeadlineFromAcceptance',
  'transferDeadlineBeforeExtension',
  'reexaminationRequestDeadline',
  'reexaminationReplyDeadline',
  'detentionTransferDeadline',
  'verifierTakeBackRequestDeadline',
] as const
export type DeadlineField = (typeof deadlineFields)[number]

const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{1,80}$/, 'lower-case slug')
const memberState = z.string().regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2 code')

export const scenarioEvent = z
  .object({
    /** Optional label, so that a fault can name the event. */
    id: slug.optional(),
    type: z.string().regex(/^[A-Z][A-Za-z]+Milestone$/, 'a milestone type of the catalogue'),
    by: z.enum(authorityRefs),
    /** The milestone date (claim `milestoneDate`). */
    date: isoDate,
    /** Further claims of the type (catalogue subject schema; dates as YYYY-MM-DD). */
    claims: z.record(z.string(), z.unknown()).default({}),
  })
  .strict()

export const scenarioFault = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('revoke'), event: slug }).strict(),
  z.object({ kind: z.literal('tamper-anchor-proof'), event: slug }).strict(),
  z.object({ kind: z.literal('withhold'), events: z.array(slug).min(1) }).strict(),
])

export const expectedDublin = z
  .object({
    ruleSet: z.enum(['DUBLIN_III', 'AMMR']).optional(),
    status: z.enum(dublinStatuses),
    /**
     * The day the status rests on, when it is earlier than the verification's as-of day: an
     * absence established only up to that day (docs/DUBLIN-ABSENCE.md §2). `null` pins "none".
     */
    statusAsOf: isoDate.nullable().optional(),
    responsibleState: memberState.nullable().optional(),
    requestTimely: z.boolean().optional(),
    reexaminationTimely: z.boolean().optional(),
    acceptanceType: z.enum(['explicit', 'implicit']).nullable().optional(),
    deemedAcceptedFrom: isoDate.optional(),
    requestingStateResponsibleFrom: isoDate.optional(),
    extensionApplied: z.string().nullable().optional(),
    mustOfferNewApplication: z.boolean().optional(),
    /** Compared as a set. */
    missingFacts: z.array(z.string()).optional(),
    /**
     * Where the report says a fact comes from, by fact (`reply`, `transferExecuted`, …): a
     * credential, an absence attestation, the case's complete chain or a declaration of the verifier.
     */
    factSources: z
      .record(z.string().regex(/^[a-zA-Z.]+$/), z.enum(['credential', 'absence-attestation', 'complete-chain', 'declared-by-verifier']))
      .optional(),
    /** Phrases the assessment's explanation must contain (e.g. how it names a deemed confirmation). */
    explanationIncludes: z.array(z.string().min(1)).optional(),
    deadlines: z.partialRecord(z.enum(deadlineFields), isoDate).default({}),
  })
  .strict()

export const scenarioExpectation = z
  .object({
    verdict: z.enum(['valid', 'invalid', 'indeterminate']),
    /** The first step that did not pass (required unless the verdict is valid). */
    failingStep: z.enum(pipelineSteps).optional(),
    dublin: expectedDublin,
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.verdict !== 'valid' && !value.failingStep)
      ctx.addIssue({ code: 'custom', path: ['failingStep'], message: 'required when the verdict is not valid' })
    if (value.verdict === 'valid' && value.failingStep)
      ctx.addIssue({ code: 'custom', path: ['failingStep'], message: 'a valid verdict has no failing step' })
  })

export const scenario = z
  .object({
    id: slug,
    title: z.object({ de: z.string().min(1), fr: z.string().min(1), en: z.string().optional() }).strict(),
    tags: z.array(z.string().regex(/^[A-Za-z0-9_-]+$/)).default([]),
    ruleSet: z.enum(['DUBLIN_III', 'AMMR']),
    /** Which authority opens the case and grants the others (default: the case's branch office). */
    openedBy: z.enum(authorityRefs).default('branch-office'),
    /** The Eurodac record the person's reference belongs to (country code and category digit). */
    eurodac: z.object({ state: memberState, category: z.union([z.literal(1), z.literal(2), z.literal(3)]) }).strict(),
    events: z.array(scenarioEvent).min(1),
    fault: scenarioFault.optional(),
    expected: scenarioExpectation,
    /**
     * The verification's as-of day, sent to the verifier with the request. Without it the verifier
     * assesses as of the day it runs, and the file's `settledBy` must make the expectation hold.
     * Every event must lie on or before it (the verifier refuses facts dated after the as-of day).
     * A scenario whose as-of day lies after the run's day cannot run yet (the verifier assesses no
     * future day), nor one with an absence attestation whose as-of day is not over (the issuer signs
     * it from the next day on): the pilot lists it as deferred until then (`runnableFrom`).
     */
    asOf: isoDate.optional(),
    /**
     * Facts the French officer declares about France's own acts when France is a party (the
     * requested state its reply or its silence; docs/DUBLIN-ABSENCE.md §3(c)), sent with the request.
     */
    declaredFacts: z.array(z.object({ fact: z.string().min(1), value: z.unknown() }).strict()).optional(),
    /** The worked calculation: start date, rule, result (documentation; shown in the report). */
    derivation: z.array(z.string()).default([]),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.asOf)
      value.events.forEach((event, index) => {
        if (event.date > value.asOf!)
          ctx.addIssue({ code: 'custom', path: ['events', index, 'date'], message: `event after the scenario's asOf ${value.asOf}` })
      })
    const labels = new Set<string>()
    value.events.forEach((event, index) => {
      if (!event.id) return
      if (labels.has(event.id))
        ctx.addIssue({ code: 'custom', path: ['events', index, 'id'], message: `duplicate event id "${event.id}"` })
      labels.add(event.id)
    })
    const dates = value.events.map((event) => event.date)
    dates.forEach((date, index) => {
      if (index > 0 && date < dates[index - 1]!)
        ctx.addIssue({ code: 'custom', path: ['events', index, 'date'], message: 'events must be in date order' })
    })
    const named = value.fault?.kind === 'withhold' ? value.fault.events : value.fault ? [value.fault.event] : []
    for (const name of named)
      if (!labels.has(name))
        ctx.addIssue({ code: 'custom', path: ['fault'], message: `fault names an unknown event "${name}"` })
  })

export const scenarioFile = z
  .object({
    version: z.literal(1),
    /**
     * The verifier assesses as of the day it runs. Every deadline that decides an expectation in
     * this file lies before `settledBy`, so the expectations hold on any run on or after it.
     */
    settledBy: isoDate,
    scenarios: z.array(scenario).min(1),
  })
  .strict()
  .superRefine((value, ctx) => {
    const ids = new Set<string>()
    value.scenarios.forEach((s, index) => {
      if (ids.has(s.id)) ctx.addIssue({ code: 'custom', path: ['scenarios', index, 'id'], message: `duplicate scenario id "${s.id}"` })
      ids.add(s.id)
      // A scenario with its own as-of day is settled by it, not by the file's day.
      if (s.asOf) return
      s.events.forEach((event, e) => {
        if (event.date >= value.settledBy)
          ctx.addIssue({
            code: 'custom',
            path: ['scenarios', index, 'events', e, 'date'],
            message: `event after settledBy ${value.settledBy}: the verifier refuses facts dated after the day it assesses`,
          })
      })
    })
  })

export type Scenario = z.infer<typeof scenario>
export type ScenarioEvent = z.infer<typeof scenarioEvent>
export type ScenarioFault = z.infer<typeof scenarioFault>
export type ScenarioExpectation = z.infer<typeof scenarioExpectation>
export type ExpectedDublin = z.infer<typeof expectedDublin>
export type ScenarioFile = z.infer<typeof scenarioFile>
