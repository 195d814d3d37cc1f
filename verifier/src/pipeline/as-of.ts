import { isIsoDate } from '@flora/credentials'

/**
 * The calendar day (YYYY-MM-DD) of an instant in an IANA time zone. The verifier's "today" is the
 * day of its own authority: at 23:30 UTC in winter it is already the next day in Paris.
 */
export function dayIn(timeZone: string, at: Date): string {
  const parts = formatterFor(timeZone).formatToParts(at)
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? ''
  return `${part('year')}-${part('month')}-${part('day')}`
}

const formatters = new Map<string, Intl.DateTimeFormat>()
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone)
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    formatters.set(timeZone, formatter)
  }
  return formatter
}

/** A real calendar day written YYYY-MM-DD (2026-02-30 is not one). */
export const isCalendarDay = (value: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(value) && isIsoDate(value)

/**
 * The instant a credential was issued: its JWT `iat`, else `nbf`, else `vc.issuanceDate` — the
 * claims the other steps read the issuance from. undefined when none is usable.
 */
export function issuedAtOf(payload: Record<string, unknown>, vc: Record<string, unknown>): Date | undefined {
  if (typeof payload.iat === 'number' && Number.isFinite(payload.iat)) return new Date(payload.iat * 1000)
  if (typeof payload.nbf === 'number' && Number.isFinite(payload.nbf)) return new Date(payload.nbf * 1000)
  if (typeof vc.issuanceDate === 'string') {
    const at = Date.parse(vc.issuanceDate)
    if (!Number.isNaN(at)) return new Date(at)
  }
  return undefined
}

/**
 * A credential's issuance day: the UTC day of {@link issuedAtOf}. UTC because that is the day the
 * issuer checks an absence attestation's as-of day against (it has no time zone of its own), so
 * issuer and verifier agree on every credential; for a complete chain it is never later than the
 * local day, which keeps the covered period on the safe side.
 */
export function issuedOnOf(payload: Record<string, unknown>, vc: Record<string, unknown>): string | undefined {
  const at = issuedAtOf(payload, vc)
  return at ? at.toISOString().slice(0, 10) : undefined
}
