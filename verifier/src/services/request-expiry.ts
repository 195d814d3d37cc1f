import type { Logger } from '@flora/service-kit'
import type { NonceStore } from './nonces.ts'
import type { Oid4vpService } from './oid4vp.ts'

/**
 * Runs {@link Oid4vpService.expireOverdue} every `intervalSeconds` in the serving process, so that a
 * request nobody answers or looks at again does not keep the officer's Eurodac reference, and prunes
 * expired nonces, which would otherwise pile up for ever. Every worker of a clustered verifier runs
 * its own: both statements are idempotent, so they never conflict. One run at a time per process; a
 * failed job is logged, does not stop the other, and the next run tries again.
 */
export function startRequestExpirySweep(
  oid4vp: Pick<Oid4vpService, 'expireOverdue'>,
  nonces: Pick<NonceStore, 'pruneExpired'>,
  intervalSeconds: number,
  logger: Pick<Logger, 'info' | 'warn'>,
): { stop(): Promise<void> } {
  let running: Promise<unknown> | undefined
  const expireRequests = () =>
    oid4vp.expireOverdue().then(
      (expired) => {
        if (expired > 0) logger.info({ expired }, 'expired OpenID4VP requests closed, their Eurodac references erased')
      },
      (error: unknown) => logger.warn({ err: error }, 'expiry sweep of OpenID4VP requests failed; the next run retries'),
    )
  const pruneNonces = () =>
    nonces.pruneExpired().then(
      (pruned) => {
        if (pruned > 0) logger.info({ pruned }, 'expired nonces pruned')
      },
      (error: unknown) => logger.warn({ err: error }, 'pruning expired nonces failed; the next run retries'),
    )
  const tick = () => {
    if (running) return
    running = Promise.all([expireRequests(), pruneNonces()]).finally(() => {
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
