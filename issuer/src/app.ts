import type { Db } from '@flora/db'
import {
  buildOpenApi,
  createServiceApp,
  type Logger,
  mountRouter,
  standardOperations,
} from '@flora/service-kit'
import type Koa from 'koa'
import type { IssuerConfig } from './config.ts'

export const issuerVersion = '0.1.0'

export interface IssuerAppDeps {
  config: IssuerConfig
  db: Db<'issuer'>
  logger: Logger
}

/** The issuer's HTTP surface; routes are mounted here as the issuer's features land. */
export function createIssuerApp({ config, db, logger }: IssuerAppDeps): Koa {
  const openapi = buildOpenApi({
    title: 'FLORA-VC issuer',
    version: issuerVersion,
    description:
      'Authorities record asylum-procedure milestones and issue them as EBSI verifiable credentials (OpenID4VCI).',
    serverUrl: config.FLORA_ISSUER_PUBLIC_URL,
    operations: [...standardOperations],
  })
  const { app, router } = createServiceApp({
    service: 'issuer',
    version: issuerVersion,
    logger,
    openapi,
    healthChecks: { database: () => db.ping() },
  })
  mountRouter(app, router)
  return app
}
