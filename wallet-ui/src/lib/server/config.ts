import { resolve } from 'node:path'
import { limitsVariable } from '@flora/service-kit/throttle'
import { z } from 'zod'

/*
 * Self-contained on purpose (not @flora/service-kit's loadConfig): that package's entry point also
 * exports the koa app, which would be pulled into the SvelteKit server bundle. The variables, defaults
 * and error style match the other services. (Its `throttle` entry point is free of koa.)
 */

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback)
const url = (fallback: string) =>
  z
    .url({ protocol: /^https?$/ })
    .default(fallback)
    .transform((value) => value.replace(/\/+$/, ''))

/** A comma-separated list of http(s) origins (a URL's path is ignored: only its origin counts). */
const origins = z
  .string()
  .optional()
  .transform((value, ctx) => {
    const list: string[] = []
    for (const item of (value ?? '').split(',').map((v) => v.trim()).filter(Boolean)) {
      try {
        const url = new URL(item)
        if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http(s)')
        list.push(url.origin)
      } catch {
        ctx.addIssue({ code: 'custom', message: `"${item}" is not an http(s) origin` })
      }
    }
    return list
  })

export const walletConfigSchema = z.object({
  /** Bind address. Separate from the public URL: behind a proxy the two differ. */
  FLORA_WALLET_HOST: z.string().min(1).default('127.0.0.1'),
  FLORA_WALLET_PORT: port(4400),
  /** The URL users (and, later, OID4VC redirects) reach the wallet at. */
  FLORA_WALLET_PUBLIC_URL: url('http://localhost:4400'),
  FLORA_ISSUER_URL: url('http://localhost:4200'),
  FLORA_VERIFIER_URL: url('http://localhost:4300'),
  FLORA_LEDGER_URL: url('http://localhost:4100'),
  /** The wallet's own database (case wallets, credentials, sessions); SQLite file or postgres://. */
  FLORA_WALLET_DATABASE_URL: z.string().min(1).optional(),
  /**
   * 32-byte key-encryption key (64 hex digits) of the case wallets' holder keys and the sealed
   * service tokens. Unset: generated once into `<data dir>/wallet.kek` (0600), never the database.
   */
  FLORA_WALLET_KEK: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex digits (32 bytes)')
    .optional(),
  FLORA_DATA_DIR: z.string().min(1).default('data'),
  /** Issuer origins the wallet may fetch from for OpenID4VCI, besides FLORA_ISSUER_URL's. */
  FLORA_WALLET_TRUSTED_ISSUER_ORIGINS: origins,
  /** Verifier origins the wallet may fetch from and answer for OpenID4VP, besides FLORA_VERIFIER_URL's. */
  FLORA_WALLET_TRUSTED_VERIFIER_ORIGINS: origins,
  /** Timeout of one outbound exchange (headers and body) of the holder. */
  FLORA_WALLET_OUTBOUND_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /** Largest response body the holder reads; a larger one is cut and refused. */
  FLORA_WALLET_OUTBOUND_MAX_BYTES: z.coerce.number().int().min(1024).max(64 * 1024 * 1024).default(1024 * 1024),
  /**
   * DIDs accepted at the top of an issuer's accreditation chain (comma-separated). Unset: the Root
   * TAO the pilot bootstrap records in `<data dir>/pilot-bootstrap.json`.
   */
  FLORA_WALLET_TRUST_ANCHORS: z
    .string()
    .optional()
    .transform((value) => (value ?? '').split(',').map((v) => v.trim()).filter(Boolean))
    .refine((dids) => dids.every((did) => did.startsWith('did:')), 'must be a comma-separated list of DIDs'),
  /** Display names of parties the deployment vouches for, as a JSON object DID → name. */
  FLORA_WALLET_PARTY_NAMES: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (!value) return {}
      try {
        const parsed = z.record(z.string().startsWith('did:'), z.string().min(1).max(200)).parse(JSON.parse(value))
        return parsed
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON object of DID → name' })
        return {}
      }
    }),
  /**
   * Sign-ins per window the wallet relays: `window=900,client=20,account-client=5` (per browser
   * address, and per account and address). The services behind keep their own limits; the
   * wallet's per address stays below theirs per client (30), so that one guessing address is
   * stopped here before it could use up what a service grants a client, were the wallet not among
   * that service's trusted proxies.
   */
  FLORA_WALLET_SIGNIN_THROTTLE: limitsVariable({ window: 900, client: 20, 'account-client': 5 }),
})

