/** Errors of the accreditation-chain walk: one class per failure, stable codes, the failing link. */

/** Base of every trust-chain failure. */
export class TrustChainError extends Error {
  code = 'ERR_TRUST_CHAIN'
  /** TIR attribute URL of the link that failed, when there is one. */
  readonly attributeUrl: string | undefined
  constructor(message: string, attributeUrl?: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = new.target.name
    this.attributeUrl = attributeUrl
  }
}

/** The credential (or an accreditation) has no IssuanceCertificate termsOfUse to follow. */
export class TermsOfUseMissing extends TrustChainError {
  override code = 'ERR_TERMS_OF_USE_MISSING'
}

/** The TIR has no such attribute, or the attribute has no body yet. */
export class AccreditationNotFound extends TrustChainError {
  override code = 'ERR_ACCREDITATION_NOT_FOUND'
}

/** The attribute is malformed or does not belong to the entity it should describe. */
export class AccreditationInvalid extends TrustChainError {
  override code = 'ERR_ACCREDITATION_INVALID'
}

/** The attribute's issuerType is Revoked. */
export class AccreditationRevoked extends TrustChainError {
  override code = 'ERR_ACCREDITATION_REVOKED'
}

/** No accreditedFor entry covers the credential's schema. */
export class AccreditationSchemaNotCovered extends TrustChainError {
  override code = 'ERR_ACCREDITATION_SCHEMA_NOT_COVERED'
}

/** The accreditedFor entry for the schema does not list every type of the credential. */
export class AccreditationTypeNotCovered extends TrustChainError {
  override code = 'ERR_ACCREDITATION_TYPE_NOT_COVERED'
}

/** The jurisdiction limit of a link does not match its parent's or the requested one. */
export class AccreditationJurisdictionMismatch extends TrustChainError {
  override code = 'ERR_ACCREDITATION_JURISDICTION_MISMATCH'
}

/** An accreditation is outside its validity window. */
export class AccreditationExpired extends TrustChainError {
  override code = 'ERR_ACCREDITATION_EXPIRED'
}

/** The chain ends at a root that is not a configured trust anchor. */
export class UntrustedTrustAnchor extends TrustChainError {
  override code = 'ERR_UNTRUSTED_TRUST_ANCHOR'
}

/** The chain visits an attribute twice, or is longer than allowed. */
export class AccreditationLoop extends TrustChainError {
  override code = 'ERR_ACCREDITATION_LOOP'
}
