/**
 * Public surface of the milestone catalogue: every asylum-procedure milestone with its credential
 * type, JSON Schemas (2020-12), issuing roles and the Dublin facts it feeds. Pure; no I/O, no clock.
 */

export { type AbsenceAsOfCheck, checkAbsenceAsOf } from './absence.ts'
export {
  assertMayIssueMilestone,
  checkMilestoneDefinitions,
  credentialSchemaFor,
  factsFedBy,
  getMilestone,
  isAbsenceMilestone,
  isMilestoneType,
  type MilestoneCatalogueEntry,
  type MilestoneType,
  mayIssueMilestone,
  milestoneCatalogue,
  milestonesIssuableBy,
  milestoneTypesByRole,
  subjectSchemaFor,
} from './catalogue.ts'
export {
  computeCredentialHash,
  credentialHashFromDigest,
  createEurodacCommitment,
  decodeBase64url,
  EURODAC_COMMITMENT_MIN_SALT_BYTES,
  type EurodacCommitment,
  encodeBase64url,
  normaliseEurodacReference,
  verifyEurodacCommitment,
} from './commitments.ts'
export {
  CredentialsError,
  MilestoneCatalogueInvalid,
  MilestoneClaimsInvalid,
  MilestoneNotAccredited,
  type MilestoneValidationIssue,
  UnknownAuthorityRole,
  UnknownMilestoneType,
} from './errors.ts'
export {
  assembleDublinFacts,
  type ChainAbsence,
  type CompleteChainInput,
  completeChainAbsences,
  type DeclaredFact,
  declarableFactRoots,
  FactAssemblyInputError,
  type DublinFactAssembly,
  type DublinFactAssemblyInput,
  eventFactRoots,
  type FactConflict,
  type FactProvenance,
  type FactSourceCredential,
} from './fact-assembly.ts'
export { applyFactAssignments, type FactAssignment, milestoneFactAssignments } from './fact-mapping.ts'
export {
  type AuthorityRole,
  type AuthorityRoleDefinition,
  authorityRoleCatalogue,
  authorityRoles,
  isAuthorityRole,
} from './roles.ts'
export {
  commonSubjectMembers,
  eurodacCommitmentSchema,
  statusList2021CredentialSubjectSchema,
  VCDM_1_1_CONTEXT,
} from './schemas.ts'
export {
  absenceFactPaths,
  type DublinFactPath,
  dublinFactPaths,
  type FactMapping,
  type JsonSchema,
  type LocalizedText,
  type MilestoneClaimsDefinition,
  type MilestoneDefinition,
  type ProcedureStage,
  procedureStages,
} from './types.ts'
export {
  assertValidMilestoneClaims,
  type MilestoneValidationResult,
  validateMilestoneClaims,
  validateMilestoneCredential,
} from './validation.ts'
export {
  CREDENTIAL_HASH_PATTERN,
  DID_EBSI_PATTERN,
  DID_KEY_PATTERN,
  dublinReplyTypes,
  dublinRequestTypes,
  dublinStates,
  extensionGrounds,
  germanLaender,
  urgentRequestGrounds,
} from './vocabulary.ts'
