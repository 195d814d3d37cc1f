import { resolve } from 'node:path'
import { z } from 'zod'

/*
 * Self-contained on purpose (not @flora/service-kit's loadConfig): that package's entry point also
 * exports the koa app, which would be pulled into the SvelteKit server bundle. The variables, defaults
 * and error style match the other services.
 */

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback)
const url = (fallback: string) =>
  z
    .url({ protocol: /^https?$/ })
    .default(fallback)
    .transform((value) => value.replace(/\/+$/, ''))

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
   * service tokens. Unset: generated once and kept in the wallet database (single-site default).
   */
  FLORA_WALLET_KEK: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex digits (32 bytes)')
    .optional(),
})

export interface WalletConfig {
  host: string
  port: number
  /** The origin users browse to; SvelteKit checks form posts against it (CSRF). */
  publicUrl: string
  services: { issuer: string; verifier: string; ledger: string }
  databaseUrl: string
  /** Hex key-encryption key, or undefined (then generated and kept in the database). */
  kek: string | undefined
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
  return {
    host: c.FLORA_WALLET_HOST,
    port: c.FLORA_WALLET_PORT,
    publicUrl: c.FLORA_WALLET_PUBLIC_URL,
    services: { issuer: c.FLORA_ISSUER_URL, verifier: c.FLORA_VERIFIER_URL, ledger: c.FLORA_LEDGER_URL },
    databaseUrl: c.FLORA_WALLET_DATABASE_URL ?? defaultDatabaseUrl(env),
    kek: c.FLORA_WALLET_KEK,
  }
}

/** As @flora/db's defaultDatabaseUrl('wallet'): a PostgreSQL DATABASE_URL, else <data dir>/wallet.db. */
function defaultDatabaseUrl(env: Record<string, string | undefined>): string {
  if (env.DATABASE_URL && /^postgres(ql)?:\/\//.test(env.DATABASE_URL)) return env.DATABASE_URL
  return `file:${resolve(env.FLORA_DATA_DIR ?? 'data', 'wallet.db')}`
}

let cached: WalletConfig | undefined

/** The process-wide config, validated once (at server start, from hooks.server.ts `init`). */
export function walletConfig(): WalletConfig {
  cached ??= loadWalletConfig()
  return cached
}
