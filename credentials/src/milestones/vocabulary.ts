/**
 * Building blocks of the claims schemas: the only kinds of value a milestone may carry (dates,
 * booleans, enumerations, member-state codes, article references, authority DIDs). Every string
 * claim is closed by `format` + `pattern`, `enum`/`const` or a tight `pattern`, so no free text can
 * carry a name, an address or a file number.
 */

import type { JsonSchema } from './types.ts'

/** States applying the Dublin III Regulation / the AMMR: EU 27 + IS, LI, NO, CH (ISO 3166-1 alpha-2). */
export const dublinStates = [
  'AT',
  'BE',
  'BG',
  'CY',
  'CZ',
  'DE',
  'DK',
  'EE',
  'ES',
  'FI',
  'FR',
  'GR',
  'HR',
  'HU',
  'IE',
  'IT',
  'LT',
  'LU',
  'LV',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SE',
  'SI',
  'SK',
  'IS',
  'LI',
  'NO',
  'CH',
] as const

/** The German Länder (ISO 3166-2:DE), used for the EASY allocation. */
export const germanLaender = [
  'DE-BB',
  'DE-BE',
  'DE-BW',
  'DE-BY',
  'DE-HB',
  'DE-HE',
  'DE-HH',
  'DE-MV',
  'DE-NI',
  'DE-NW',
  'DE-RP',
  'DE-SH',
  'DE-SL',
  'DE-SN',
  'DE-ST',
  'DE-TH',
] as const

/** Dublin request types (issue 4): take charge, take back, take back under Art. 24, AMMR take back notification. */
export const dublinRequestTypes = ['TCR', 'TBR', 'TBR_ART24', 'TBN'] as const

/** Reply types to a request or notification (issue 4). */
export const dublinReplyTypes = ['acceptance', 'rejection', 'confirmation', 'nonConfirmation'] as const

/** Grounds of an urgent request (Dublin III Art. 21(2)). */
export const urgentRequestGrounds = [
  'refusalOfEntry',
  'irregularStayApprehension',
  'removalOrder',
  'detention',
] as const

/** Grounds of a transfer-period extension (Dublin III Art. 29(2); AMMR Art. 46(2), Reg. 2025/2055 Art. 28(2)). */
export const extensionGrounds = [
  'absconding',
  'imprisonment',
  'physicalResistance',
  'intentionalUnfitness',
  'medicalNonCompliance',
] as const

/** RFC 3339 full-date, also as a pattern so that validators that treat `format` as annotation still close it. */
export const DATE_PATTERN = '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'

/** A case wallet's holder DID: EBSI natural-person did:key (base58btc multibase). */
export const DID_KEY_PATTERN = '^did:key:z[1-9A-HJ-NP-Za-km-z]+$'

/** An authority's legal-entity DID (did:ebsi, base58btc multibase). */
export const DID_EBSI_PATTERN = '^did:ebsi:z[1-9A-HJ-NP-Za-km-z]+$'

/**
 * Hash of a credential: `sha-256:` + unpadded base64url of the 32-byte SHA-256 digest of the compact
 * JWS (the JWT string, ASCII). The prefix is the IANA hash name also used by EBSI's Timestamp API.
 */
export const CREDENTIAL_HASH_PATTERN = '^sha-256:[A-Za-z0-9_-]{43}$'

/** An article reference such as `Art. 18(1)(b)` or `Art. 13(1)` (informative legal basis, no free text). */
export const ARTICLE_REFERENCE_PATTERN = '^Art\\. [0-9]{1,3}(\\([0-9]{1,2}[a-z]?\\))*(\\([a-z]\\))*$'

/** A date claim (RFC 3339 full-date). */
export function dateClaim(description: string): JsonSchema {
  return { description, type: 'string', format: 'date', pattern: DATE_PATTERN }
}

/** A boolean claim. */
export function booleanClaim(description: string): JsonSchema {
  return { description, type: 'boolean' }
}

/** A boolean claim that can only be `true` (the milestone attests that something happened). */
export function trueClaim(description: string): JsonSchema {
  return { description, type: 'boolean', const: true }
}

/** An enumerated string claim. */
export function enumClaim(values: readonly string[], description: string): JsonSchema {
  return { description, type: 'string', enum: [...values] }
}

/** An enumerated integer claim. */
export function integerEnumClaim(values: readonly number[], description: string): JsonSchema {
  return { description, type: 'integer', enum: [...values] }
}

/** A Dublin state (ISO 3166-1 alpha-2). */
export function dublinStateClaim(description: string): JsonSchema {
  return enumClaim(dublinStates, description)
}

/** An article reference (see {@link ARTICLE_REFERENCE_PATTERN}). */
export function articleReferenceClaim(description: string): JsonSchema {
  return { description, type: 'string', pattern: ARTICLE_REFERENCE_PATTERN, maxLength: 32 }
}

/** An authority DID (did:ebsi); authorities are legal entities, never persons. */
export function authorityClaim(description: string): JsonSchema {
  return { description, type: 'string', pattern: DID_EBSI_PATTERN, maxLength: 64 }
}

/** A closed object claim (for grouped facts such as an urgent-request block). */
export function objectClaim(
  description: string,
  properties: { readonly [name: string]: JsonSchema },
  required: readonly string[],
): JsonSchema {
  return { description, type: 'object', properties, required: [...required], additionalProperties: false }
}
