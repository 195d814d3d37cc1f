import { type Db, parseDatabaseUrl } from '@flora/db'
import {
  AttemptThrottle,
  buildOpenApi,
  createServiceApp,
  DeviceTokens,
  type Logger,
  LoginGuard,
  mountRouter,
  retryAfterAnswers,
  sessionCookieName,
  SqlAttemptStore,
  standardOperations,
} from '@flora/service-kit'
import type Koa from 'koa'
import type { IssuerConfig } from './config.ts'
import { issuerErrors } from './http/problem-map.ts'
import { deploymentAdminScheme } from './http/deployment-routes.ts'
import { issuerRoutes } from './http/routes.ts'
import { deriveSecret } from './domain/tokens.ts'
import type { AuthorityKeyring } from './keys/keyring.ts'
import type { LedgerGateway } from './ledger/ledger-gateway.ts'
import type { IssuerContext } from './services/context.ts'
import { hotStoreFor } from './store/hot-store.ts'

export const issuerVersion = '0.1.0'

export interface IssuerAppDeps {
  config: IssuerConfig
  db: Db<'issuer'>
  logger: Logger
  ledger: LedgerGateway
  keyring: AuthorityKeyring
  /** 32-byte deployment secret (see FLORA_ISSUER_SECRET). */
  secret: Uint8Array
  now?: () => Date
}

/** The service context the routes and services share. */
export function issuerContext(deps: IssuerAppDeps): IssuerContext {
  const sql = {
    provider: deps.db.provider,
    schema: parseDatabaseUrl('issuer', deps.config.FLORA_ISSUER_DATABASE_URL).schema,
  }
  const throttle = new AttemptThrottle(new SqlAttemptStore({ db: deps.db.client, ...sql }))
  return {
    config: deps.config,
    db: deps.db.client,
    ledger: deps.ledger,
    keyring: deps.keyring,
    secret: deps.secret,
    sql,
    store: hotStoreFor(deps.db, sql),
    throttle,
    logins: new LoginGuard({
      throttle,
      devices: new DeviceTokens(deriveSecret(deps.secret, 'device-token')),
      limits: deps.config.FLORA_ISSUER_LOGIN_THROTTLE,
    }),
    now: deps.now ?? (() => new Date()),
  }
}

/** The issuer's HTTP surface. */
export function createIssuerApp(deps: IssuerAppDeps, context = issuerContext(deps)): Koa {
  const { router: routes, operations } = issuerRoutes(context)
  const openapi = buildOpenApi({
    title: 'FLORA-VC issuer',
    version: issuerVersion,
    description:
      'Authorities record asylum-procedure milestones and issue them as EBSI verifiable credentials (OpenID4VCI).',
    serverUrl: deps.config.FLORA_ISSUER_PUBLIC_URL,
    operations: [...standardOperations, ...operations],
    securitySchemes: {
      apiToken: {
        type: 'http',
        scheme: 'bearer',
        description: 'API token of a system (POST /admin/api-tokens)',
      },
      session: {
        type: 'apiKey',
        in: 'cookie',
        name: sessionCookieName('flora_session', deps.config.FLORA_ISSUER_PUBLIC_URL),
      },
      deploymentAdmin: deploymentAdminScheme,
    },
  })
  const { app, router } = createServiceApp({
    service: 'issuer',
    version: issuerVersion,
    logger: deps.logger,
    openapi,
    healthChecks: { database: () => deps.db.ping() },
    enableTypes: ['json', 'form'],
    publicUrl: deps.config.FLORA_ISSUER_PUBLIC_URL,
    // a calendar feed's URL is its only credential (see monitor.ts)
    redactPaths: ['/monitor/calendar/'],
  })
  app.use(retryAfterAnswers())
  app.use(issuerErrors())
  router.use(routes.routes())
  mountRouter(app, router)
  return app
}
