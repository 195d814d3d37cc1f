import { defaultDatabaseUrl } from '@flora/db'
import {
  allowedOriginsVariable,
  env,
  limitsVariable,
  loadConfig,
  loginLimitsVariable,
  trustedProxiesVariable,
} from '@flora/service-kit'
import { z } from 'zod'

const list = () =>
  z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean),
    )

/** Every variable the verifier reads, with its default (documented in the README). */
export const verifierConfigShape = {
  FLORA_VERIFIER_HOST: env.host(),
  FLORA_VERIFIER_PORT: env.port(4300),
  /** The URL other parties reach this service at; request objects and response URIs embed it. */
  FLORA_VERIFIER_PUBLIC_URL: env.url('http://localhost:4300'),
  /** Processes serving the port (node:cluster); verification is CPU-bound, so up to one per core. */
  FLORA_VERIFIER_WORKERS: env.int(1, 1),
  FLORA_VERIFIER_DATABASE_URL: z.string().min(1).default(defaultDatabaseUrl('verifier')),
  FLORA_LEDGER_URL: env.url('http://localhost:4100'),
  FLORA_LOG_LEVEL: env.logLevel(),
  /** AES-256-GCM key-encryption key of the verifier's private keys (32 bytes, hex or base64); when absent, `<FLORA_DATA_DIR>/verifier.kek` (0600). */
  FLORA_VERIFIER_KEK: env.key32().optional(),
  FLORA_DATA_DIR: z.string().min(1).default('data'),
  /** Display name shown to wallets in the signed request object. */
  FLORA_VERIFIER_NAME: env.string('Unité Dublin (FR) — FLORA-VC verifier'),
  /** Member state of the verifying authority (ISO 3166 alpha-2), for the Dublin assessment. */
  FLORA_VERIFIER_STATE: env.string('FR'),
  /** Comma-separated DIDs accepted as the top of an accreditation chain. */
  FLORA_VERIFIER_TRUST_ANCHORS: list(),
  /** Optional JSON: { "<anchor DID>": { "types": [...], "jurisdictions": [...] } }. */
  FLORA_VERIFIER_TRUST_POLICY: z.string().default('{}'),
  /** Oldest status-list data accepted, seconds; 0 fetches the list for every verification. */
  FLORA_VERIFIER_STATUS_MAX_AGE_SECONDS: env.int(300),
  FLORA_VERIFIER_DID_TTL_SECONDS: env.int(600),
  FLORA_VERIFIER_TIR_TTL_SECONDS: env.int(600),
  FLORA_VERIFIER_SCHEMA_TTL_SECONDS: env.int(86_400),
  FLORA_VERIFIER_ANCHOR_TTL_SECONDS: env.int(86_400),
  /** How long an unanchored credential is "pending" (not "failed"), seconds. */
  FLORA_VERIFIER_ANCHOR_PENDING_SECONDS: env.int(86_400),
  /** Optional comma-separated DIDs/addresses allowed to have anchored batch roots. */
  FLORA_VERIFIER_TRUSTED_ANCHORERS: list(),
  /** Air-gapped: never contact the ledger; trust data comes only from an imported snapshot. */
  FLORA_VERIFIER_OFFLINE: env.flag(false),
  /** Comma-separated JWK thumbprints of verifiers whose trust snapshots may be imported. */
  FLORA_VERIFIER_SNAPSHOT_TRUSTED_KEYS: list(),
  FLORA_VERIFIER_LEDGER_TIMEOUT_MS: env.int(10_000, 1),
  /** Lifetime of an OpenID4VP request and of a direct-API nonce, seconds. */
  FLORA_VERIFIER_REQUEST_TTL_SECONDS: env.int(600, 1),
  /** How often expired OpenID4VP requests are closed and their Eurodac references erased, seconds. */
  FLORA_VERIFIER_REQUEST_SWEEP_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  /** Where the direct_post answer redirects the wallet by default (EBSI conformance: openid://). */
  FLORA_VERIFIER_WALLET_REDIRECT_URI: env.string('openid://'),
  /** Optional: creates the "admin" account with this password on first start. */
  FLORA_VERIFIER_ADMIN_PASSWORD: z.string().min(12).optional(),
  /**
   * Token of the deployment administrator (/deployment/…: onboarding on the ledger, trust anchors,
   * staff). Unset: generated once into <data dir>/verifier-admin-token (mode 0600).
   */
  FLORA_VERIFIER_ADMIN_TOKEN: z.string().min(32).optional(),
  /** Staff session lifetime, seconds. */
  FLORA_VERIFIER_SESSION_TTL_SECONDS: env.int(28_800, 60),
  /** Lifetime of a new API token, days. */
  FLORA_VERIFIER_API_TOKEN_TTL_DAYS: env.int(90, 1),
  /**
   * Addresses or CIDR ranges of the reverse proxies in front of the verifier (comma-separated). Only
   * a request from one of them has its X-Forwarded-For read for the client address that login and
   * OID4VP-answer throttling count by. Default: none (the TCP peer is the client).
   */
  FLORA_VERIFIER_TRUSTED_PROXIES: trustedProxiesVariable(),
  /** Login limits per window: `window=900,client=30,account-client=5,account=20,device=10`. */
  FLORA_VERIFIER_LOGIN_THROTTLE: loginLimitsVariable(),
  /** Failed OID4VP answers (unknown state, not a form) a client may post per window: `window=900,client=30`. */
  FLORA_VERIFIER_RESPONSE_THROTTLE: limitsVariable({ window: 900, client: 30 }),
  /** Origins besides the public URL's whose pages may make cookie-authenticated changes (comma-separated). */
  FLORA_VERIFIER_ALLOWED_ORIGINS: allowedOriginsVariable(),
}

export type VerifierConfig = ReturnType<typeof loadVerifierConfig>

export const loadVerifierConfig = (source: Record<string, string | undefined> = process.env) =>
  loadConfig(verifierConfigShape, source)
