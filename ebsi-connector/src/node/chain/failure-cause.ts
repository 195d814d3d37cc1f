import { EbsiCoreError } from '../../core/index.ts'
import { LedgerError, LedgerUnavailable } from '../errors.ts'
import { isDatabaseUnavailableError } from '../state/database-health.ts'

/**
 * Prisma codes of a database that cannot serve a block, whatever the block holds: unreachable,
 * refused, timed out, out of connections (P1xxx, P2024, P2028, P2037), a write conflict or
 * deadlock (P2034), a table or column missing (P2021, P2022: a damaged or unmigrated schema).
 */
const FAULT_PRISMA_CODES = new Set([
  'P1000',
  'P1001',
  'P1002',
  'P1003',
  'P1008',
  'P1010',
  'P1011',
  'P1017',
  'P2021',
  'P2022',
  'P2024',
  'P2028',
  'P2034',
  'P2037',
])
/** The same, as the driver adapters classify a database error (`DriverAdapterError.cause.kind`). */
const FAULT_ADAPTER_KINDS = new Set([
  'DatabaseNotReachable',
  'DatabaseDoesNotExist',
  'DatabaseAccessDenied',
  'AuthenticationFailed',
  'TlsConnectionError',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
  'TransactionAlreadyClosed',
  'TransactionWriteConflict',
  'TableDoesNotExist',
  'ColumnNotFound',
])
/**
 * PostgreSQL SQLSTATEs of the same: connection (08), transaction rollback (40: serialization,
 * deadlock), read-only transaction (25006, a standby), insufficient privilege, undefined table or
 * column (42501, 42P01, 42703), insufficient resources (53), operator intervention (57), system
 * error (58). SQLite result codes of the same: busy, locked, I/O, full, read-only, corrupt... And
 * the system's: connection reset or refused, host unreachable, disk full.
 */
const FAULT_DATABASE_CODES =
  /^(08...|40...|25006|42501|42P01|42703|53...|57...|58...|SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|READONLY|CORRUPT|NOTADB|PERM|NOMEM|PROTOCOL|AUTH)\w*|ECONNRESET|ECONNREFUSED|ECONNABORTED|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN|ENOSPC)$/

interface ErrorFacts {
  name?: unknown
  code?: unknown
  originalCode?: unknown
  kind?: unknown
}

/** The error, its causes and the driver adapter error Prisma keeps in `meta`, outermost first. */
function chainOf(error: unknown): ErrorFacts[] {
  const chain: ErrorFacts[] = []
  const queue: unknown[] = [error]
  while (queue.length > 0 && chain.length < 16) {
    const current = queue.shift()
    if (!current || typeof current !== 'object') continue
    chain.push(current as ErrorFacts)
    const { cause, meta } = current as { cause?: unknown; meta?: { driverAdapterError?: unknown } }
    queue.push(cause, meta?.driverAdapterError)
  }
  return chain
}

function isFault(facts: ErrorFacts): boolean {
  const { code, originalCode, kind } = facts
  return (
    (typeof code === 'string' && (FAULT_PRISMA_CODES.has(code) || FAULT_DATABASE_CODES.test(code))) ||
    (typeof originalCode === 'string' && FAULT_DATABASE_CODES.test(originalCode)) ||
    (typeof kind === 'string' && FAULT_ADAPTER_KINDS.has(kind))
  )
}

/** Did the database describe the error with a code of its own (Prisma's or the driver's)? */
function isCoded(facts: ErrorFacts): boolean {
  return (
    (typeof facts.code === 'string' && /^P\d{4}$/.test(facts.code)) || typeof facts.originalCode === 'string'
  )
}

/**
 * Pure: is a failed block attempt the database's fault — it cannot be reached, timed out, is out
 * of disk or resources, must be retried (a lock conflict), or cannot serve any block (a missing
 * table, a read-only standby)? Only then is the block merely delayed, never reverted. Any other
 * failure comes from the block's transactions: the node's execution code throwing on their
 * arguments, a value Prisma refuses to send (PrismaClientValidationError), a constraint, limit or
 * trigger their data breaks (P2000, P2002, P2020, P2033...). While the database answers, those are
 * isolated and, if one keeps failing alone, recorded as reverted, so no transaction stops the chain.
 *
 * An error the database coded is judged by its codes only, never by its text: the text can quote a
 * transaction's data.
 */
export function isDatabaseFault(error: unknown): boolean {
  if (error instanceof LedgerUnavailable) return true
  if (error instanceof LedgerError || error instanceof EbsiCoreError) {
    // the node's own typed refusal (its text may quote the transaction): only its cause can tell
    const { cause } = error as { cause?: unknown }
    return cause !== undefined && cause !== error && isDatabaseFault(cause)
  }
  const chain = chainOf(error)
  // Prisma refused the values before sending anything: the data's doing, whatever its text says
  if ((chain[0]?.name ?? '') === 'PrismaClientValidationError') return false
  if (chain.some(isFault)) return true
  if (chain.some(isCoded)) return false
  return isDatabaseUnavailableError(error)
}

/**
 * The revert reason when a method refused a transaction with a typed error (a state rule, an
 * argument the core cannot decode); undefined for anything else, and never for a database that
 * is unavailable (that only delays the block).
 */
export function revertReasonOf(error: unknown): string | undefined {
  if (!(error instanceof LedgerError || error instanceof EbsiCoreError) || isDatabaseFault(error))
    return undefined
  return error.message
}
