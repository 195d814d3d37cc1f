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

/** One jurisdiction of the complete-chain trust policy. */
export interface CompleteChainJurisdiction {
  state: string
  recordingDelayDays: number
}

const completeChainVariable = () =>
  z
    .string()
    .default('')
    .transform((value, ctx): CompleteChainJurisdiction[] => {
      const entries: CompleteChainJurisdiction[] = []
      for (const item of value
        .split(',')
        .map((i) => i.trim())
        .filter(Boolean)) {
        const match = /^([A-Z]{2}):(\d{1,3})$/.exec(item)
        if (!match) {
          ctx.addIssue({ code: 'custom', message: `"${item}" is not STATE:DAYS (e.g. DE:2)` })
          return z.NEVER
        }
        if (entries.some((e) => e.state === match[1])) {
          ctx.addIssue({ code: 'custom', message: `${match[1]} is listed twice` })
          return z.NEVER
        }
        entries.push({ state: match[1]!, recordingDelayDays: Number(match[2]) })
      }
      return entries
    })

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
  /**
   * Member state of the verifying authority (ISO 3166 alpha-2), for the Dublin assessment: whether
   * the verifier is a party of the case, and whose acts its officers may declare.
   */
  FLORA_VERIFIER_STATE: z
    .string()
    .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as FR')
    .default('FR'),
  /**
   * IANA time zone of the verifying authority: a verification without an explicit asOf is assessed
   * as of today in this zone (a verification at 00:30 in Paris is on the Paris day, not the UTC one).
   */
  FLORA_VERIFIER_TIME_ZONE: z
    .string()
    .default('Europe/Paris')
    .refine(isTimeZone, 'must be an IANA time zone such as Europe/Paris'),
  /**
   * Trust policy for complete chains (`DE:2,AT:3`): the authorities of each listed state record every
   * event of a case in its chain within that many days, so an event absent from an unbroken chain did
   * not happen up to head issuance day − days − 1. Empty (the default): no absence rests on a chain.
   */
  FLORA_VERIFIER_COMPLETE_CHAIN: completeChainVariable(),
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
