import { randomUUID } from 'node:crypto'
import { type EcPublicJwk, onboardingKeyClaims } from '../core/index.ts'
import type { Signer } from '../keys/index.ts'

/** EBSI's built-in schema ids (pre-registered in @cef-ebsi/verifiable-credential, never fetched). */
export const EBSI_BUILTIN_SCHEMAS = {
  /** VCDM 1.1 Verifiable Attestation 2024-01. */
  verifiableAttestation: 'zDpWGUBenmqXzurskry9Nsk6vq2R8thh9VSeoRqguoyMD',
  /** VCDM 1.1 Verifiable Accreditation Record 2024-01. */
  verifiableAccreditation: 'zG6xY9DG2CWyhsSc544hEezbQRmkQCfvgXGdCqt69v8TA',
  /** VCDM 1.1 StatusList2021Credential 2024-01. */
  statusList2021Credential: 'z7DmpwC9doRxZrtQ9PBjz8qQgGWqojkGExELnrw1x8qdi',
} as const

/** The accreditation and authorisation types of EBSI's trust model. */
export type AccreditationKind =
  | 'VerifiableAuthorisationForTrustChain'
  | 'VerifiableAccreditationToAccredit'
  | 'VerifiableAccreditationToAttest'
  | 'VerifiableAuthorisationToOnboard'

/** One `accreditedFor` entry. */
export interface AccreditedForEntry {
  schemaId: string
  types: string[]
  limitJurisdiction?: string
}

/** Who signs a credential: a DID and its P-256 assertion key (ES256). */
export interface CredentialIssuer {
  did: string
  signer: Signer
}

/**
 * Signs a VCDM 1.1 credential as a JWT in EBSI's encoding: `jti`=id, `sub`=subject id, `iss`,
 * `nbf`=validFrom, `iat`=issued, `exp`=expirationDate, header {typ: JWT, alg, kid: did#thumbprint};
 * `claims` are further JWT claims beside `vc` (e.g. `cnf`).
 */
export async function signCredentialJwt(
  issuer: CredentialIssuer,
  vc: Record<string, unknown> & {
    id: string
    validFrom: string
    issued: string
    expirationDate?: string
    credentialSubject: { id?: string; [member: string]: unknown }
  },
  claims: Record<string, unknown> = {},
): Promise<string> {
  const payload: Record<string, unknown> = {
    ...claims,
    jti: vc.id,
    ...(vc.credentialSubject.id ? { sub: vc.credentialSubject.id } : {}),
    iss: issuer.did,
    nbf: Math.floor(Date.parse(vc.validFrom) / 1000),
    iat: Math.floor(Date.parse(vc.issued) / 1000),
    ...(vc.expirationDate ? { exp: Math.floor(Date.parse(vc.expirationDate) / 1000) } : {}),
    vc,
  }
  return issuer.signer.signJwt(payload, { typ: 'JWT', kid: `${issuer.did}#${issuer.signer.kid}` })
}

/** Options of {@link issueAccreditation}. */
export type IssueAccreditationArgs = CommonAccreditationArgs &
  (
    | {
        kind: 'VerifiableAuthorisationToOnboard'
        /**
         * The subject's secp256k1 controller key: the only key its didr_invite may be signed with and
         * its DID document may be inserted with (a FLORA binding beyond EBSI; see the node README).
         */
        controllerKey: EcPublicJwk
      }
    | { kind: Exclude<AccreditationKind, 'VerifiableAuthorisationToOnboard'>; controllerKey?: never }
  )

interface CommonAccreditationArgs {
  issuer: CredentialIssuer
  subjectDid: string
  /** Absolute URL prefix of the TSR schemas (`<base>/trusted-schemas-registry/v3/schemas`). */
  schemasUrl: string
  /** The attribute id reserved for the subject in the TIR (0x + 32 bytes hex). */
  reservedAttributeId?: string
  accreditedFor?: AccreditedForEntry[]
  /** The issuer's own TIR attribute URL (IssuanceCertificate); omitted for a self-attested root. */
  termsOfUse?: string
  /** Validity (default: now .. +5 years). */
  validFrom?: Date
  expirationDate?: Date
}

/**
 * Issues an accreditation/authorisation credential (VerifiableAccreditationToAttest and friends)
 * in the shape EBSI's test scripts and the TIR use.
 */
export function issueAccreditation(args: IssueAccreditationArgs): Promise<string> {
  const validFrom = isoSeconds(args.validFrom ?? new Date())
  const expirationDate = isoSeconds(args.expirationDate ?? new Date(Date.now() + 5 * 365 * 86_400_000))
  const accreditation = args.kind !== 'VerifiableAuthorisationToOnboard'
  const vc = {
    '@context': ['https://www.w3.org/2018/credentials/v1'],
    id: `urn:uuid:${randomUUID()}`,
    type: [
      'VerifiableCredential',
      'VerifiableAttestation',
      ...(args.kind === 'VerifiableAccreditationToAccredit' || args.kind === 'VerifiableAccreditationToAttest'
        ? ['VerifiableAccreditation']
        : []),
      args.kind,
    ],
    issuer: args.issuer.did,
    issuanceDate: validFrom,
    issued: validFrom,
    validFrom,
    expirationDate,
    credentialSubject: {
      id: args.subjectDid,
      ...(args.reservedAttributeId ? { reservedAttributeId: args.reservedAttributeId } : {}),
      ...(args.accreditedFor ? { accreditedFor: args.accreditedFor } : {}),
    },
    credentialSchema: {
      id: `${args.schemasUrl}/${accreditation ? EBSI_BUILTIN_SCHEMAS.verifiableAccreditation : EBSI_BUILTIN_SCHEMAS.verifiableAttestation}`,
      type: 'FullJsonSchemaValidator2021',
    },
    ...(args.termsOfUse ? { termsOfUse: { id: args.termsOfUse, type: 'IssuanceCertificate' } } : {}),
  }
  return signCredentialJwt(
    args.issuer,
    vc,
    args.kind === 'VerifiableAuthorisationToOnboard' ? onboardingKeyClaims(args.controllerKey) : {},
  )
}

/** ISO 8601 without milliseconds (JWT claims have second precision; EBSI compares them). */
export function isoSeconds(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`
}
