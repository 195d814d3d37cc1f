/** Errors of the holder agent: one base, one subclass per failure, stable codes. */

/** Base of every holder failure. */
export class HolderError extends Error {
  code = 'ERR_HOLDER'
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = new.target.name
  }
}

/** A credential offer is malformed or cannot be redeemed. */
export class CredentialOfferInvalid extends HolderError {
  override code = 'ERR_CREDENTIAL_OFFER_INVALID'
}

/**
 * The issuer refused a request (token, nonce, credential); `error` is its OAuth error code, or
 * `http_<status>` when the answer carried none. `retryAfterSeconds`: its Retry-After, when it asked
 * the holder to wait (429, 503).
 */
export class IssuerRefused extends HolderError {
  override code = 'ERR_ISSUER_REFUSED'
  constructor(
    readonly error: string,
    message: string,
    readonly status: number,
    readonly retryAfterSeconds?: number,
  ) {
    super(message)
  }
}

/** A presentation request (OpenID4VP) is malformed, unsigned or signed by someone else. */
export class PresentationRequestRejected extends HolderError {
  override code = 'ERR_PRESENTATION_REQUEST_REJECTED'
}

/** The wallet holds no credentials satisfying the presentation definition. */
export class PresentationDefinitionUnsatisfied extends HolderError {
  override code = 'ERR_PRESENTATION_DEFINITION_UNSATISFIED'
}

/** Why an outbound request of the holder was refused or given up. */
export type OutboundFailure =
  | 'untrusted-origin'
  | 'redirect-off-origin'
  | 'too-many-redirects'
  | 'timeout'
  | 'too-large'
  | 'unreachable'

const OUTBOUND_MESSAGES: Record<OutboundFailure, string> = {
  'untrusted-origin': 'is not a trusted origin for this role',
  'redirect-off-origin': 'redirected to another origin (not followed)',
  'too-many-redirects': 'redirected too many times',
  timeout: 'did not answer in time',
  'too-large': 'answered with more data than allowed (cut)',
  unreachable: 'cannot be reached',
}

/**
 * An outbound request the holder refused to make, or gave up: the origin is not trusted for the
 * role, a redirect leaves it, the answer is too slow or too large, or nothing answers. The message
 * is ours; nothing the remote party sent is in it.
 */
export class OutboundRefused extends HolderError {
  override code = 'ERR_OUTBOUND_REFUSED'
  constructor(
    readonly reason: OutboundFailure,
    readonly role: 'issuer' | 'verifier' | 'ledger',
    readonly origin: string,
    options?: { cause?: unknown },
  ) {
    super(`${role} ${origin} ${OUTBOUND_MESSAGES[reason]}`, options)
  }
}

/** Why a received credential was refused. */
export type CredentialRejection =
  | 'malformed'
  | 'not-as-delivered'
  | 'signature'
  | 'subject'
  | 'validity'
  | 'accreditation'
  | 'trust-unavailable'
  | 'conflict'

/**
 * A received credential the case wallet does not keep: malformed, not signed by a key its issuer
 * lists on the ledger, about another holder, outside its validity, from an issuer not accredited
 * for its type, or in conflict with one the wallet holds. `trust-unavailable`: the ledger could
 * not be asked, so nothing was established (fail closed).
 */
export class CredentialRejected extends HolderError {
  override code = 'ERR_CREDENTIAL_REJECTED'
  constructor(
    readonly reason: CredentialRejection,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}
