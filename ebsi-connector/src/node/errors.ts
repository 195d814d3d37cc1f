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
/** The node cannot record a transaction now (its database is unavailable); retry later. */
export class LedgerUnavailable extends LedgerError {
  override code = 'ERR_LEDGER_UNAVAILABLE'
  override status = 503
  override title = 'Service Unavailable'
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
/** The ledger's database no longer holds what its signed blocks say: the node refuses to start. */
export class ChainTampered extends Error {
  code = 'ERR_CHAIN_TAMPERED'
  constructor(
    message: string,
    readonly blockNumber: number,
  ) {
    super(message)
    this.name = new.target.name
  }
}
/** The registry tables (or the account nonces) differ from what the blocks committed to. */
export class StateTampered extends ChainTampered {
  override code = 'ERR_STATE_TAMPERED'
}
/** The node key in the database is not the key pinned outside it. */
export class NodeKeyNotPinned extends ChainTampered {
  override code = 'ERR_NODE_KEY_NOT_PINNED'
  constructor(message: string) {
    super(message, -1)
  }
}
/** A waiting (accepted, not yet executed) transaction row was altered. */
export class PendingTampered extends ChainTampered {
  override code = 'ERR_PENDING_TAMPERED'
  constructor(message: string) {
    super(message, -1)
  }
}

/**
 * A state rule refused a transaction; inside a block it becomes a receipt with status 0x0 and
 * `revertReason`, at build time a 400 problem.
 */
export class Revert extends LedgerError {
  override code = 'ERR_REVERTED'
}
