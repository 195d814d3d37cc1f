import { HttpProblem } from '@flora/service-kit'

/**
 * Failures of the ledger node, jose-style: one class per failure with a stable `code`, mapped to
 * an HTTP status; the service-kit funnel renders them as problem+json (4xx keep their message).
 */
export class LedgerError extends Error {
  code = 'ERR_LEDGER'
  status = 400
  title = 'Bad Request'
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = new.target.name
  }
  toProblem(): HttpProblem {
    return new HttpProblem(this.status, this.title, {
      detail: this.message,
      type: `https://flora-vc.eu/problems/ledger/${this.code.toLowerCase().replace(/^err_/, '').replace(/_/g, '-')}`,
      extensions: { code: this.code },
      cause: this,
    })
  }
}
export class InvalidRequest extends LedgerError {
  override code = 'ERR_INVALID_REQUEST'
}
export class BadPaging extends LedgerError {
  override code = 'ERR_BAD_PAGING'
  override title = 'Bad Paging Request'
}
export class NotFound extends LedgerError {
  override code = 'ERR_NOT_FOUND'
  override status = 404
  override title = 'Not Found'
}
export class InvalidToken extends LedgerError {
  override code = 'ERR_INVALID_TOKEN'
  override status = 401
  override title = 'Invalid token'
}
export class InsufficientScope extends LedgerError {
  override code = 'ERR_INSUFFICIENT_SCOPE'
  override status = 403
  override title = 'Forbidden'
}
export class InvalidTransaction extends LedgerError {
  override code = 'ERR_INVALID_TRANSACTION'
}
export class NonceMismatch extends LedgerError {
  override code = 'ERR_NONCE_MISMATCH'
}
export class NotAuthorised extends LedgerError {
  override code = 'ERR_NOT_AUTHORISED'
  override status = 403
  override title = 'Forbidden'
}
export class PresentationInvalid extends LedgerError {
  override code = 'ERR_PRESENTATION_INVALID'
  override title = 'Invalid presentation'
}
export class ProxyTestFailed extends LedgerError {
  override code = 'ERR_PROXY_TEST_FAILED'
}
export class UpstreamFailed extends LedgerError {
  override code = 'ERR_UPSTREAM_FAILED'
  override status = 502
  override title = 'Bad Gateway'
}
/** A request that carries the ledger's own hop header: a proxy led back into a ledger. */
export class ProxyLoop extends LedgerError {
  override code = 'ERR_PROXY_LOOP'
  override title = 'Proxy loop'
}
/** An issuer proxy already has as many forwardings in flight as the node allows. */
export class ProxyBusy extends LedgerError {
  override code = 'ERR_PROXY_BUSY'
  override status = 429
  override title = 'Too Many Requests'
}
export class ChainTampered extends Error {
  code = 'ERR_CHAIN_TAMPERED'
  constructor(
    message: string,
    readonly blockNumber: number,
  ) {
    super(message)
    this.name = 'ChainTampered'
  }
}

/**
 * A state rule refused a transaction; inside a block it becomes a receipt with status 0x0 and
 * `revertReason`, at build time a 400 problem.
 */
export class Revert extends LedgerError {
  override code = 'ERR_REVERTED'
}
