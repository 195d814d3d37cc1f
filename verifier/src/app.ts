import type { Db } from '@flora/db'
import {
  buildOpenApi,
  createServiceApp,
  type Logger,
  mountRouter,
  standardOperations,
} from '@flora/service-kit'
import type Koa from 'koa'
import type { VerifierConfig } from './config.ts'

export const verifierVersion = '0.1.0'

export interface VerifierAppDeps {
  config: VerifierConfig
  db: Db<'verifier'>
  logger: Logger
}

/** The verifier's HTTP surface; routes are mounted here as the verifier's features land. */
export function createVerifierApp({ config, db, logger }: VerifierAppDeps): Koa {
  const openapi = buildOpenApi({
    title: 'FLORA-VC verifier',
    version: verifierVersion,
    description:
      'Cross-border verification of the milestone credentials of a case (OpenID4VP) with the Dublin assessment.',
    serverUrl: config.FLORA_VERIFIER_PUBLIC_URL,
    operations: [...standardOperations],
  })
  const { app, router } = createServiceApp({
    service: 'verifier',
    version: verifierVersion,
    logger,
    openapi,
    healthChecks: { database: () => db.ping() },
  })
  mountRouter(app, router)
  return app
}
