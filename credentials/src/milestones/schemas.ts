/**
 * Builds the two JSON Schemas (2020-12) of a milestone from its catalogue entry:
 * - the subject schema (credentialSubject: common members + the milestone's claims, closed);
 * - the credential schema, the document registered on EBSI's Trusted Schemas Registry and validated by
 *   `@cef-ebsi/verifiable-credential` against the JWT's `vc` object. It is self-contained (no `$ref`),
 *   has no `$id` (the TSR assigns the id; EBSI's library refuses URN ids and shares one Ajv instance
 *   in which two schemas with the same `$id` collide), and mirrors EBSI's VCDM 1.1 Verifiable
 *   Attestation schema (`@cef-ebsi/vcdm1.1-attestation-schema`), tightened: closed objects
 *   throughout, exactly the three types, a did:ebsi issuer, and StatusList2021Entry status entries.
 */

import type { JsonSchema, MilestoneDefinition } from './types.ts'
import { CREDENTIAL_HASH_PATTERN, DID_EBSI_PATTERN, DID_KEY_PATTERN, dateClaim } from './vocabulary.ts'

const JSON_SCHEMA_2020_12 = 'https://json-schema.org/draft/2020-12/schema'

/** The VCDM 1.1 base context, which EBSI requires as the first `@context` entry. */
export const VCDM_1_1_CONTEXT = 'https://www.w3.org/2018/credentials/v1'

/** Names of the members every milestone credentialSubject carries. */
export const commonSubjectMembers = [
  'id',
  'previousMilestoneHash',
  'supersedes',
  'eurodacCommitment',
  'milestoneDate',
] as const

/**
 * Salted commitment to the Eurodac reference number.
 * `value` = base64url(SHA-256(salt ‖ UTF-8(normalised reference))), `salt` = base64url of ≥ 16 random
 * bytes chosen per credential. See `commitments.ts` for the reasoning.
 */
export const eurodacCommitmentSchema: JsonSchema = {
  description:
    'Salted commitment to the Eurodac reference number: value = base64url(SHA-256(salt || UTF-8(reference))). A verifier who holds the number can confirm it; the number itself is never in the credential.',
  type: 'object',
  properties: {
    alg: { description: 'Hash algorithm (IANA name).', type: 'string', const: 'sha-256' },
    salt: {
      description: 'Per-credential random salt, unpadded base64url of 16 to 64 bytes.',
      type: 'string',
      pattern: '^[A-Za-z0-9_-]{22,86}$',
    },
    value: {
      description: 'Unpadded base64url of the 32-byte digest.',
      type: 'string',
      pattern: '^[A-Za-z0-9_-]{43}$',
    },
  },
  required: ['alg', 'salt', 'value'],
  additionalProperties: false,
}

function credentialHashClaim(description: string): JsonSchema {
  return { description, type: 'string', pattern: CREDENTIAL_HASH_PATTERN }
}

function commonSubjectProperties(definition: MilestoneDefinition): Record<string, JsonSchema> {
  return {
    id: {
      description:
        "The case wallet's holder DID (did:key, EBSI natural-person profile); the case's only reference.",
      type: 'string',
      pattern: DID_KEY_PATTERN,
      maxLength: 512,
    },
    previousMilestoneHash: {
      description:
        "Hash of the case's previous milestone credential (sha-256: + base64url of SHA-256 over the JWT string); null only for the first milestone of a case.",
      anyOf: [credentialHashClaim('Hash of the previous milestone credential.'), { type: 'null' }],
    },
    supersedes: credentialHashClaim(
      'Hash of the credential this one corrects (it is revoked on issuance of this one).',
    ),
    eurodacCommitment: eurodacCommitmentSchema,
    milestoneDate: dateClaim(definition.milestoneDateMeaning),
  }
}

/**
 * Builds the credentialSubject schema of a milestone.
 * @param definition - catalogue entry
 * @returns a closed JSON Schema 2020-12 of the credentialSubject
 */
export function buildSubjectSchema(definition: MilestoneDefinition): JsonSchema {
  return {
    $schema: JSON_SCHEMA_2020_12,
    title: `${definition.type} credentialSubject, version ${definition.version}`,
    description: definition.description,
    type: 'object',
    properties: { ...commonSubjectProperties(definition), ...definition.claims.properties },
    required: ['id', 'previousMilestoneHash', 'milestoneDate', ...definition.claims.required],
    additionalProperties: false,
  }
}

function oneOrMany(item: JsonSchema): JsonSchema {
  return { anyOf: [item, { type: 'array', items: item, minItems: 1 }] }
}

const IDENTIFIER_PATTERN = '^[A-Za-z][A-Za-z0-9]*$'

const credentialSchemaEntry: JsonSchema = {
  description: 'A schema on the Trusted Schemas Registry that validates this credential.',
  type: 'object',
  properties: {
    id: {
      description: 'TSR URL of the schema.',
      type: 'string',
      format: 'uri',
      pattern: '^https?://[^/?#]+/trusted-schemas-registry/v[0-9]+/schemas/[^/?#]+$',
    },
    type: { type: 'string', enum: ['FullJsonSchemaValidator2021', 'JsonSchema'] },
  },
  required: ['id', 'type'],
  additionalProperties: false,
}

