import { defaultDatabaseUrl } from '@flora/db'
import { env, loadConfig } from '@flora/service-kit'
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
}

export type IssuerConfig = ReturnType<typeof loadIssuerConfig>

export const loadIssuerConfig = (source: Record<string, string | undefined> = process.env) =>
  loadConfig(issuerConfigShape, source)
