import { createHash } from 'node:crypto'
import type { Db } from '@flora/db'
import { noSiblings, type SiblingBus } from '@flora/service-kit'
import type { VerifierConfig } from '../config.ts'
import { TrustSnapshotInvalid } from '../errors.ts'
import { decodeJws, verifyJwsSignature } from '../pipeline/jws.ts'
import type { PipelineContext, TrustAnchorPolicy } from '../pipeline/types.ts'
import { TrustCache, type TrustCacheEntry } from '../trust/cache.ts'
import { createLedgerReaders } from '../trust/http-readers.ts'
import type { TrustReaders } from '../trust/readers.ts'
import type { VerifierIdentity } from './identity.ts'
import type { VerifierChange } from './sibling-changes.ts'

const SNAPSHOT_SETTING = 'verifier.trust-snapshot'
const DEPLOYMENT_TRUST_SETTING = 'verifier.deployment-trust'

/** Trust configuration set by the deployment administrator (PUT /deployment/trust), kept in the database. */
export interface DeploymentTrust {
  trustAnchors: TrustAnchorPolicy[]
  trustedAnchorers: string[]
}
const SNAPSHOT_TYP = 'flora-trust-snapshot+jwt'

/** RFC 7638 thumbprint of an EC JWK. */
export function thumbprintOf(jwk: Record<string, unknown>): string {
  return createHash('sha256')
    .update(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y }))
    .digest('base64url')
}

/** Parses FLORA_VERIFIER_TRUST_ANCHORS + FLORA_VERIFIER_TRUST_POLICY. */
export function trustAnchorsOf(config: VerifierConfig): TrustAnchorPolicy[] {
  let policy: Record<string, { types?: string[]; jurisdictions?: string[] }> = {}
  try {
    policy = JSON.parse(config.FLORA_VERIFIER_TRUST_POLICY) as typeof policy
  } catch {
    throw new TypeError('FLORA_VERIFIER_TRUST_POLICY is not JSON')
  }
  const dids = new Set([...config.FLORA_VERIFIER_TRUST_ANCHORS, ...Object.keys(policy)])
  return [...dids].map((did) => ({ did, ...(policy[did] ?? {}) }))
}

/**
 * The verifier's trust state: caches in front of the ledger (or, offline, only an imported snapshot)
 * and the policy the pipeline applies. Snapshots are exported signed with the verifier's P-256 key
 * and imported only from exporters whose key thumbprint is configured.
 */
export class TrustService {
  readonly cache: TrustCache
  readonly ledgerOrigin: string
  /** From FLORA_VERIFIER_TRUST_ANCHORS/_POLICY, else as the deployment administrator set it. */
  trustAnchors: TrustAnchorPolicy[]
  #deployedAnchorers: string[] = []

  constructor(
    private readonly config: VerifierConfig,
    private readonly db: Db<'verifier'>,
    private readonly identity: VerifierIdentity,
    source?: TrustReaders,
    private readonly siblings: SiblingBus = noSiblings,
  ) {
    this.ledgerOrigin = new URL(config.FLORA_LEDGER_URL).origin
    const ledger =
      source ??
      (config.FLORA_VERIFIER_OFFLINE
        ? undefined
        : createLedgerReaders({ ledgerUrl: config.FLORA_LEDGER_URL, timeoutMs: config.FLORA_VERIFIER_LEDGER_TIMEOUT_MS }))
    this.cache = new TrustCache(ledger, {
      didTtl: config.FLORA_VERIFIER_DID_TTL_SECONDS,
      attributeTtl: config.FLORA_VERIFIER_TIR_TTL_SECONDS,
      schemaTtl: config.FLORA_VERIFIER_SCHEMA_TTL_SECONDS,
      anchorTtl: config.FLORA_VERIFIER_ANCHOR_TTL_SECONDS,
      statusMaxAge: config.FLORA_VERIFIER_STATUS_MAX_AGE_SECONDS,
    })
    this.trustAnchors = trustAnchorsOf(config)
  }

  /** Whether the environment configures the trust anchors (then the deployment setting is ignored). */
  get anchorsFromEnvironment(): boolean {
    this.#anchorsFromEnvironment ??= trustAnchorsOf(this.config).length > 0
    return this.#anchorsFromEnvironment
  }
  #anchorsFromEnvironment: boolean | undefined

  /** The trust configuration in effect and where it comes from. */
  effectiveTrust(): DeploymentTrust & { anchorsSource: 'environment' | 'deployment' | 'none' } {
    return {
      trustAnchors: this.trustAnchors,
      trustedAnchorers: this.#trustedAnchorers(),
      anchorsSource: this.anchorsFromEnvironment
        ? 'environment'
        : this.trustAnchors.length
          ? 'deployment'
          : 'none',
    }
  }

