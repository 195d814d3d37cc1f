import { defaultDatabaseUrl } from '@flora/db'
import { env, loadConfig } from '@flora/service-kit'
import { z } from 'zod'

/** Every variable the verifier reads, with its default (documented in the README). */
export const verifierConfigShape = {
  FLORA_VERIFIER_HOST: env.host(),
  FLORA_VERIFIER_PORT: env.port(4300),
  /** The URL other parties reach this service at; credentials and metadata embed it. */
  FLORA_VERIFIER_PUBLIC_URL: env.url('http://localhost:4300'),
  FLORA_VERIFIER_DATABASE_URL: z.string().min(1).default(defaultDatabaseUrl('verifier')),
  FLORA_LEDGER_URL: env.url('http://localhost:4100'),
  FLORA_LOG_LEVEL: env.logLevel(),
}

export type VerifierConfig = ReturnType<typeof loadVerifierConfig>

export const loadVerifierConfig = (source: Record<string, string | undefined> = process.env) =>
  loadConfig(verifierConfigShape, source)
