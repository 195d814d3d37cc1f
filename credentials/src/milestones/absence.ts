/**
 * The as-of rule of absence attestations (docs/DUBLIN-ABSENCE.md §3(a)): an authority can only attest
 * that something did not happen up to a day that is over. An attestation dated on or after its own
 * (UTC) issuance day would assert silence for hours nobody has seen yet (a reply can still arrive
 * later on the as-of day), so the issuer refuses to record or sign
 * one and the verifier fails a credential that does it.
 */

import { isIsoDate } from '../calendar/iso-date.ts'
import { getMilestone } from './catalogue.ts'
import { readPointer } from './json-pointer.ts'

/** Whether a value is a real calendar day written as YYYY-MM-DD (the calendar module's check). */
export const isCalendarDate = (value: unknown): value is string => isIsoDate(value)

/** Result of {@link checkAbsenceAsOf}. */
export type AbsenceAsOfCheck = { ok: true } | { ok: false; reason: string }

/**
 * Checks that an absence attestation's as-of day (`milestoneDate`) lies strictly before the day it
 * is issued: the as-of day must be over when the attestation is made. Types that record events always pass.
 * @param type - milestone type
 * @param claims - the credentialSubject (or the claims to be signed)
 * @param issuedOn - issuance day, YYYY-MM-DD (in the issuer's calendar)
 * @returns `{ ok: true }`, or `{ ok: false, reason }` naming `milestoneDate`
 * @throws {UnknownMilestoneType} for a type the catalogue does not know
 * @throws {TypeError} when `issuedOn` is not a calendar day
 * @example checkAbsenceAsOf('TransferAbsenceMilestone', { milestoneDate: '2026-09-01' }, '2026-09-01')
 * // { ok: false, reason: 'milestoneDate 2026-09-01 (the day the absence is attested up to) does not lie before the issuance day 2026-09-01' }
 */
export function checkAbsenceAsOf(type: string, claims: unknown, issuedOn: string): AbsenceAsOfCheck {
  const entry = getMilestone(type)
  if (!isCalendarDate(issuedOn)) throw new TypeError(`issuedOn "${String(issuedOn)}" is not a YYYY-MM-DD day`)
  if (entry.attests !== 'absence') return { ok: true }
  const asOf = readPointer(claims, '/milestoneDate')
  if (!isCalendarDate(asOf))
    return {
      ok: false,
      reason: 'milestoneDate (the day the absence is attested up to) is missing or not a YYYY-MM-DD day',
    }
  if (asOf >= issuedOn)
    return {
      ok: false,
      reason: `milestoneDate ${asOf} (the day the absence is attested up to) does not lie before the issuance day ${issuedOn}`,
    }
  return { ok: true }
}
