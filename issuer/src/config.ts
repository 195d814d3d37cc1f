import { isTimeZone } from '@flora/credentials'
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

/** Every variable the issuer reads, with its default (documented in the README). */
export const issuerConfigShape = {
  FLORA_ISSUER_HOST: env.host(),
  FLORA_ISSUER_PORT: env.port(4200),
  /** The URL other parties reach this service at; credentials and metadata embed it. */
  FLORA_ISSUER_PUBLIC_URL: env.url('http://localhost:4200'),
  FLORA_ISSUER_DATABASE_URL: z.string().min(1).default(defaultDatabaseUrl('issuer')),
  FLORA_LEDGER_URL: env.url('http://localhost:4100'),
  FLORA_LOG_LEVEL: env.logLevel(),
  /**
   * 32-byte deployment secret (hex or base64): derives pre-authorised and transaction codes and
   * authenticates access tokens and c_nonces. Unset: `<FLORA_DATA_DIR>/issuer.secret`, generated
   * once (0600), which suits the embedded single-site default only.
   */
  FLORA_ISSUER_SECRET: env.key32().optional(),
  /**
   * 32-byte key-encryption key of the authorities' private keys (AES-256-GCM). Unset:
   * `<FLORA_DATA_DIR>/issuer.kek` (0600) — beside the database, never in it.
   */
  FLORA_ISSUER_KEK: env.key32().optional(),
  /** Where generated key files live (the embedded SQLite databases default there too). */
  FLORA_DATA_DIR: z.string().min(1).default('data'),
  /** Anchoring period: one padded Merkle root per period, even when nothing was issued. */
  FLORA_ISSUER_ANCHOR_INTERVAL_MS: env.int(60_000, 10),
  /** Minimum leaves per batch (padding hides volume); rounded up to a power of two. */
  FLORA_ISSUER_ANCHOR_MIN_BATCH: env.int(64, 1),
  /** Maximum real leaves per batch; more stay pending for the next period. */
  FLORA_ISSUER_ANCHOR_MAX_BATCH: env.int(16_384, 1),
  /** Credential validity in months (36: covers the longest Dublin transfer period, see domain/credential.ts). */
  FLORA_ISSUER_CREDENTIAL_VALIDITY_MONTHS: env.int(36, 1),
  /** How long an offer (pre-authorised code) can be redeemed. */
  FLORA_ISSUER_OFFER_TTL_SECONDS: env.int(7 * 24 * 3600, 60),
  /**
   * How long after signing the wallet may fetch the same credential again (its response was lost),
   * proving the holder key anew. The signed credential is kept only that long, then erased.
   */
  FLORA_ISSUER_REDELIVERY_SECONDS: env.int(24 * 3600, 60),
  /** Staff session lifetime. */
  FLORA_ISSUER_SESSION_TTL_SECONDS: env.int(8 * 3600, 60),
  /**
   * How long a ledger accreditation lookup is trusted before the TIR is asked again: recording and
   * redemption see a revocation at the latest this long after it. An older answer is never used,
   * also not when the ledger cannot be reached (then both are refused).
   */
  FLORA_ISSUER_ACCREDITATION_CACHE_SECONDS: env.int(60, 0),
  /** c_nonce lifetime. */
  FLORA_ISSUER_NONCE_TTL_SECONDS: env.int(300, 10),
  /** Validity of one signed StatusList2021Credential snapshot. */
  FLORA_ISSUER_STATUS_LIST_TTL_SECONDS: env.int(24 * 3600, 60),
  /**
   * Group commit: how long a write waits for concurrent ones to share its transaction. 0 (default):
   * no added latency; groups still form from the requests that arrive while a commit runs.
   */
  FLORA_ISSUER_GROUP_COMMIT_LINGER_MS: env.int(0, 0),
  /**
   * Token of the deployment administrator (onboards tenant authorities and the anchoring identity,
   * /admin/authorities…). Unset: generated once into <data dir>/issuer-admin-token (mode 0600).
   */
  FLORA_ISSUER_ADMIN_TOKEN: z.string().min(32).optional(),
  /**
   * Addresses or CIDR ranges of the reverse proxies in front of the issuer (comma-separated). Only a
   * request from one of them has its X-Forwarded-For read for the client address that login and
   * token-endpoint throttling count by. Default: none (the TCP peer is the client).
   */
  FLORA_ISSUER_TRUSTED_PROXIES: trustedProxiesVariable(),
  /** Login limits per window: `window=900,client=30,account-client=5,account=20,device=10`. */
  FLORA_ISSUER_LOGIN_THROTTLE: loginLimitsVariable(),
  /**
   * Unknown pre-authorised codes a client may present per window: `window=900,client=100`. Honest
   * wallets present none but by mistake (a wallet server speaks for many case wallets); real
   * offers are never refused by it.
   */
  FLORA_ISSUER_TX_CODE_THROTTLE: limitsVariable({ window: 900, client: 100 }),
  /** Lifetime of a new API token, days. */
  FLORA_ISSUER_API_TOKEN_TTL_DAYS: env.int(90, 1),
  /**
   * Origins besides the public URL's whose pages may make cookie-authenticated changes
   * (comma-separated, e.g. a staff UI on its own origin that calls the API from the browser).
   */
  FLORA_ISSUER_ALLOWED_ORIGINS: allowedOriginsVariable(),
  /**
   * IANA time zone whose calendar day is "today" for the deadline monitor (days left, overdue). A
   * zone the runtime does not know stops the start.
   */
  FLORA_ISSUER_TIME_ZONE: z
    .string()
    .default('Europe/Berlin')
    .refine(isTimeZone, 'must be an IANA time zone, e.g. Europe/Berlin'),
  /** The staff wallet's URL: the deadline monitor and calendar feed link to `<it>/cases/<caseId>`. */
  FLORA_ISSUER_WALLET_URL: env.url('http://localhost:4400'),
  /** Calendar feed downloads per client and window (capability URLs; calendar apps poll them). */
  FLORA_ISSUER_CALENDAR_THROTTLE: limitsVariable({ window: 3600, client: 120 }),
  /**
   * Lifetime of a new calendar feed, days. A feed also ends with its creator's access (staff account
   * disabled, API token revoked or expired).
   */
  FLORA_ISSUER_CALENDAR_FEED_DAYS: env.int(180, 1),
  /**
   * GET /monitor/deadlines per authority and window: every call that misses the cache assesses every
   * case the authority holds (see the README).
   */
  FLORA_ISSUER_DEADLINES_THROTTLE: limitsVariable({ window: 60, authority: 120 }),
}

export type IssuerConfig = ReturnType<typeof loadIssuerConfig>

export const loadIssuerConfig = (source: Record<string, string | undefined> = process.env) =>
  loadConfig(issuerConfigShape, source)
