import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { type Db, parseDatabaseUrl } from '@flora/db'
import { EbsiClient, type EbsiEntity, EbsiNotFound, jwkThumbprint, onboardEntity } from '@flora/ebsi-connector'
import { onboardingKeyOf } from '@flora/ebsi-connector/core'
import { HttpProblem, unauthorized } from '@flora/service-kit'
import type { VerifierConfig } from '../config.ts'
import type { AuthService, StaffRole } from './auth.ts'
import type { VerifierIdentity } from './identity.ts'
import type { DeploymentTrust, TrustService } from './trust.ts'

/** Name of the generated deployment-admin token file in the verifier's data directory. */
export const ADMIN_TOKEN_FILE = 'verifier-admin-token'

/**
 * The deployment administrator's credential: FLORA_VERIFIER_ADMIN_TOKEN, or a random token generated
 * once into `<data dir>/verifier-admin-token` (0600; the SQLite database's directory, for PostgreSQL
 * FLORA_DATA_DIR or ./data). Never a fixed default.
 */
export function resolveVerifierAdminToken(
  configured: string | undefined,
  databaseUrl: string,
  env: Record<string, string | undefined> = process.env,
): { token: string; file?: string } {
  if (configured) return { token: configured }
  const location = parseDatabaseUrl('verifier', databaseUrl)
  const dir =
    location.provider === 'sqlite' ? dirname(location.target) : resolve(env.FLORA_DATA_DIR ?? 'data')
  const file = join(dir, ADMIN_TOKEN_FILE)
  try {
    return { token: readFileSync(file, 'utf8').trim(), file }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  mkdirSync(dir, { recursive: true })
  try {
    writeFileSync(file, `fva_${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  }
  return { token: readFileSync(file, 'utf8').trim(), file }
}

const digest = (value: string) => createHash('sha256').update(value).digest()

/**
 * What the operator of this verifier deployment does once: register the verifier's did:ebsi on the
 * ledger (with a VerifiableAuthorisationToOnboard from a TAO), decide the trust anchors, create staff.
 */
export class DeploymentService {
  readonly #expected: Buffer
  #ebsi: EbsiClient | undefined

  constructor(
    private readonly deps: {
      config: VerifierConfig
      db: Db<'verifier'>
      identity: VerifierIdentity
      auth: AuthService
      trust: TrustService
    },
  ) {
    this.#expected = digest(
      resolveVerifierAdminToken(
        deps.config.FLORA_VERIFIER_ADMIN_TOKEN,
        deps.config.FLORA_VERIFIER_DATABASE_URL,
      ).token,
    )
  }

  /** @throws 401 unless `authorization` is `Bearer <deployment-admin token>` */
  requireAdmin(authorization: string | undefined): void {
    const presented = authorization?.match(/^Bearer (.+)$/)?.[1]
    if (!presented || !timingSafeEqual(digest(presented), this.#expected))
      throw unauthorized('the deployment-admin token is required')
  }

  get #client(): EbsiClient {
    if (this.deps.config.FLORA_VERIFIER_OFFLINE)
      throw new HttpProblem(409, 'Conflict', { detail: 'an offline verifier does not reach the ledger' })
    this.#ebsi ??= new EbsiClient({ baseUrl: this.deps.config.FLORA_LEDGER_URL })
    return this.#ebsi
  }

  get #entity(): EbsiEntity {
    const { did, controller, assertion } = this.deps.identity
    return { did, controller, assertion }
  }

  /**
   * The verifier's DID, whether the DID Registry has it (with its assertion key), and the public
   * controller key the TAO's authorisation to onboard must name.
   */
  async onboardingState() {
    const document = await this.#document()
    const { controller } = this.deps.identity
    return {
      did: this.deps.identity.did,
      registered: Boolean(document && this.#missing(document).length === 0),
      controllerKey: { kid: controller.kid, publicKeyJwk: controller.publicKeyJwk },
    }
  }

  async #document(): Promise<Record<string, unknown> | undefined> {
    try {
      return (await this.#client.didRegistry.resolve(this.deps.identity.did)) as unknown as Record<
        string,
        unknown
      >
    } catch (error) {
      if (error instanceof EbsiNotFound) return undefined
      throw error
    }
  }

  #missing(document: Record<string, unknown>): string[] {
    const kid = `${this.deps.identity.did}#${this.deps.identity.assertion.kid}`
    return ['assertionMethod', 'authentication'].filter(
      (name) => !(Array.isArray(document[name]) && (document[name] as unknown[]).includes(kid)),
    )
  }

  /**
   * Registers the verifier's DID document (EBSI's onboarding: insertDidDocument under didr_invite,
   * the P-256 key as assertionMethod + authentication under didr_write), completing an interrupted
   * registration and doing nothing when it is complete.
   */
  async onboard(
    authorisationToOnboard: string,
  ): Promise<{ did: string; registered: true; transactions: number }> {
    const payload = decodePayload(authorisationToOnboard)
    const subject =
      payload.sub ??
      (payload.vc as { credentialSubject?: { id?: unknown } } | undefined)?.credentialSubject?.id
    if (subject !== this.deps.identity.did)
      throw new HttpProblem(400, 'Bad Request', {
        detail: `the authorisation to onboard is not about ${this.deps.identity.did}`,
      })
    const authorisedKey = onboardingKeyOf(payload)
    const { controller } = this.deps.identity
    if (!authorisedKey || jwkThumbprint(authorisedKey) !== jwkThumbprint(controller.publicKeyJwk))
      throw new HttpProblem(400, 'Bad Request', {
        detail: `the authorisation to onboard does not name the verifier's controller key ${controller.kid}`,
      })
    const entity = this.#entity
    const sent = (await onboardEntity(this.#client, { entity, authorisationToOnboard })).length
    return { did: entity.did, registered: true, transactions: sent }
  }

  trust() {
    return this.deps.trust.effectiveTrust()
  }

  async setTrust(trust: DeploymentTrust) {
    await this.deps.trust.setDeploymentTrust(trust)
    return this.deps.trust.effectiveTrust()
  }

  createStaff(args: { username: string; password: string; role: StaffRole }) {
    return this.deps.auth.createStaff(args.username, args.password, args.role)
  }
}

function decodePayload(jwt: string): Record<string, unknown> {
  try {
    return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>
  } catch {
    throw new HttpProblem(400, 'Bad Request', { detail: 'authorisationToOnboard is not a JWT' })
  }
}