export interface WalletConfig {
  host: string
  port: number
  /** The origin users browse to; SvelteKit checks form posts against it (CSRF). */
  publicUrl: string
  services: { issuer: string; verifier: string; ledger: string }
  databaseUrl: string
  /** Hex key-encryption key, or undefined (then generated into `<dataDir>/wallet.kek`). */
  kek: string | undefined
  /** Where the embedded defaults live (SQLite file, generated KEK, the pilot's bootstrap record). */
  dataDir: string
  /** Origins the holder may reach, per role (exact origins). */
  trustedOrigins: { issuer: string[]; verifier: string[]; ledger: string[] }
  outbound: { timeoutMs: number; maxBytes: number }
  /** Configured trust anchors; empty: the pilot bootstrap's Root TAO (see FLORA_WALLET_TRUST_ANCHORS). */
  trustAnchors: string[]
  /** Names the deployment gives to parties, by DID. */
  partyNames: Record<string, string>
  /** Sign-in limits of the wallet itself. */
  signInLimits: { window: number; client: number; 'account-client': number }
}

export class ConfigInvalid extends Error {
  readonly code = 'ERR_CONFIG_INVALID'
  constructor(readonly problems: string[]) {
    super(`invalid wallet-ui configuration:\n  ${problems.join('\n  ')}`)
    this.name = 'ConfigInvalid'
  }
}

/** Reads and validates the environment; reports every problem at once so an operator fixes all in one go. */
export function loadWalletConfig(env: Record<string, string | undefined> = process.env): WalletConfig {
  const keys = Object.keys(walletConfigSchema.shape) as (keyof typeof walletConfigSchema.shape)[]
  // An empty variable means "not set", as in the other services.
  const picked = Object.fromEntries(keys.map((key) => [key, env[key] === '' ? undefined : env[key]]))
  const result = walletConfigSchema.safeParse(picked)
  if (!result.success) {
    throw new ConfigInvalid(result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`))
  }
  const c = result.data
  const unique = (list: string[]) => [...new Set(list)]
  return {
    host: c.FLORA_WALLET_HOST,
    port: c.FLORA_WALLET_PORT,
    publicUrl: c.FLORA_WALLET_PUBLIC_URL,
    services: { issuer: c.FLORA_ISSUER_URL, verifier: c.FLORA_VERIFIER_URL, ledger: c.FLORA_LEDGER_URL },
    databaseUrl: c.FLORA_WALLET_DATABASE_URL ?? defaultDatabaseUrl(env),
    kek: c.FLORA_WALLET_KEK,
    dataDir: resolve(c.FLORA_DATA_DIR),
    trustedOrigins: {
      issuer: unique([new URL(c.FLORA_ISSUER_URL).origin, ...c.FLORA_WALLET_TRUSTED_ISSUER_ORIGINS]),
      verifier: unique([new URL(c.FLORA_VERIFIER_URL).origin, ...c.FLORA_WALLET_TRUSTED_VERIFIER_ORIGINS]),
      ledger: [new URL(c.FLORA_LEDGER_URL).origin],
    },
    outbound: { timeoutMs: c.FLORA_WALLET_OUTBOUND_TIMEOUT_MS, maxBytes: c.FLORA_WALLET_OUTBOUND_MAX_BYTES },
    trustAnchors: c.FLORA_WALLET_TRUST_ANCHORS,
    partyNames: c.FLORA_WALLET_PARTY_NAMES,
    signInLimits: c.FLORA_WALLET_SIGNIN_THROTTLE,
  }
}

/** As @flora/db's defaultDatabaseUrl('wallet'): a PostgreSQL DATABASE_URL, else <data dir>/wallet.db. */
function defaultDatabaseUrl(env: Record<string, string | undefined>): string {
  if (env.DATABASE_URL && /^postgres(ql)?:\/\//.test(env.DATABASE_URL)) return env.DATABASE_URL
  return `file:${resolve(env.FLORA_DATA_DIR || 'data', 'wallet.db')}`
}

let cached: WalletConfig | undefined

/** The process-wide config, validated once (at server start, from hooks.server.ts `init`). */
export function walletConfig(): WalletConfig {
  cached ??= loadWalletConfig()
  return cached
}
