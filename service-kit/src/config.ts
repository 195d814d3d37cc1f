import { z } from 'zod'

export class ConfigInvalid extends Error {
  readonly code = 'ERR_CONFIG_INVALID'
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`)
    this.name = 'ConfigInvalid'
  }
}

/**
 * Reads a service's configuration from environment variables. The schema's keys are the variable
 * names; every problem is reported at once, so an operator fixes the whole environment in one go.
 */
export function loadConfig<T extends z.ZodRawShape>(
  shape: T,
  env: Record<string, string | undefined> = process.env,
): z.output<z.ZodObject<T>> {
  const picked = Object.fromEntries(Object.keys(shape).map((key) => [key, emptyToUndefined(env[key])]))
  const result = z.object(shape).safeParse(picked)
  if (!result.success) {
    throw new ConfigInvalid(result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`))
  }
  return result.data
}

const emptyToUndefined = (value: string | undefined) => (value === '' ? undefined : value)

/** Variable helpers with the coercions environment strings need. */
export const env = {
  port: (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback),
  host: (fallback = '127.0.0.1') => z.string().min(1).default(fallback),
  url: (fallback: string) =>
    z
      .string()
      .url()
      .default(fallback)
      .transform((value) => value.replace(/\/+$/, '')),
  optionalUrl: () => z.string().url().optional(),
  string: (fallback: string) => z.string().min(1).default(fallback),
  int: (fallback: number, min = 0) => z.coerce.number().int().min(min).default(fallback),
  flag: (fallback: boolean) =>
    z
      .enum(['true', 'false', '1', '0'])
      .default(fallback ? 'true' : 'false')
      .transform((value) => value === 'true' || value === '1'),
  logLevel: () => z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** A 32-byte key, base64 or hex encoded (e.g. the AES-256-GCM key-encryption key). */
  key32: (fallback?: string) => {
    const base = z.string().refine((value) => decodeKey(value)?.length === 32, {
      message: 'must be 32 bytes, hex (64 chars) or base64',
    })
    return fallback === undefined ? base : base.default(fallback)
  },
}

export function decodeKey(value: string): Buffer | undefined {
  if (/^[0-9a-f]{64}$/i.test(value)) return Buffer.from(value, 'hex')
  const bytes = Buffer.from(value, 'base64')
  return bytes.length === 32 ? bytes : undefined
}
