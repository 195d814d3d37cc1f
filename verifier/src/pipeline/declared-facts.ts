import { EXTENSION_GROUNDS } from '@flora/credentials'
import { z } from 'zod'
import { isCalendarDay } from './as-of.ts'

/**
 * Facts the verifying state's officer may declare about its own state's acts (contract §3(c)), by
 * the role the verifier's state holds in the case. The requested state knows whether and how it
 * replied; the requesting state runs the DubliNet access point (Reg. 1560/2003 Art. 15), so it knows
 * when its request was received and any reply to it, and it notifies extensions and carries out
 * transfers itself.
 */
export const DECLARABLE_BY_ROLE = {
  requested: ['reply', 'reexamination.reply'],
  requesting: ['requestReceived', 'reply', 'reexamination.reply', 'extensionNotified', 'transferExecuted'],
} as const satisfies Record<string, readonly string[]>

export type VerifierRole = keyof typeof DECLARABLE_BY_ROLE
export const DECLARABLE_FACTS = ['requestReceived', 'reply', 'reexamination.reply', 'extensionNotified', 'transferExecuted'] as const
export type DeclarableFact = (typeof DECLARABLE_FACTS)[number]

const day = z.string().refine(isCalendarDay, 'must be a calendar date YYYY-MM-DD that exists')
/** Not happened up to and including that day (§1). */
const notBy = z.strictObject({ notBy: day })
const reply = z.strictObject({ type: z.enum(['acceptance', 'rejection', 'confirmation', 'nonConfirmation']), received: day })

/** The value each fact may take: the event, `null` (not happened by asOf) or `{ notBy }`. */
const valueSchemas: Record<DeclarableFact, z.ZodType> = {
  requestReceived: day,
  reply: z.union([reply, notBy, z.null()]),
  'reexamination.reply': z.union([reply, notBy, z.null()]),
  extensionNotified: z.union([z.strictObject({ date: day, ground: z.enum(EXTENSION_GROUNDS) }), notBy, z.null()]),
  transferExecuted: z.union([day, notBy, z.null()]),
}

/** One declaration as the API takes it. */
export interface DeclaredFact {
  fact: DeclarableFact
  value: unknown
}

export const declaredFactSchema = z
  .strictObject({
    fact: z.enum(DECLARABLE_FACTS).describe('The fact declared (dotted path of the Dublin facts)'),
    value: z
      .unknown()
      .describe('The event, null (did not happen by asOf) or { "notBy": "YYYY-MM-DD" } (did not happen up to that day)'),
  })
  .superRefine((declared, ctx) => {
    const schema = valueSchemas[declared.fact]
    if (!schema) return
    // `value` is required: a missing member would read as "unknown", which declares nothing
    if (!('value' in declared)) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'is required (the event, null or { notBy })' })
      return
    }
    const result = schema.safeParse(declared.value)
    if (!result.success)
      for (const issue of result.error.issues)
        ctx.addIssue({ code: 'custom', path: ['value', ...issue.path], message: describe(declared.fact, issue) })
  })

function describe(fact: DeclarableFact, issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_union')
    return fact === 'requestReceived'
      ? 'must be a calendar date YYYY-MM-DD'
      : `must be the event, null or { "notBy": "YYYY-MM-DD" }`
  return issue.message
}

/** At most one declaration per fact. */
export const declaredFactsSchema = z
  .array(declaredFactSchema)
  .max(DECLARABLE_FACTS.length)
  .superRefine((list, ctx) => {
    const seen = new Set<string>()
    list.forEach((d, i) => {
      if (seen.has(d.fact)) ctx.addIssue({ code: 'custom', path: [i, 'fact'], message: `"${d.fact}" is declared twice` })
      seen.add(d.fact)
    })
  })
  .describe(
    'Facts the officer declares about the verifier’s own state’s acts; allowed only where that state is a party: requested state → reply, reexamination.reply; requesting state → requestReceived, reply, reexamination.reply, extensionNotified, transferExecuted',
  )

/** Declarations a verifier holding `role` may not make (none when it may make them all). */
export function declarationsOutsideRole(declared: readonly DeclaredFact[], role: VerifierRole | undefined): DeclaredFact[] {
  const allowed: readonly string[] = role ? DECLARABLE_BY_ROLE[role] : []
  return declared.filter((d) => !allowed.includes(d.fact))
}

/** `notBy` days and event days after asOf: a declaration cannot know the future either. */
export function declarationsAfter(declared: readonly DeclaredFact[], asOf: string): DeclaredFact[] {
  const days = (value: unknown): string[] => {
    if (typeof value === 'string') return [value]
    if (value && typeof value === 'object')
      return Object.values(value as Record<string, unknown>).filter((v): v is string => typeof v === 'string' && isCalendarDay(v))
    return []
  }
  return declared.filter((d) => days(d.value).some((day) => day > asOf))
}
