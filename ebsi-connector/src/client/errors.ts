/** Errors of the EBSI API client: one base, one class per failure, stable codes. */

/** Base of every failure raised by the EBSI client. */
export class EbsiClientError extends Error {
  code = 'ERR_EBSI_CLIENT'
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = new.target.name
  }
}

/** RFC 7807 body as EBSI APIs send it. */
export interface ProblemDetails {
  type?: string
  title?: string
  status?: number
  detail?: string
  instance?: string
  [member: string]: unknown
}

/** The API answered with an HTTP error (problem+json when the API sent one). */
export class EbsiProblem extends EbsiClientError {
  override code = 'ERR_EBSI_PROBLEM'
  readonly status: number
  readonly problem: ProblemDetails
  readonly url: string
  constructor(url: string, status: number, problem: ProblemDetails) {
    super(`${status} ${problem.title ?? 'error'}${problem.detail ? `: ${problem.detail}` : ''} (${url})`)
    this.status = status
    this.problem = problem
    this.url = url
  }
}

/** Resource does not exist (404). */
export class EbsiNotFound extends EbsiProblem {
  override code = 'ERR_EBSI_NOT_FOUND'
}

/** Missing, expired or insufficient access token (401/403). */
export class EbsiUnauthorised extends EbsiProblem {
  override code = 'ERR_EBSI_UNAUTHORISED'
}

/** A JSON-RPC call returned an `error` member. */
export class EbsiJsonRpcError extends EbsiClientError {
  override code = 'ERR_EBSI_JSON_RPC'
  readonly rpcCode: number
  readonly data: unknown
  readonly method: string
  constructor(method: string, error: { code: number; message: string; data?: unknown }) {
    super(`${method}: ${error.message} (${error.code})`)
    this.rpcCode = error.code
    this.data = error.data
    this.method = method
  }
}

/** The API answered something that does not have the documented shape. */
export class EbsiResponseInvalid extends EbsiClientError {
  override code = 'ERR_EBSI_RESPONSE_INVALID'
}

/** The network request failed or timed out. */
export class EbsiUnreachable extends EbsiClientError {
  override code = 'ERR_EBSI_UNREACHABLE'
}

/** A transaction was mined with status 0x0. */
export class TransactionReverted extends EbsiClientError {
  override code = 'ERR_TRANSACTION_REVERTED'
  readonly transactionHash: string
  readonly revertReason: string | undefined
  constructor(transactionHash: string, revertReason: string | undefined) {
    super(`transaction ${transactionHash} reverted${revertReason ? `: ${revertReason}` : ''}`)
    this.transactionHash = transactionHash
    this.revertReason = revertReason
  }
}

/** No receipt appeared within the wait budget. */
export class TransactionReceiptTimeout extends EbsiClientError {
  override code = 'ERR_TRANSACTION_RECEIPT_TIMEOUT'
  readonly transactionHash: string
  constructor(transactionHash: string, waitedMs: number) {
    super(`no receipt for ${transactionHash} after ${waitedMs} ms`)
    this.transactionHash = transactionHash
  }
}

/** The nonce kept colliding with concurrent writers after every retry. */
export class NonceRetriesExhausted extends EbsiClientError {
  override code = 'ERR_NONCE_RETRIES_EXHAUSTED'
}

/**
 * An authorisation to onboard that the ledger would refuse for this entity: issued for another DID,
 * or naming another controller key (or none).
 */
export class OnboardingAuthorisationMismatch extends EbsiClientError {
  override code = 'ERR_ONBOARDING_AUTHORISATION_MISMATCH'
}
