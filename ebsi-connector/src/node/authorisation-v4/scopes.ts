/**
 * Scopes this node grants and the presentation definition each requires (EBSI Authorisation API v4 scopes).
 * `tsr_write` is not in Authorisation v4's list: it follows the TSR spec, and is granted through
 * the Trusted Policies Registry (the holder's secp256k1 address must hold TSR:insertSchema).
 */
export const SCOPES = [
  'didr_invite',
  'didr_write',
  'tir_invite',
  'tir_write',
  'timestamp_write',
  'tsr_write',
] as const
export type Scope = (typeof SCOPES)[number]

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value)
}

/** Parses `openid <scope>`; undefined when it is not exactly that. */
export function parseScope(scope: unknown): Scope | undefined {
  if (typeof scope !== 'string') return undefined
  const parts = scope.trim().split(/\s+/)
  if (parts.length !== 2 || parts[0] !== 'openid') return undefined
  const custom = parts[1] as string
  return isScope(custom) ? custom : undefined
}

const jwtVc = { jwt_vc: { alg: ['ES256'] }, jwt_vc_json: { alg: ['ES256'] } }

/** Input descriptors required per scope (empty for write scopes). */
const DESCRIPTORS: Record<Scope, { id: string; name: string; purpose: string; types: string[] } | undefined> =
  {
    didr_invite: {
      id: 'didr_invite_credential',
      name: 'Accreditation to write to the DID Registry',
      purpose: 'Please present a valid VerifiableAuthorisationToOnboard issued by Root TAO or TAO',
      types: ['VerifiableAuthorisationToOnboard'],
    },
    tir_invite: {
      id: 'tir_invite_credential',
      name: 'Accreditation to write to the Trusted Issuers Registry',
      purpose:
        'Please present a valid VerifiableAuthorisationForTrustChain from EBSI TO, or a Verifiable Accreditation (VerifiableAccreditationToAttest, VerifiableAccreditationToAccredit) issued by Root TAO or TAO.',
      types: [
        'VerifiableAuthorisationForTrustChain',
        'VerifiableAccreditationToAttest',
        'VerifiableAccreditationToAccredit',
      ],
    },
    didr_write: undefined,
    tir_write: undefined,
    timestamp_write: undefined,
    tsr_write: undefined,
  }

const PURPOSE: Record<Scope, string> = {
  didr_invite: '',
  tir_invite: '',
  didr_write: 'Please present a valid Presentation signed by a registered Legal Entity.',
  tir_write: 'Please present a valid Presentation signed by a Trusted Issuer.',
  timestamp_write: 'Please present an empty Presentation signed by a registered Legal Entity.',
  tsr_write:
    'Please present an empty Presentation signed by a Legal Entity holding TSR rights in the Trusted Policies Registry.',
}

/** The types a VC must have for the scope's input descriptor (any of them), or undefined. */
export function requiredCredentialTypes(scope: Scope): string[] | undefined {
  return DESCRIPTORS[scope]?.types
}

export function definitionIdOf(scope: Scope): string {
  return `${scope}_presentation`
}

/** The Presentation Exchange 2.0 definition of a scope, as EBSI serves it. */
export function presentationDefinitionOf(scope: Scope): Record<string, unknown> {
  const descriptor = DESCRIPTORS[scope]
  if (!descriptor) {
    return {
      id: definitionIdOf(scope),
      name: 'Any type of Verifiable Attestation',
      purpose: PURPOSE[scope],
      format: { jwt_vp: { alg: ['ES256'] } },
      input_descriptors: [],
    }
  }
  const filter =
    descriptor.types.length === 1
      ? { type: 'array', contains: { const: descriptor.types[0] } }
      : // EBSI's example writes contains.anyOf, which its own filter schema forbids; enum is equivalent.
        { type: 'array', contains: { type: 'string', enum: descriptor.types } }
  return {
    id: definitionIdOf(scope),
    format: { jwt_vp: { alg: ['ES256'] } },
    input_descriptors: [
      {
        id: descriptor.id,
        name: descriptor.name,
        purpose: descriptor.purpose,
        format: jwtVc,
        constraints: { fields: [{ path: ['$.vc.type'], filter }] },
      },
    ],
  }
}
