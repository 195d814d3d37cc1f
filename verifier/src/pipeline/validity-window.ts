import { checkAbsenceAsOf, isMilestoneType } from '@flora/credentials'
import { issuedOnOf } from './as-of.ts'
import { isoString, rememberedPer } from './memo.ts'
import { type ParsedCredential, type PipelineContext, type StepResult, stepResult } from './types.ts'

/**
 * Step 3, validity window: `now` within [nbf, exp] and [validFrom, expirationDate/validUntil].
 * "expired" and "not-yet-valid" are distinct reasons (EBSI's conformance verifier cases). An absence
 * attestation must not attest silence beyond the day it was issued (its as-of day after its issuance
 * UTC day, as the issuer checks it): nobody had seen those days yet (`absence-as-of-after-issuance`).
 */
export function checkValidityWindow(credential: ParsedCredential, ctx: PipelineContext): StepResult {
  const now = ctx.now.getTime()
  const window = windowOf(credential)
  if (!window) return stepResult('validity-window', 'failed', 'dates-invalid', {})
  const { validFrom, validUntil } = window
  const details = { validFrom: window.validFromIso, validUntil: window.validUntilIso, checkedAt: isoString(ctx.now) }
  if (validFrom !== undefined && now < validFrom) return stepResult('validity-window', 'failed', 'not-yet-valid', details)
  if (validUntil !== undefined && now > validUntil) return stepResult('validity-window', 'failed', 'expired', details)
  const absence = checkAbsenceTime(credential)
  if (absence) return stepResult('validity-window', 'failed', 'absence-as-of-after-issuance', { ...details, ...absence })
  return stepResult('validity-window', 'passed', 'ok', details)
}

/** The largest distance from the epoch a Date can hold (ECMA-262 §21.4.1.22). */
const MAX_DATE_MS = 8.64e15

interface ValidityWindow {
  validFrom: number | undefined
  validUntil: number | undefined
  validFromIso: string | null
  validUntilIso: string | null
}

/** null: a date does not parse. Depends on the credential's bytes alone. */
const windowOf = rememberedPer(computeWindow)

function computeWindow(credential: ParsedCredential): ValidityWindow | null {
  const { payload, vc } = credential
  const starts = [
    typeof payload.nbf === 'number' ? payload.nbf * 1000 : undefined,
    typeof vc.validFrom === 'string' ? Date.parse(vc.validFrom) : undefined,
    typeof vc.issuanceDate === 'string' ? Date.parse(vc.issuanceDate) : undefined,
  ].filter((t): t is number => t !== undefined)
  const ends = [
    typeof payload.exp === 'number' ? payload.exp * 1000 : undefined,
    typeof vc.expirationDate === 'string' ? Date.parse(vc.expirationDate) : undefined,
    typeof vc.validUntil === 'string' ? Date.parse(vc.validUntil) : undefined,
  ].filter((t): t is number => t !== undefined)
  // a date beyond what a Date can hold (nbf 1e20) is as unreadable as one that does not parse:
  // refused, never thrown from toISOString
  if ([...starts, ...ends].some((t) => !Number.isFinite(t) || Math.abs(t) > MAX_DATE_MS)) return null
  const validFrom = starts.length ? Math.max(...starts) : undefined
  const validUntil = ends.length ? Math.min(...ends) : undefined
  return {
    validFrom,
    validUntil,
    validFromIso: validFrom !== undefined ? new Date(validFrom).toISOString() : null,
    validUntilIso: validUntil !== undefined ? new Date(validUntil).toISOString() : null,
  }
}

/** The as-of rule of absence attestations (contract §3(a)); undefined when it holds or does not apply. */
function checkAbsenceTime(credential: ParsedCredential): Record<string, unknown> | undefined {
  const type = credential.types.find((t) => t.endsWith('Milestone'))
  if (!type || !isMilestoneType(type)) return undefined
  const issuedOn = issuedOnOf(credential.payload, credential.vc)
  // without a readable issuance the window check above has already failed (dates-invalid)
  if (!issuedOn) return undefined
  const check = checkAbsenceAsOf(type, credential.vc.credentialSubject, issuedOn)
  return check.ok ? undefined : { issuedOn, message: check.reason }
}
