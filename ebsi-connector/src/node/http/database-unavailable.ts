import { HttpProblem } from '@flora/service-kit'
import type { Middleware } from 'koa'
import { EbsiCoreError } from '../../core/index.ts'
import { LedgerError, LedgerUnavailable } from '../errors.ts'
import { isDatabaseUnavailableError } from '../state/database-health.ts'

/**
 * A request that failed because the database was unavailable (the error says so, or the database
 * does not answer now) is answered 503 (retry later), not 500: the input was not at fault and the
 * node has not failed. Errors that say what was wrong with the request pass through untouched.
 */
export function databaseUnavailableProblems(databaseAnswers: () => Promise<boolean>): Middleware {
  return async (_ctx, next) => {
    try {
      await next()
    } catch (error) {
      const typed =
        error instanceof LedgerError ||
        error instanceof EbsiCoreError ||
        error instanceof HttpProblem ||
        typeof (error as { status?: unknown })?.status === 'number'
      if (typed || (!isDatabaseUnavailableError(error) && (await databaseAnswers()))) throw error
      throw new LedgerUnavailable('the ledger database is unavailable; retry later', {
        cause: error,
      }).toProblem()
    }
  }
}
