/**
 * Errors of @flora/credentials, jose-style: one base class, one subclass per failure, each with a
 * stable `code`. Nothing here knows HTTP; services map `code` to a status in their problem+json funnel.
 *
 * The base class lives here because the catalogue was the package's first module; the Dublin rule
 * set imports it from `../milestones/errors.ts` (or the lead moves it to `src/errors.ts`).
 */

/** Base of every failure raised by @flora/credentials. */
export class CredentialsError extends Error {
  /** Stable machine-readable code, e.g. `ERR_UNKNOWN_MILESTONE_TYPE`. */
  code = 'ERR_CREDENTIALS'
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = new.target.name
  }
}

/** A milestone credential type that the catalogue does not define. */
export class UnknownMilestoneType extends CredentialsError {
  override code = 'ERR_UNKNOWN_MILESTONE_TYPE'
  /** The type that was asked for. */
  readonly type: string
  constructor(type: string) {
    super(`unknown milestone type "${type}"`)
    this.type = type
  }
}

/** An authority role that the catalogue does not define. */
export class UnknownAuthorityRole extends CredentialsError {
  override code = 'ERR_UNKNOWN_AUTHORITY_ROLE'
  /** The role that was asked for. */
  readonly role: string
  constructor(role: string) {
    super(`unknown authority role "${role}"`)
    this.role = role
  }
}

/** An authority role tried to issue a milestone type it may not issue. */
export class MilestoneNotAccredited extends CredentialsError {
  override code = 'ERR_MILESTONE_NOT_ACCREDITED'
  readonly role: string
  readonly type: string
  constructor(role: string, type: string) {
    super(`role "${role}" may not issue "${type}"`)
    this.role = role
    this.type = type
  }
}

/** One offending field of a claims set or credential document. */
export interface MilestoneValidationIssue {
  /** JSON pointer (RFC 6901) of the offending member, relative to the validated document. */
  readonly pointer: string
  /** The JSON Schema keyword that failed (`additionalProperties`, `required`, `format`, …). */
  readonly keyword: string
  /** Human-readable message naming the member. */
  readonly message: string
}

/** Milestone claims (a credentialSubject) or a milestone credential failed its schema. */
export class MilestoneClaimsInvalid extends CredentialsError {
  override code = 'ERR_MILESTONE_CLAIMS_INVALID'
  readonly type: string
  readonly issues: readonly MilestoneValidationIssue[]
  constructor(type: string, issues: readonly MilestoneValidationIssue[]) {
    super(`invalid "${type}" claims: ${issues.map((issue) => issue.message).join('; ')}`)
    this.type = type
    this.issues = issues
  }
}

/** The catalogue data itself is inconsistent (duplicate type, unknown role, dangling fact mapping, …). */
export class MilestoneCatalogueInvalid extends CredentialsError {
  override code = 'ERR_MILESTONE_CATALOGUE_INVALID'
}
