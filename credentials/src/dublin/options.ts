// Options: the contested points of law, made explicit and echoed in every assessment.
import { z } from 'zod'
import { isIsoDate } from '../calendar/iso-date.ts'
import { GERMAN_LAENDER } from '../calendar/holidays-de.ts'
import { DublinOptionsInvalid } from './errors.ts'
import { DEFAULT_CUT_OFF } from './rule-sets.ts'

export const dublinOptionsSchema = z.strictObject({
  /** Dublin III only: move a deadline ending on a Saturday, Sunday or holiday (Reg. 1182/71 Art. 3(4)). */
  rollForward: z.boolean().optional(),
  /** Start of the transfer period after implicit acceptance: the last day of the reply period, or the day after. */
  implicitAnchor: z.enum(['replyDeadline', 'dayAfter']).optional(),
  /** First day of the AMMR (Art. 84-85 AMMR as corrected: 12 June 2026). */
  cutOff: z.string().refine(isIsoDate, 'must be a calendar date YYYY-MM-DD').optional(),
  /**
   * Procedure for an application registered before the cut-off whose request is sent on or after it
   * (AMMR Art. 84(2)): `DUBLIN_III` = reading (a), the default; `AMMR` = reading (b).
   */
  transitionProcedure: z.enum(['DUBLIN_III', 'AMMR']).optional(),
  /** Region whose holidays apply, per member state, e.g. `{ "DE": "DE-SN" }` for a Saxon authority. */
  holidayRegions: z.record(z.string().regex(/^[A-Z]{2}$/), z.string()).optional(),
})

export type DublinAssessmentOptions = z.input<typeof dublinOptionsSchema>

/** Options with every default filled in, as stated in the assessment. */
export type ResolvedDublinOptions = {
  rollForward: boolean
  implicitAnchor: 'replyDeadline' | 'dayAfter'
  cutOff: string
  transitionProcedure: 'DUBLIN_III' | 'AMMR'
  holidayRegions?: Record<string, string>
}

/**
 * Validates options and fills in the defaults.
 * @throws {DublinOptionsInvalid}
 */
export function resolveDublinOptions(options: unknown = {}): ResolvedDublinOptions {
  const parsed = dublinOptionsSchema.safeParse(options ?? {})
  if (!parsed.success)
    throw new DublinOptionsInvalid(
      `invalid options: ${parsed.error.issues.map((i) => (i.code === 'unrecognized_keys' ? `unknown option(s) ${i.keys.join(', ')}` : `${i.path.join('.')}: ${i.message}`)).join('; ')}`,
    )
  const o = parsed.data
  for (const [state, region] of Object.entries(o.holidayRegions ?? {}))
    if (state !== 'DE' || !(GERMAN_LAENDER as readonly string[]).includes(region))
      throw new DublinOptionsInvalid(
        `holidayRegions.${state}: "${region}" is not a built-in regional calendar (DE-xx Länder only)`,
      )
  return {
    rollForward: o.rollForward ?? false,
    implicitAnchor: o.implicitAnchor ?? 'replyDeadline',
    cutOff: o.cutOff ?? DEFAULT_CUT_OFF,
    transitionProcedure: o.transitionProcedure ?? 'DUBLIN_III',
    ...(o.holidayRegions && Object.keys(o.holidayRegions).length ? { holidayRegions: o.holidayRegions } : {}),
  }
}