  #trustedAnchorers(): string[] {
    return this.config.FLORA_VERIFIER_TRUSTED_ANCHORERS.length
      ? this.config.FLORA_VERIFIER_TRUSTED_ANCHORERS
      : this.#deployedAnchorers
  }

  #applyDeploymentTrust(trust: DeploymentTrust): void {
    if (!this.anchorsFromEnvironment) this.trustAnchors = trust.trustAnchors
    this.#deployedAnchorers = trust.trustedAnchorers
  }

  /**
   * Sets the trust anchors (with their policies) and the trusted anchorers as the deployment
   * administrator decides them; environment variables, when set, keep precedence.
   */
  async setDeploymentTrust(trust: DeploymentTrust): Promise<void> {
    const value = JSON.stringify(trust)
    await this.db.client.serviceSetting.upsert({
      where: { key: DEPLOYMENT_TRUST_SETTING },
      create: { key: DEPLOYMENT_TRUST_SETTING, value },
      update: { value },
    })
    this.#applyDeploymentTrust(trust)
    this.siblings.broadcast({ kind: 'trust-changed' } satisfies VerifierChange)
  }

  /** Loads the deployment's trust setting and a previously imported snapshot (offline mode) at start. */
  async restore(): Promise<void> {
    const deployed = await this.db.client.serviceSetting.findUnique({ where: { key: DEPLOYMENT_TRUST_SETTING } })
    if (deployed) this.#applyDeploymentTrust(JSON.parse(deployed.value) as DeploymentTrust)
    if (!this.cache.offline) return
    const stored = await this.db.client.serviceSetting.findUnique({ where: { key: SNAPSHOT_SETTING } })
    if (stored) this.cache.load(this.#open(stored.value).entries)
  }

  context(now = new Date()): PipelineContext {
    return {
      readers: this.cache,
      now,
      ledgerOrigin: this.ledgerOrigin,
      trustAnchors: this.trustAnchors,
      anchoringPendingSeconds: this.config.FLORA_VERIFIER_ANCHOR_PENDING_SECONDS,
      trustedAnchorers: this.#trustedAnchorers(),
      statusMaxAgeSeconds: this.config.FLORA_VERIFIER_STATUS_MAX_AGE_SECONDS,
      timeZone: this.config.FLORA_VERIFIER_TIME_ZONE,
    }
  }

  /** Exports the cached trust data as a JWS signed by this verifier. */
  async exportSnapshot(): Promise<{ snapshot: string; entries: number; thumbprint: string }> {
    const entries = this.cache.entries()
    const signer = this.identity.assertion
    const snapshot = await signer.signJwt(
      { iss: this.identity.did, iat: Math.floor(Date.now() / 1000), ledger: this.ledgerOrigin, entries },
      { typ: SNAPSHOT_TYP, kid: this.identity.kid, jwk: signer.publicKeyJwk },
    )
    return { snapshot, entries: entries.length, thumbprint: thumbprintOf(signer.publicKeyJwk) }
  }

  #open(snapshot: string): { entries: TrustCacheEntry[]; exporter: string } {
    let jws: ReturnType<typeof decodeJws>
    try {
      jws = decodeJws(snapshot)
    } catch {
      throw new TrustSnapshotInvalid('the snapshot is not a JWS')
    }
    const jwk = jws.header.jwk as Record<string, unknown> | undefined
    if (jws.header.typ !== SNAPSHOT_TYP || !jwk || typeof jwk !== 'object')
      throw new TrustSnapshotInvalid('not a FLORA trust snapshot')
    const thumbprint = thumbprintOf(jwk)
    if (!this.config.FLORA_VERIFIER_SNAPSHOT_TRUSTED_KEYS.includes(thumbprint))
      throw new TrustSnapshotInvalid(`snapshot signer ${thumbprint} is not a trusted exporter`)
    if (!verifyJwsSignature(jws, jwk)) throw new TrustSnapshotInvalid('the snapshot signature does not verify')
    if (jws.payload.ledger !== this.ledgerOrigin) throw new TrustSnapshotInvalid('the snapshot is of another ledger')
    const entries = jws.payload.entries
    if (!Array.isArray(entries)) throw new TrustSnapshotInvalid('the snapshot has no entries')
    return { entries: entries as TrustCacheEntry[], exporter: String(jws.payload.iss) }
  }

  /** Verifies and loads a snapshot; kept in the database so a restart keeps it. */
  async importSnapshot(snapshot: string): Promise<{ entries: number; exporter: string }> {
    const opened = this.#open(snapshot)
    this.cache.load(opened.entries)
    await this.db.client.serviceSetting.upsert({
      where: { key: SNAPSHOT_SETTING },
      create: { key: SNAPSHOT_SETTING, value: snapshot },
      update: { value: snapshot },
    })
    this.siblings.broadcast({ kind: 'trust-changed' } satisfies VerifierChange)
    return { entries: opened.entries.length, exporter: opened.exporter }
  }
}
