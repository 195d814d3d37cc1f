import { DEADLINE_KINDS, DUBLIN_STATUSES } from '@flora/credentials'
import { z } from 'zod'

/** Zod schemas of the issuer's HTTP API: routes validate with them, /openapi.json is built from them. */
export const loginBody = z
  .object({
    username: z.string().min(1).max(200),
    password: z.string().min(1).max(1000),
    authorityId: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'a lower-case slug (a-z, 0-9, -)')
      .describe(
        'The authority of the account (GET /authorities lists them): usernames are unique per authority only',
      ),
  })
  .strict()
export const staffRole = z.enum(['staff', 'admin'])
export const createStaffBody = z
  .object({ username: z.string().min(3).max(200), password: z.string().min(10).max(1000), role: staffRole })
  .strict()
export const createApiTokenBody = z
  .object({ name: z.string().min(1).max(200), role: staffRole.default('staff') })
  .strict()
export const openCaseBody = z
  .object({
    holderDid: z
      .string()
      .startsWith('did:key:z')
      .max(1000)
      .describe("The case wallet's holder DID (EBSI did:key, P-256)"),
    fileNumber: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .describe('Internal file number; stays in the issuer database'),
  })
  .strict()
export const grantBody = z.object({ authorityId: z.string().min(1).max(100) }).strict()
export const recordMilestoneBody = z
  .object({
    type: z.string().min(1).max(100).describe('Milestone credential type of the catalogue'),
    claims: z
      .record(z.string(), z.unknown())
      .describe(
        'Milestone claims (catalogue subject schema, without id/previousMilestoneHash/supersedes/eurodacCommitment). For an absence attestation (`attests: absence` in the catalogue) `milestoneDate` is the as-of day and must lie before today (UTC): the day must be over; otherwise 400 naming /claims/milestoneDate.',
      ),
    eurodacReference: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .describe('Eurodac reference; only a salted commitment is kept'),
    delivery: z
      .enum(['in-time', 'deferred'])
      .optional()
      .describe('deferred: delivered once anchored (EBSI v3 acceptance_token)'),
  })
  .strict()
export const correctMilestoneBody = recordMilestoneBody.omit({ type: true })
export const listCasesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional().describe('`next` of the previous page'),
})

export const auditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  before: z.coerce.number().int().min(1).optional(),
})

const offer = z.object({ credentialOffer: z.record(z.string(), z.unknown()), uri: z.string() })
export const milestoneOfferResponse = z.object({
  milestoneId: z.string(),
  caseId: z.string(),
  type: z.string(),
  state: z.string(),
  offerExpiresAt: z.string(),
  txCode: z.string().describe('Transaction code the staff hands to the holder'),
  offers: z.object({ 'ebsi-v3': offer, v1: offer }),
  supersedes: z.string().optional(),
})
export const milestoneView = z.object({
  id: z.string(),
  caseId: z.string(),
  authorityId: z.string(),
  type: z.string(),
  claims: z.record(z.string(), z.unknown()),
  state: z.enum(['offered', 'issued', 'revoked']),
  suspended: z.boolean(),
  credentialId: z.string().nullable(),
  credentialHash: z.string().nullable(),
  previousMilestoneHash: z.string().nullable(),
  supersedesId: z.string().nullable(),
  createdAt: z.string(),
  issuedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
})

// --- deployment administration (onboarding of tenant authorities and the anchoring identity)
const jwt = z
  .string()
  .regex(/^[\w-]+\.[\w-]+\.[\w-]+$/, 'a compact JWS')
  .max(100_000)
export const authorityIdParam = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'a lower-case slug (a-z, 0-9, -)')
export const createAuthorityBody = z
  .object({
    id: authorityIdParam.describe('Tenant id (slug), e.g. bamf-bochum'),
    name: z.string().min(1).max(200),
    role: z.string().min(1).max(100).describe('Authority role of the milestone catalogue'),
    jurisdiction: z
      .string()
      .regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/, 'ISO 3166-1 alpha-2 or ISO 3166-2, e.g. DE-NW')
      .optional()
      .describe('Where the authority acts (ISO 3166-2), e.g. DE-SN, DE-NW, FR'),
  })
  .strict()
export const onboardingBody = z
  .object({
    authorisationToOnboard: jwt.describe(
      'VerifiableAuthorisationToOnboard (JWT) a TAO issued for the DID and its controller key (`cnf.jwk`)',
    ),
  })
  .strict()
export const accreditationBody = z
  .object({
    attributeId: z
      .string()
      .regex(/^0x[0-9a-fA-F]{64}$/, '0x + 32 bytes hex')
      .describe('The TIR attribute the TAO pre-registered (setAttributeMetadata)'),
    accreditation: jwt.describe(
      'VerifiableAccreditationToAttest (JWT) from the TAO, with reservedAttributeId',
    ),
  })
  .strict()
export const tenantStaffBody = createStaffBody
export const tenantApiTokenBody = createApiTokenBody
const publicKeyView = z.object({ kid: z.string(), publicKeyJwk: z.record(z.string(), z.unknown()) })
export const tenantView = z.object({
  id: z.string(),
  name: z.string(),
  role: z.string(),
  jurisdiction: z.string().nullable(),
  did: z.string().nullable(),
  attributeUrl: z.string().nullable(),
  proxyId: z.string().nullable(),
  stage: z.enum(['created', 'keys', 'registered', 'accredited']),
  didRegistered: z.boolean().optional(),
})
export const tenantDidView = z.object({
  id: z.string(),
  did: z.string(),
  controllerKey: publicKeyView,
  assertionKey: publicKeyView,
})
export const anchoringView = z.object({
  stage: z.enum(['none', 'keys', 'onboarded']),
  did: z.string().nullable(),
  address: z.string().optional(),
  controllerKey: publicKeyView.optional(),
  assertionKey: publicKeyView.optional(),
})

export const deadlinesQuery = z
  .object({
    status: z.enum(DUBLIN_STATUSES).optional().describe('Only cases with this Dublin status'),
    kind: z
      .enum(DEADLINE_KINDS)
      .optional()
      .describe('Only cases with an open deadline of this kind (which then becomes the case’s deadline)'),
    ruleSet: z.enum(['DUBLIN_III', 'AMMR']).optional().describe('Only cases under this rule set'),
    sort: z.enum(['date', 'daysLeft']).default('date'),
    order: z.enum(['asc', 'desc']).default('asc'),
    overdueWithinDays: z.coerce
      .number()
      .int()
      .min(0)
      .max(365)
      .default(30)
      .describe('How long a passed deadline whose act is not recorded stays listed, flagged overdue'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(100_000).default(0).describe('`nextOffset` of the previous page'),
  })
  .strict()
