import { z } from 'zod'
import pkg from '../../../package.json' with { type: 'json' }

export const SERVICE_NAME = 'wallet-ui'
export const SERVICE_VERSION: string = pkg.version
/** Uptime counts from when the server code loaded, not from process start (which may include a build). */
const startedAt = Date.now()

/** Same shape as every other FLORA-VC service's /health (service-kit's standardOperations). */
export const healthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  service: z.string(),
  version: z.string(),
  uptimeSeconds: z.number(),
  checks: z.record(z.string(), z.string()),
})
export type Health = z.infer<typeof healthSchema>

/**
 * No checks yet: the shell depends on nothing. When the holder agent and @flora/db land, their
 * readiness goes into `checks` and a failing one turns the status to "degraded" (503).
 */
export async function healthReport(checks: Record<string, () => Promise<void>> = {}): Promise<Health> {
  const results: Record<string, string> = {}
  for (const [name, check] of Object.entries(checks)) {
    try {
      await check()
      results[name] = 'ok'
    } catch (error) {
      results[name] = `failing: ${(error as Error).message}`
    }
  }
  return {
    status: Object.values(results).every((value) => value === 'ok') ? 'ok' : 'degraded',
    service: SERVICE_NAME,
    version: SERVICE_VERSION,
    uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
    checks: results,
  }
}