const statusList2021Entry: JsonSchema = {
  description: 'StatusList2021 entry; the list is reached through the issuer’s TIR proxy.',
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uri' },
    type: { type: 'string', const: 'StatusList2021Entry' },
    statusPurpose: { type: 'string', enum: ['revocation', 'suspension'] },
    statusListIndex: { type: 'string', pattern: '^(0|[1-9][0-9]{0,9})$' },
    statusListCredential: { type: 'string', format: 'uri' },
  },
  required: ['id', 'type', 'statusPurpose', 'statusListIndex', 'statusListCredential'],
  additionalProperties: false,
}

const termsOfUseEntry: JsonSchema = {
  description: 'Terms of use; for milestones an IssuanceCertificate pointing at the issuer’s TIR attribute.',
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uri' },
    type: { type: 'string', pattern: IDENTIFIER_PATTERN },
  },
  required: ['type'],
  additionalProperties: false,
}

const evidenceEntry: JsonSchema = {
  description: 'Evidence of the issuance process, by reference only (no embedded documents).',
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uri' },
    type: {
      anyOf: [
        { type: 'string', pattern: IDENTIFIER_PATTERN },
        { type: 'array', items: { type: 'string', pattern: IDENTIFIER_PATTERN }, minItems: 1 },
      ],
    },
  },
  required: ['type'],
  additionalProperties: false,
}

const dateTime = (description: string): JsonSchema => ({ description, type: 'string', format: 'date-time' })

/**
 * Builds the full credential schema of a milestone (the TSR document), validating the JWT's `vc`.
 * @param definition - catalogue entry
 * @returns a self-contained JSON Schema 2020-12 without `$id`
 */
export function buildCredentialSchema(definition: MilestoneDefinition): JsonSchema {
  const { $schema: _ignored, ...subject } = buildSubjectSchema(definition)
  return {
    $schema: JSON_SCHEMA_2020_12,
    title: `FLORA-VC ${definition.type}, version ${definition.version}`,
    description: `EBSI Verifiable Attestation (VCDM 1.1) of the asylum-procedure milestone "${definition.title.en}". ${definition.description}`,
    type: 'object',
    properties: {
      '@context': {
        description: `Semantic context; the first element must be ${VCDM_1_1_CONTEXT}.`,
        type: 'array',
        items: { type: 'string', format: 'uri' },
        contains: { const: VCDM_1_1_CONTEXT },
        minItems: 1,
        uniqueItems: true,
      },
      id: { description: 'Globally unique identifier of the credential.', type: 'string', format: 'uri' },
      type: {
        description: 'Full type chain.',
        type: 'array',
        const: ['VerifiableCredential', 'VerifiableAttestation', definition.type],
      },
      issuer: {
        description: 'DID of the issuing authority (did:ebsi legal entity).',
        anyOf: [
          { type: 'string', pattern: DID_EBSI_PATTERN },
          {
            type: 'object',
            properties: { id: { type: 'string', pattern: DID_EBSI_PATTERN } },
            required: ['id'],
            additionalProperties: false,
          },
        ],
      },
      issuanceDate: dateTime('When the credential becomes valid (equal to validFrom).'),
      issued: dateTime('When the credential was issued.'),
      validFrom: dateTime('When the credential becomes valid.'),
      validUntil: dateTime('When the credential expires.'),
      expirationDate: dateTime('When the credential expires.'),
      credentialSubject: subject,
      credentialStatus: oneOrMany(statusList2021Entry),
      credentialSchema: oneOrMany(credentialSchemaEntry),
      termsOfUse: oneOrMany(termsOfUseEntry),
      evidence: oneOrMany(evidenceEntry),
    },
    required: [
      '@context',
      'id',
      'type',
      'issuer',
      'issuanceDate',
      'issued',
      'validFrom',
      'credentialSubject',
      'credentialSchema',
    ],
    additionalProperties: false,
  }
}

/**
 * credentialSubject schema of the StatusList2021 credential (types `VerifiableCredential`,
 * `VerifiableAttestation`, `StatusList2021Credential`). The list itself is published by
 * EBSI's `@cef-ebsi/vcdm1.1-revocation-statuslist-schema`; this closed variant is for our issuer's own
 * checks before signing.
 */
export const statusList2021CredentialSubjectSchema: JsonSchema = Object.freeze({
  $schema: JSON_SCHEMA_2020_12,
  title: 'StatusList2021Credential credentialSubject',
  type: 'object',
  properties: {
    id: { description: 'URL of the list, ending in #list.', type: 'string', format: 'uri' },
    type: { type: 'string', const: 'StatusList2021' },
    statusPurpose: { type: 'string', enum: ['revocation', 'suspension'] },
    encodedList: {
      description: 'base64(gzip(bitstring)), bitstring of at least 16 KB.',
      type: 'string',
      pattern: '^[A-Za-z0-9+/_-]+={0,2}$',
    },
  },
  required: ['id', 'type', 'statusPurpose', 'encodedList'],
  additionalProperties: false,
})
