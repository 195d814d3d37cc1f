import type { Middleware } from 'koa'
import { EbsiCoreError } from '../../core/index.ts'
import { InvalidRequest, LedgerError } from '../errors.ts'

/**
 * Translates the node's typed errors (and the core's) into HttpProblems for the service-kit
 * funnel (the only place that renders error bodies).
 */
export function ledgerProblems(): Middleware {
  return async (_ctx, next) => {
    try {
      await next()
    } catch (error) {
      if (error instanceof LedgerError) throw error.toProblem()
      if (error instanceof EbsiCoreError)
        throw new InvalidRequest(error.message, { cause: error }).toProblem()
      throw error
    }
  }
}

/** Rewrites relative problem `instance` members into absolute URIs (outermost middleware). */
export function absoluteProblemInstance(publicUrl: () => string): Middleware {
  return async (ctx, next) => {
    await next()
    if (ctx.response.type === 'application/problem+json' && ctx.body && typeof ctx.body === 'object') {
      const body = ctx.body as { instance?: unknown }
      if (typeof body.instance === 'string' && body.instance.startsWith('/')) {
        body.instance = `${publicUrl()}${encodeURI(decodeSafe(body.instance))}`
      }
    }
  }
}

function decodeSafe(path: string): string {
  try {
    return decodeURI(path)
  } catch {
    return '/'
  }
}
