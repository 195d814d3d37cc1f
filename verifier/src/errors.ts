/** Errors of the verifier, jose-style: one base, one subclass per failure, stable codes. */

/** Base of every verifier failure. */
export class VerifierError extends Error {
  code = 'ERR_VERIFIER'
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = new.target.name
  }
}

/** A trust source (ledger, TIR proxy, snapshot) could not answer: the check cannot be established. */
export class TrustSourceUnavailable extends VerifierError {
  override code = 'ERR_TRUST_SOURCE_UNAVAILABLE'
}

/** The submitted token is not a compact JWS with JSON header and payload. */
export class TokenMalformed extends VerifierError {
  override code = 'ERR_TOKEN_MALFORMED'
}

/** A trust snapshot does not verify or is not from a trusted exporter. */
export class TrustSnapshotInvalid extends VerifierError {
  override code = 'ERR_TRUST_SNAPSHOT_INVALID'
}

/** The OpenID4VP transaction is unknown, expired or already answered. */
export class PresentationRequestInvalid extends VerifierError {
  override code = 'ERR_PRESENTATION_REQUEST_INVALID'
}

/** The asOf day or a declared fact cannot be assessed: a day after today, or an event after asOf. */
export class AssessmentInputInvalid extends VerifierError {
  override code = 'ERR_ASSESSMENT_INPUT_INVALID'
  /** The JSON pointer of the member at fault (RFC 9457 invalid-params). */
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message)
  }
}
