import { CredentialsError } from '@flora/credentials'
import { HttpProblem } from '@flora/service-kit'
import type { Middleware } from 'koa'
import { IssuerError, OAuthError } from '../errors.ts'

const PROBLEM_BASE = 'https://flora-vc.eu/problems'

/** Status, problem type and title per error code: the one table from issuer errors to HTTP. */
const table: Record<string, { status: number; type: string; title: string }> = {
  ERR_NOT_AUTHENTICATED: { status: 401, type: 'not-authenticated', title: 'Not authenticated' },
  ERR_LOGIN_FAILED: { status: 401, type: 'login-failed', title: 'Login failed' },
  ERR_ROLE_INSUFFICIENT: { status: 403, type: 'role-insufficient', title: 'Role insufficient' },
  ERR_NOT_FOUND: { status: 404, type: 'not-found', title: 'Not Found' },
  ERR_ALREADY_EXISTS: { status: 409, type: 'already-exists', title: 'Already exists' },
  ERR_ROLE_MAY_NOT_ISSUE: {
    status: 403,
    type: 'missing-accreditation',
    title: 'Role may not issue this milestone',
  },
  ERR_ACCREDITATION_MISSING: { status: 403, type: 'missing-accreditation', title: 'Missing accreditation' },
  ERR_AUTHORITY_NOT_ONBOARDED: {
    status: 409,
    type: 'authority-not-onboarded',
    title: 'Authority not onboarded',
  },
  ERR_CLAIMS_INVALID: { status: 400, type: 'invalid-input', title: 'Bad Request' },
  ERR_TRANSITION_NOT_ALLOWED: {
    status: 409,
    type: 'transition-not-allowed',
    title: 'Transition not allowed',
  },
  ERR_IDEMPOTENCY_KEY_REUSED: {
    status: 422,
    type: 'idempotency-key-reused',
    title: 'Idempotency key reused',
  },
  ERR_STATUS_LIST_EXHAUSTED: { status: 503, type: 'status-list-exhausted', title: 'Status list exhausted' },
  ERR_UNKNOWN_MILESTONE_TYPE: { status: 400, type: 'invalid-input', title: 'Bad Request' },
}

/** Pure: an issuer or catalogue error → the HttpProblem the service-kit funnel renders. */
export function toHttpProblem(error: IssuerError | CredentialsError): HttpProblem {
  const entry = table[error.code] ?? { status: 500, type: 'internal', title: 'Internal Server Error' }
  const details = error instanceof IssuerError ? error.details : {}
  const { invalidParams, ...rest } = details as { invalidParams?: unknown }
  return new HttpProblem(entry.status, entry.title, {
    type: `${PROBLEM_BASE}/${entry.type}`,
    detail: error.message,
    extensions: { code: error.code, ...rest, ...(invalidParams ? { 'invalid-params': invalidParams } : {}) },
    cause: error,
  })
}

/** Translates domain errors for the funnel; OAuth errors of the OID4VCI endpoints become OAuth JSON. */
export function issuerErrors(): Middleware {
  return async (ctx, next) => {
    try {
      await next()
    } catch (error) {
      if (error instanceof OAuthError) {
        // the service could not answer (e.g. the ledger is unreachable): logged like any failure
        if (error.status >= 500) ctx.app.emit('error', error, ctx)
        ctx.status = error.status
        ctx.set('cache-control', 'no-store')
        if (error.status === 401) ctx.set('www-authenticate', `Bearer error="${error.error}"`)
        ctx.body = { error: error.error, error_description: error.description, ...error.extra }
        return
      }
      if (error instanceof IssuerError && error.code !== 'ERR_ISSUER') throw toHttpProblem(error)
      if (error instanceof CredentialsError && table[error.code]) throw toHttpProblem(error)
      throw error
    }
  }
}
