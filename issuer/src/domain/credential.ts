/**
 * The milestone credential as a JWT VC in EBSI's VCDM 1.1 VerifiableAttestation profile. Pure: the
 * caller supplies ids, clock and URLs.
 */

export const VCDM_1_1_CONTEXT = 'https://www.w3.org/2018/credentials/v1'

/**
 * Default validity of a milestone credential, in months. A credential issued at the first milestone
 * (referral) must still verify when the last act of the Dublin procedure happens:
 *   3 months to send the request (Art. 21(1)) + 2 months for the reply (Art. 22(1))
 *   + ~5 weeks re-examination (Art. 5(2) Reg. 1560/2003)
 *   + the transfer period, 6 months, restarting in full when suspensive effect ends (Art. 29(1)),
 *     which can be a year after the transfer decision in appeal proceedings
 *   + extension to 18 months for absconding (Art. 29(2))
 * = about 3 + 2 + 1.25 + 12 + 18 ≈ 36 months. Status lists, not expiry, withdraw a credential early.
 */
export const DEFAULT_CREDENTIAL_VALIDITY_MONTHS = 36

/**
 * The issuance day of a credential signed at `issuedAt`: the UTC day of its `issuanceDate`. The
 * issuer has no time zone of its own and the credential states its issuance in UTC, so this is the
 * day a verifier compares an absence's as-of day with. An absence as of a day can be signed
 * from the next UTC day on; near midnight this errs towards refusal (at 00:30 in Berlin the UTC day
 * is still yesterday, so an absence as of yesterday waits an hour or two).
 */
export function issuanceDayOf(issuedAt: Date): string {
  return issuedAt.toISOString().slice(0, 10)
}

/** Adds whole months (UTC), clamping to the last day of the target month. */
export function addMonths(date: Date, months: number): Date {
  const result = new Date(date.getTime())
  const day = result.getUTCDate()
  result.setUTCDate(1)
  result.setUTCMonth(result.getUTCMonth() + months)
  const lastDay = new Date(Date.UTC(result.getUTCFullYear(), result.getUTCMonth() + 1, 0)).getUTCDate()
  result.setUTCDate(Math.min(day, lastDay))
  return result
}

export interface StatusEntryRef {
  purpose: 'revocation' | 'suspension'
  index: number
  /** URL of the StatusList2021Credential through the issuer's TIR proxy. */
  listUrl: string
}

export interface MilestoneCredentialInput {
  credentialId: string
  issuerDid: string
  /** `did:ebsi:…#<thumbprint>` of the assertion key. */
  kid: string
  type: string
  holderDid: string
  /** Milestone claims without the common members the issuer sets. */
  claims: Record<string, unknown>
  previousMilestoneHash: string | null
  supersedes?: string
  milestoneSchemaUrl: string
  statusSchemaUrl: string
  attributeUrl: string
  status: StatusEntryRef[]
  issuedAt: Date
  validityMonths: number
}

/** The JWT header and payload (claims mirror the `vc` members as EBSI's library checks). */
export function buildMilestoneCredential(input: MilestoneCredentialInput): {
  header: Record<string, unknown>
  payload: Record<string, unknown>
} {
  const issued = new Date(Math.floor(input.issuedAt.getTime() / 1000) * 1000)
  const expires = addMonths(issued, input.validityMonths)
  const iso = (date: Date) => date.toISOString().replace('.000Z', 'Z')
  const credentialSubject: Record<string, unknown> = {
    ...input.claims,
    id: input.holderDid,
    previousMilestoneHash: input.previousMilestoneHash,
    ...(input.supersedes ? { supersedes: input.supersedes } : {}),
  }
  const vc = {
    '@context': [VCDM_1_1_CONTEXT],
    id: input.credentialId,
    type: ['VerifiableCredential', 'VerifiableAttestation', input.type],
    issuer: input.issuerDid,
    issuanceDate: iso(issued),
    issued: iso(issued),
    validFrom: iso(issued),
    expirationDate: iso(expires),
    credentialSubject,
    credentialSchema: [
      { id: input.milestoneSchemaUrl, type: 'FullJsonSchemaValidator2021' },
      { id: input.statusSchemaUrl, type: 'FullJsonSchemaValidator2021' },
    ],
    credentialStatus: input.status.map((entry) => ({
      id: `${entry.listUrl}#${entry.index}`,
      type: 'StatusList2021Entry',
      statusPurpose: entry.purpose,
      statusListIndex: String(entry.index),
      statusListCredential: entry.listUrl,
    })),
    termsOfUse: { id: input.attributeUrl, type: 'IssuanceCertificate' },
  }
  const seconds = (date: Date) => Math.floor(date.getTime() / 1000)
  return {
    header: { alg: 'ES256', typ: 'JWT', kid: input.kid },
    payload: {
      iss: input.issuerDid,
      sub: input.holderDid,
      jti: input.credentialId,
      iat: seconds(issued),
      nbf: seconds(issued),
      exp: seconds(expires),
      vc,
    },
  }
}

export interface StatusListCredentialInput {
  issuerDid: string
  kid: string
  listUrl: string
  purpose: 'revocation' | 'suspension'
  encodedList: string
  statusListSchemaUrl: string
  issuedAt: Date
  /** Validity of one signed list snapshot. */
  ttlSeconds: number
}

/** The StatusList2021Credential (JWT) of one list snapshot. */
export function buildStatusListCredential(input: StatusListCredentialInput): {
  header: Record<string, unknown>
  payload: Record<string, unknown>
} {
  const issued = new Date(Math.floor(input.issuedAt.getTime() / 1000) * 1000)
  const expires = new Date(issued.getTime() + input.ttlSeconds * 1000)
  const iso = (date: Date) => date.toISOString().replace('.000Z', 'Z')
  const seconds = (date: Date) => Math.floor(date.getTime() / 1000)
  const vc = {
    '@context': [VCDM_1_1_CONTEXT],
    id: input.listUrl,
    type: ['VerifiableCredential', 'VerifiableAttestation', 'StatusList2021Credential'],
    issuer: input.issuerDid,
    issuanceDate: iso(issued),
    issued: iso(issued),
    validFrom: iso(issued),
    expirationDate: iso(expires),
    credentialSubject: {
      id: `${input.listUrl}#list`,
      type: 'StatusList2021',
      statusPurpose: input.purpose,
      encodedList: input.encodedList,
    },
    credentialSchema: { id: input.statusListSchemaUrl, type: 'FullJsonSchemaValidator2021' },
  }
  return {
    header: { alg: 'ES256', typ: 'JWT', kid: input.kid },
    payload: {
      iss: input.issuerDid,
      sub: `${input.listUrl}#list`,
      jti: input.listUrl,
      iat: seconds(issued),
      nbf: seconds(issued),
      exp: seconds(expires),
      vc,
    },
  }
}
