/**
 * Errors of the key store and signers, jose-style: one base, one subclass per failure, stable codes.
 */

/** Base of every key-store failure. */
export class KeyStoreError extends Error {
  /** Stable machine-readable code. */
  code = 'ERR_KEY_STORE'
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = new.target.name
  }
}

/** No key with this id belongs to this owner (also raised when it exists for another owner). */
export class KeyNotFound extends KeyStoreError {
  override code = 'ERR_KEY_NOT_FOUND'
  readonly kid: string
  constructor(kid: string) {
    super(`no key "${kid}" for this owner`)
    this.kid = kid
  }
}

/** The key type is not one this store can generate or use. */
export class KeyTypeUnsupported extends KeyStoreError {
  override code = 'ERR_KEY_TYPE_UNSUPPORTED'
  constructor(keyType: string) {
    super(`unsupported key type "${keyType}" (Secp256k1 or Secp256r1)`)
  }
}

/** The operation needs another key type (e.g. an Ethereum transaction needs Secp256k1). */
export class KeyTypeMismatch extends KeyStoreError {
  override code = 'ERR_KEY_TYPE_MISMATCH'
}
