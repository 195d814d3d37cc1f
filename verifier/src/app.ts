import { createHmac } from 'node:crypto'
import { resolve } from 'node:path'
import { type Db, parseDatabaseUrl } from '@flora/db'
import {
  AttemptThrottle,
  buildOpenApi,
  createServiceApp,
  DeviceTokens,
  decodeKey,
  type Logger,
  LoginGuard,
  loadOrCreateKeyFile,
  mountRouter,
  noSiblings,
  retryAfterAnswers,
  sessionCookieName,
  type SiblingBus,
  SqlAttemptStore,
  standardOperations,
} from '@flora/service-kit'
import type Koa from 'koa'
import type { VerifierConfig } from './config.ts'
import { deploymentAdminScheme, mountDeploymentRoutes } from './http/deployment-routes.ts'
import { mountVerifierRoutes } from './http/routes.ts'
import { AuthService } from './services/auth.ts'
import { warnCompleteChainPolicy } from './services/complete-chain.ts'
import { DeploymentService } from './services/deployment.ts'
import { ensureVerifierIdentity, type VerifierIdentity } from './services/identity.ts'
import { NonceStore } from './services/nonces.ts'
import { Oid4vpService } from './services/oid4vp.ts'
import { followSiblingChanges } from './services/sibling-changes.ts'
import { TrustService } from './services/trust.ts'
import { VerificationService } from './services/verification.ts'
import { ReportStore } from './store/report-store.ts'
import type { TrustReaders } from './trust/readers.ts'

export const verifierVersion = '0.1.0'

export interface VerifierAppDeps {
  config: VerifierConfig
  db: Db<'verifier'>
  logger: Logger
  /** Replaces the ledger readers (tests); default: EBSI's APIs at FLORA_LEDGER_URL. */
  trustSource?: TrustReaders
  /** The other workers of this verifier (FLORA_VERIFIER_WORKERS > 1), told of changes they cache. */
  siblings?: SiblingBus
  /** The clock of token expiry and of verifications (their time and default asOf day), epoch ms (tests); default Date.now. */
  now?: () => number
}

/** The verifier's services, wired. */
export interface VerifierServices {
  identity: VerifierIdentity
  auth: AuthService
  /** Attempt counts in the database (logins, failed OID4VP answers), shared by every process on it. */
  throttle: AttemptThrottle
  nonces: NonceStore
  trust: TrustService
  reports: ReportStore
  verification: VerificationService
  oid4vp: Oid4vpService
}

/** The configured key-encryption key, else the one generated beside the data (never a built-in default). */
export function verifierKeyEncryptionKey(config: VerifierConfig): Uint8Array {
  if (config.FLORA_VERIFIER_KEK) return decodeKey(config.FLORA_VERIFIER_KEK)!
  return loadOrCreateKeyFile(resolve(config.FLORA_DATA_DIR, 'verifier.kek')).key
}

export async function createVerifierServices({
  config,
  db,
  trustSource,
  siblings = noSiblings,
  now,
  logger,
}: Omit<VerifierAppDeps, 'logger'> & { logger?: Logger }): Promise<VerifierServices> {
  const kek = verifierKeyEncryptionKey(config)
  const identity = await ensureVerifierIdentity(db, kek)
  const throttle = new AttemptThrottle(
    new SqlAttemptStore({
      db: db.client,
      provider: db.provider,
      schema: parseDatabaseUrl('verifier', config.FLORA_VERIFIER_DATABASE_URL).schema,
    }),
  )
  const auth = new AuthService(db, {
    sessionTtlSeconds: config.FLORA_VERIFIER_SESSION_TTL_SECONDS,
    apiTokenTtlDays: config.FLORA_VERIFIER_API_TOKEN_TTL_DAYS,
    logins: new LoginGuard({
      throttle,
      // its own key, derived from the KEK: device tokens only say "this browser logged in before"
      devices: new DeviceTokens(createHmac('sha256', kek).update('flora-verifier device-token').digest()),
      limits: config.FLORA_VERIFIER_LOGIN_THROTTLE,
    }),
    siblings,
    ...(now ? { now } : {}),
  })
  await auth.ensureAdmin(config.FLORA_VERIFIER_ADMIN_PASSWORD)
  const nonces = new NonceStore(db, config.FLORA_VERIFIER_REQUEST_TTL_SECONDS)
  const trust = new TrustService(config, db, identity, trustSource, siblings)
  await trust.restore()
  const reports = new ReportStore(db)
  const verification = new VerificationService({ config, identity, trust, nonces, reports, ...(now ? { now } : {}) })
  const oid4vp = new Oid4vpService({ config, db, identity, verification, ...(logger ? { logger } : {}) })
  return { identity, auth, throttle, nonces, trust, reports, verification, oid4vp }
}

/** The verifier's HTTP surface. */
export async function createVerifierApp(
  deps: VerifierAppDeps,
): Promise<{ app: Koa; services: VerifierServices }> {
  const { config, db, logger } = deps
  const services = await createVerifierServices(deps)
  warnCompleteChainPolicy(config, logger)
  if (deps.siblings) followSiblingChanges(deps.siblings, services, logger)
  const operations = [...standardOperations]
  // The kit serves this object; it is filled in once every route has declared its operation.
  const openapiDocument: Record<string, unknown> = {}
  const { app, router } = createServiceApp({
    service: 'verifier',
    version: verifierVersion,
    logger,
    openapi: openapiDocument,
    enableTypes: ['json', 'form'],
    jsonLimit: '2mb',
    healthChecks: { database: () => db.ping() },
    publicUrl: config.FLORA_VERIFIER_PUBLIC_URL,
  })
  app.use(retryAfterAnswers())
  operations.push(
    ...mountVerifierRoutes(router, { ...services, config }),
    ...mountDeploymentRoutes(router, new DeploymentService({ config, db, ...services })),
  )
  const openapi = buildOpenApi({
    title: 'FLORA-VC verifier',
    version: verifierVersion,
    description:
      'Cross-border verification of the milestone credentials of a case (OpenID4VP, direct API) with the Dublin assessment.',
    serverUrl: config.FLORA_VERIFIER_PUBLIC_URL,
    operations,
    securitySchemes: {
      bearer: { type: 'http', scheme: 'bearer' },
      session: {
        type: 'apiKey',
        in: 'cookie',
        name: sessionCookieName('flora_verifier_session', config.FLORA_VERIFIER_PUBLIC_URL),
      },
      deploymentAdmin: deploymentAdminScheme,
    },
  })
  Object.assign(openapiDocument, openapi)
  mountRouter(app, router)
  return { app, services }
}
