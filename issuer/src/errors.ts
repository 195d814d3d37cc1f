/**
 * Errors of the issuer, jose-style: one base class, one subclass per failure, each with a stable
 * `code`. Services throw these; `http/problem-map.ts` is the one table from code to HTTP status.
 */

/** Base of every failure the issuer detects. */
export class IssuerError extends Error {
  /** Stable machine-readable code. */
  code = 'ERR_ISSUER'
  /** Extra members a problem body may carry (field names, missing accreditation, ...). */
  readonly details: Record<string, unknown>
  constructor(message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options)
    this.name = new.target.name
    this.details = details
  }
}

/** No session cookie or API token, or an invalid one. */
export class NotAuthenticated extends IssuerError {
  override code = 'ERR_NOT_AUTHENTICATED'
}
/** Login with a wrong username or password (one fixed message for both). */
export class LoginFailed extends IssuerError {
  override code = 'ERR_LOGIN_FAILED'
  constructor() {
    super('username or password is wrong')
  }
}
/** The caller is authenticated but its role does not allow the action (e.g. staff → admin API). */
export class RoleInsufficient extends IssuerError {
  override code = 'ERR_ROLE_INSUFFICIENT'
}
/** A resource that does not exist, or that the caller's authority may not see (never 403: no leak). */
export class ResourceNotFound extends IssuerError {
  override code = 'ERR_NOT_FOUND'
}
/** A unique value already exists (username, holder DID of an open case, ...). */
export class AlreadyExists extends IssuerError {
  override code = 'ERR_ALREADY_EXISTS'
}
/** The authority's catalogue role may not issue the milestone type. */
export class RoleMayNotIssue extends IssuerError {
  override code = 'ERR_ROLE_MAY_NOT_ISSUE'
}
/** The authority's accreditation on the ledger (TIR) does not cover the milestone type. */
export class AccreditationMissing extends IssuerError {
  override code = 'ERR_ACCREDITATION_MISSING'
}
/** The authority is not onboarded yet (no did:ebsi, keys or TIR attribute). */
export class AuthorityNotOnboarded extends IssuerError {
  override code = 'ERR_AUTHORITY_NOT_ONBOARDED'
}
/** Milestone claims failed the catalogue schema; `details.invalidParams` names every field. */
export class ClaimsInvalid extends IssuerError {
  override code = 'ERR_CLAIMS_INVALID'
}
/** A state transition that is not allowed (reinstating a revoked credential, revoking an offer, ...). */
export class TransitionNotAllowed extends IssuerError {
  override code = 'ERR_TRANSITION_NOT_ALLOWED'
}
/** An idempotency key was reused with a different request body. */
export class IdempotencyKeyReused extends IssuerError {
  override code = 'ERR_IDEMPOTENCY_KEY_REUSED'
}
/** Every index of every status list of the authority and purpose is taken. */
export class StatusListExhausted extends IssuerError {
  override code = 'ERR_STATUS_LIST_EXHAUSTED'
}

/** OpenID4VCI / OAuth 2.0 protocol errors: answered with the OAuth error JSON, not problem+json. */
export class OAuthError extends IssuerError {
  override code = 'ERR_OAUTH'
  constructor(
    readonly error: string,
    readonly description: string,
    readonly status = 400,
    readonly extra: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(description, {}, options)
  }
}

/**
 * A pre-authorised code this authority never issued (or not at this authority): what probing looks
 * like, counted per client at the token endpoint. Answered like any invalid_grant.
 */
export class UnknownPreAuthorizedCode extends OAuthError {
  constructor() {
    super('invalid_grant', 'pre-authorised code unknown')
  }
}

/** The offer's credential was signed meanwhile (another request, another instance): re-deliver it. */
export class CredentialAlreadyIssued extends OAuthError {
  constructor() {
    super('invalid_request', 'the credential of this offer was already issued')
  }
}
