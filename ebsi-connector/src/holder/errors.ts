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

/** The issuer refused a request (token, nonce, credential); `error` is its OAuth error code. */
export class IssuerRefused extends HolderError {
  override code = 'ERR_ISSUER_REFUSED'
  constructor(
    readonly error: string,
    message: string,
    readonly status: number,
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
