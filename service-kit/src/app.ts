import { randomUUID } from 'node:crypto'
import { bodyParser } from '@koa/bodyparser'
import Router from '@koa/router'
import Koa, { type Context, type Middleware } from 'koa'
import type { Logger } from './logger.ts'
import { type ProblemBody, toProblem } from './problem.ts'
import { securityHeaders } from './security-headers.ts'

export interface ServiceAppOptions {
  service: string
  version: string
  logger: Logger
  /** The OpenAPI document served at /openapi.json. */
  openapi: Record<string, unknown>
  /** Extra readiness checks reported by /health (e.g. database reachable). */
  healthChecks?: Record<string, () => Promise<void>>
  /** Body size limit (default 1 MB); larger bodies get 413 problem+json. */
  jsonLimit?: string
  /** Content types bodyparser accepts besides JSON (e.g. form for OAuth token endpoints). */
  enableTypes?: ('json' | 'form' | 'text')[]
  /** The URL other parties reach the service at; https turns on Strict-Transport-Security. */
  publicUrl?: string | undefined
  /**
   * Path prefixes whose remainder is a secret (a capability URL such as a calendar feed): the logs
   * show the prefix followed by `[redacted]`, never the rest. Compared without regard to case, as
   * the router matches routes.
   */
  redactPaths?: string[]
}

/** The path as logs may show it: a registered secret-carrying remainder replaced. */
export function loggablePath(path: string, redactPaths: readonly string[] = []): string {
  const lower = path.toLowerCase()
  for (const prefix of redactPaths)
    if (lower.startsWith(prefix.toLowerCase())) return `${path.slice(0, prefix.length)}[redacted]`
  return path
}

/** The route pattern that answered (e.g. `/cases/:caseId`), when one did. */
const matchedRoute = (ctx: Context): string | undefined => {
  const route = (ctx as { _matchedRoute?: unknown })._matchedRoute
  return typeof route === 'string' ? route : undefined
}

/**
 * The koa app every FLORA-VC service starts from: security headers, request ids, structured request
 * logs, the one problem+json error funnel, JSON body parsing, GET /health and GET /openapi.json.
 * Services mount their own routers on it.
 */
export function createServiceApp(options: ServiceAppOptions): { app: Koa; router: Router } {
  const app = new Koa({ proxy: false })
  app.silent = true
  app.on('error', (error, ctx?: Context) => {
    options.logger.error(
      {
        err: error,
        path: ctx ? loggablePath(ctx.path, options.redactPaths) : undefined,
        route: ctx ? matchedRoute(ctx) : undefined,
        requestId: ctx?.state?.requestId,
      },
      'request failed',
    )
  })
  const router = new Router()
  router.get('/health', health(options))
  router.get('/openapi.json', (ctx) => {
    ctx.body = options.openapi
  })
  app.use(securityHeaders({ publicUrl: options.publicUrl }))
  app.use(requestContext(options.logger, options.redactPaths ?? []))
  app.use(problemJson())
  app.use(
    bodyParser({
      enableTypes: options.enableTypes ?? ['json'],
      jsonLimit: options.jsonLimit ?? '1mb',
      formLimit: options.jsonLimit ?? '1mb',
      encoding: 'utf-8',
      // Arrays and primitives are valid JSON bodies too; routes validate the shape.
      jsonStrict: false,
    }),
  )
  return { app, router }
}

/** Mounts the service's routes and the fallbacks for unknown paths and methods. */
export function mountRouter(app: Koa, router: Router): void {
  // Wraps the router so that a path no route answered becomes a 404 problem, after allowedMethods
  // has had its chance to turn a known path with the wrong method into a 405.
  app.use(async (ctx, next) => {
    await next()
    if (ctx.body != null) return
    if (ctx.status === 404) {
      throw Object.assign(new Error(`No resource at ${ctx.method} ${ctx.path}`), { status: 404 })
    }
    if (ctx.status === 405 || ctx.status === 501) {
      throw Object.assign(new Error(`${ctx.method} is not allowed on ${ctx.path}`), { status: ctx.status })
    }
  })
  app.use(router.routes())
  app.use(router.allowedMethods())
}

/**
 * Request ids and one log line per request. The path is logged with the service's secret-carrying
 * parts redacted (a feed token in a log is a working credential for whoever reads the log), and
 * beside it the route pattern that answered.
 */
function requestContext(logger: Logger, redactPaths: readonly string[]): Middleware {
  return async (ctx, next) => {
    const started = performance.now()
    const incoming = ctx.get('x-request-id')
    ctx.state.requestId = /^[\w-]{1,64}$/.test(incoming) ? incoming : randomUUID()
    ctx.set('x-request-id', ctx.state.requestId)
    try {
      await next()
    } finally {
      logger.info(
        {
          requestId: ctx.state.requestId,
          method: ctx.method,
          path: loggablePath(ctx.path, redactPaths),
          route: matchedRoute(ctx),
          status: ctx.status,
          ms: Math.round((performance.now() - started) * 10) / 10,
        },
        'request',
      )
    }
  }
}

/** The only place that shapes error bodies (RFC 9457 problem+json). */
export function problemJson(): Middleware {
  return async (ctx, next) => {
    try {
      await next()
    } catch (error) {
      const problem: ProblemBody = { ...toProblem(error), instance: ctx.path }
      if (problem.status >= 500) ctx.app.emit('error', error, ctx)
      ctx.status = problem.status
      ctx.type = 'application/problem+json'
      ctx.body = problem
    }
  }
}

/**
 * GET /health, unauthenticated: which checks pass or fail, never why. A dependency's error text
 * names hosts, ports, users or file paths; it goes to the log, where the operator reads it.
 */
function health(options: ServiceAppOptions): Middleware {
  const startedAt = Date.now()
  return async (ctx) => {
    const checks: Record<string, 'ok' | 'failing'> = {}
    for (const [name, check] of Object.entries(options.healthChecks ?? {})) {
      try {
        await check()
        checks[name] = 'ok'
      } catch (error) {
        checks[name] = 'failing'
        options.logger.warn(
          { err: error, check: name, requestId: ctx.state.requestId },
          'health check failing',
        )
      }
    }
    const ok = Object.values(checks).every((value) => value === 'ok')
    ctx.status = ok ? 200 : 503
    ctx.set('cache-control', 'no-store')
    ctx.body = {
      status: ok ? 'ok' : 'degraded',
      service: options.service,
      version: options.version,
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
      checks,
    }
  }
}
