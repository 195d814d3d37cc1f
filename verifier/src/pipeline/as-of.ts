import { isIsoDate, todayIn } from '@flora/credentials'

/**
 * The calendar day (YYYY-MM-DD) of an instant in an IANA time zone. The verifier's "today" is the
 * day of its own authority: at 23:30 UTC in winter it is already the next day in Paris.
 */
export const dayIn = (timeZone: string, at: Date): string => todayIn(timeZone, at)

/** A real calendar day written YYYY-MM-DD (2026-02-30 is not one). */
export const isCalendarDay = (value: string): boolean => isIsoDate(value)

/** The instants a Date can hold with a four-digit year, as the YYYY-MM-DD days of the facts need. */
const FIRST_INSTANT = Date.parse('0000-01-01T00:00:00.000Z')
const LAST_INSTANT = Date.parse('9999-12-31T23:59:59.999Z')

/** ms since the epoch as a Date; undefined when no finite number or outside years 0000–9999. */
export function instantOf(ms: unknown): Date | undefined {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < FIRST_INSTANT || ms > LAST_INSTANT)
    return undefined
  return new Date(ms)
}

/**
 * The instant a credential was issued: the earliest of its JWT `iat`, its `nbf` and its
 * `vc.issuanceDate` — the claims the other steps read the issuance from. The earliest, because an
 * absence attestation may not attest days after its issuance (docs/DUBLIN-ABSENCE.md §3(a)): a
 * credential whose dates disagree must not gain the days between them. A date that is no number, no
 * date or outside years 0000–9999 is not read; undefined when none is usable.
 */
export function issuedAtOf(payload: Record<string, unknown>, vc: Record<string, unknown>): Date | undefined {
  const candidates = [
    typeof payload.iat === 'number' ? instantOf(payload.iat * 1000) : undefined,
    typeof payload.nbf === 'number' ? instantOf(payload.nbf * 1000) : undefined,
    typeof vc.issuanceDate === 'string' ? instantOf(Date.parse(vc.issuanceDate)) : undefined,
  ].filter((d): d is Date => d !== undefined)
  return candidates.reduce<Date | undefined>((min, d) => (min === undefined || d < min ? d : min), undefined)
}

/**
 * A credential's issuance day: the UTC day of {@link issuedAtOf}. UTC because that is the day the
 * issuer checks an absence attestation's as-of day against (it has no time zone of its own), so
 * issuer and verifier agree on every credential; for a complete chain it is never later than the
 * local day, which keeps the covered period on the safe side.
 */
export function issuedOnOf(
  payload: Record<string, unknown>,
  vc: Record<string, unknown>,
): string | undefined {
  const at = issuedAtOf(payload, vc)
  return at ? at.toISOString().slice(0, 10) : undefined
}
