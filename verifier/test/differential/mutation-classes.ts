/**
 * The committed table of the differential test: each mutation class, what EBSI's own libraries
 * (@cef-ebsi/verifiable-credential 5.5.0 / verifiable-presentation 6.4.0, run with no skip option)
 * are expected to do with it, written down BEFORE the run, and the step our report must name.
 *
 * - reject: the library checks this and throws;
 * - accept: the library checks this and passes (the control);
 * - not-checked: the library has no such check and passes the presentation; our verifier must still
 *   fail it, naming the step.
 *
 * Where the library checks (reject/accept), our verdict must match: reject ⇔ "invalid",
 * accept ⇔ "valid".
 */
export type LibraryExpectation = 'reject' | 'accept' | 'not-checked'

export interface MutationClass {
  id: string
  description: string
  library: LibraryExpectation
  /** The step our report must name as failing (null for the control). */
  failingStep: string | null
  /** Why the library does or does not see it (EBSI's verification rules for credentials and presentations, and the library source). */
  rationale: string
}

export const CREDENTIALS_PER_CLASS = 20

export const mutationClasses: readonly MutationClass[] = [
  { id: 'control', description: 'valid credential, valid presentation', library: 'accept', failingStep: null, rationale: 'everything in order' },
  { id: 'signature', description: 'payload altered after signing', library: 'reject', failingStep: 'issuer-signature', rationale: 'did-jwt signature verification of the VC' },
  { id: 'issuer-not-accredited-for-type', description: 'a TI accredited only for ArrivalCertificateMilestone issues a DublinReplyMilestone', library: 'reject', failingStep: 'accreditation', rationale: 'validateAccreditations: accreditedFor must cover schema and types' },
  { id: 'accreditation-revoked', description: "the issuer's TIR attribute is Revoked", library: 'reject', failingStep: 'accreditation', rationale: 'validateAccreditations: issuerType Revoked' },
  { id: 'schema-violation', description: 'a claim the closed milestone schema does not allow', library: 'reject', failingStep: 'schema', rationale: 'Ajv 2020-12 validation against the TSR schema' },
  { id: 'status-revoked', description: 'revocation bit set in the StatusList2021', library: 'reject', failingStep: 'status', rationale: 'validateCredentialStatus reads the bit through the TIR proxy' },
  { id: 'status-suspended', description: 'suspension bit set in the StatusList2021', library: 'reject', failingStep: 'status', rationale: 'validateCredentialStatus: statusPurpose suspension' },
  { id: 'expired', description: 'expirationDate/exp in the past', library: 'reject', failingStep: 'validity-window', rationale: 'validateDates / JWT exp vs validAt' },
  { id: 'not-yet-valid', description: 'validFrom/nbf in the future', library: 'reject', failingStep: 'validity-window', rationale: 'validateDates / JWT nbf vs validAt' },
  { id: 'wrong-audience', description: 'VP aud is another verifier', library: 'reject', failingStep: 'holder-binding', rationale: 'verifyPresentationJwt compares aud with the expected audience' },
  { id: 'replayed-nonce', description: 'the same VP presented a second time', library: 'not-checked', failingStep: 'holder-binding', rationale: 'the library keeps no nonce state' },
  { id: 'tampered-anchor-proof', description: 'a sibling hash of the inclusion proof altered', library: 'not-checked', failingStep: 'anchoring', rationale: 'anchoring is a FLORA extension the library does not know' },
  { id: 'holder-mismatch', description: 'VP signed by a did:key other than the credential subject', library: 'reject', failingStep: 'holder-binding', rationale: 'validateCredentialSubject: VC sub must equal the VP holder' },
  { id: 'chain-gap', description: 'milestones 1 and 3 of a chained case presented, 2 withheld', library: 'not-checked', failingStep: 'case-consistency', rationale: 'previousMilestoneHash is domain data the library does not interpret' },
]
