import type { Logger } from '@flora/service-kit'
import type { Oid4vpService } from './oid4vp.ts'

/**
 * Runs {@link Oid4vpService.expireOverdue} every `intervalSeconds` in the serving process, so that a
 * request nobody answers or looks at again does not keep the officer's Eurodac reference. Every
 * worker of a clustered verifier runs its own: the update is idempotent, so they never conflict.
 * One run at a time per process; a failed run is logged and the next one tries again.
 */
export function startRequestExpirySweep(
  oid4vp: Pick<Oid4vpService, 'expireOverdue'>,
  intervalSeconds: number,
  logger: Pick<Logger, 'info' | 'warn'>,
): { stop(): Promise<void> } {
  let running: Promise<unknown> | undefined
  const tick = () => {
    if (running) return
    running = oid4vp
      .expireOverdue()
      .then(
        (expired) => {
          if (expired > 0) logger.info({ expired }, 'expired OpenID4VP requests closed, their Eurodac references erased')
        },
        (error: unknown) => logger.warn({ err: error }, 'expiry sweep of OpenID4VP requests failed; the next run retries'),
      )
      .finally(() => {
        running = undefined
      })
  }
  const timer = setInterval(tick, intervalSeconds * 1000)
  timer.unref()
  tick()
  return {
    async stop() {
      clearInterval(timer)
      await running
    },
  }
}
