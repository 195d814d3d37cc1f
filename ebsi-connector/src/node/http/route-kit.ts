import type Router from '@koa/router'
import type { Context } from 'koa'
import { isDidEbsi } from '../../core/index.ts'
import { InvalidRequest } from '../errors.ts'

export type NodeRouter = Router

/** Reads a path parameter as a string (koa-router gives strings; wildcards may give arrays). */
export function param(ctx: Context, name: string): string {
  const value = (ctx.params as Record<string, unknown>)[name]
  return Array.isArray(value) ? value.join('/') : String(value ?? '')
}

/** The `{did}` path parameter, checked to be a did:ebsi. @throws InvalidRequest (EBSI's message) */
export function didParam(ctx: Context): string {
  const did = param(ctx, 'did')
  if (!isDidEbsi(did)) throw new InvalidRequest('The format of {did} parameter is not valid')
  return did
}

/** Parses `valid-at` (ISO 8601) into unix seconds. @throws InvalidRequest */
export function validAtParam(ctx: Context): number | undefined {
  const raw = ctx.query['valid-at']
  if (raw === undefined) return undefined
  if (typeof raw !== 'string' || raw.length > 40 || !/^\d{4}-\d{2}-\d{2}/.test(raw))
    throw new InvalidRequest('"valid-at" must be an ISO 8601 date')
  const ms = Date.parse(raw)
  if (Number.isNaN(ms)) throw new InvalidRequest('"valid-at" must be an ISO 8601 date')
  return Math.floor(ms / 1000)
}

/** A query parameter that must be a single string if present. */
export function queryString(ctx: Context, name: string, max = 200): string | undefined {
  const raw = ctx.query[name]
  if (raw === undefined) return undefined
  if (typeof raw !== 'string' || raw.length > max)
    throw new InvalidRequest(`"${name}" must be a single string`)
  return raw
}
