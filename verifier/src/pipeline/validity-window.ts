import { type ParsedCredential, type PipelineContext, type StepResult, stepResult } from './types.ts'

/**
 * Step 3, validity window: `now` within [nbf, exp] and [validFrom, expirationDate/validUntil].
 * "expired" and "not-yet-valid" are distinct reasons (EBSI's conformance verifier cases).
 */
export function checkValidityWindow(credential: ParsedCredential, ctx: PipelineContext): StepResult {
  const now = ctx.now.getTime()
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
  if ([...starts, ...ends].some((t) => Number.isNaN(t)))
    return stepResult('validity-window', 'failed', 'dates-invalid', {})
  const validFrom = starts.length ? Math.max(...starts) : undefined
  const validUntil = ends.length ? Math.min(...ends) : undefined
  const details = {
    validFrom: validFrom !== undefined ? new Date(validFrom).toISOString() : null,
    validUntil: validUntil !== undefined ? new Date(validUntil).toISOString() : null,
    checkedAt: ctx.now.toISOString(),
  }
  if (validFrom !== undefined && now < validFrom) return stepResult('validity-window', 'failed', 'not-yet-valid', details)
  if (validUntil !== undefined && now > validUntil) return stepResult('validity-window', 'failed', 'expired', details)
  return stepResult('validity-window', 'passed', 'ok', details)
}
