/** Base of every failure raised by the shared EBSI primitives (jose-style: stable `code`). */
export class EbsiCoreError extends Error {
  code = 'ERR_EBSI_CORE'
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = new.target.name
  }
}

/** A string is not a valid did:ebsi legal-entity identifier. */
export class DidEbsiInvalid extends EbsiCoreError {
  override code = 'ERR_DID_EBSI_INVALID'
}

/** A hex / base64url / JSON encoding could not be decoded. */
export class EncodingInvalid extends EbsiCoreError {
  override code = 'ERR_ENCODING_INVALID'
}

/** A public key (hex or JWK) is not a usable secp256k1 / P-256 key. */
export class PublicKeyInvalid extends EbsiCoreError {
  override code = 'ERR_PUBLIC_KEY_INVALID'
}

/** An unsigned or signed Ethereum transaction is malformed or inconsistent. */
export class TransactionInvalid extends EbsiCoreError {
  override code = 'ERR_TRANSACTION_INVALID'
}

/** Calldata does not decode against the registry ABIs. */
export class CalldataInvalid extends EbsiCoreError {
  override code = 'ERR_CALLDATA_INVALID'
}
