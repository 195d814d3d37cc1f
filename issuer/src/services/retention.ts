import type { IssuerContext } from './context.ts'
import { eraseExpiredCredentials } from './redelivery.ts'
import { pruneUsedNonces } from './used-nonces.ts'

/**
 * The issuer's retention jobs. Each is one guarded statement — idempotent, and safe when every
 * instance sharing the database runs it — so every instance runs all of them every period.
 */
const RETENTION_JOBS: readonly { name: string; run(ctx: IssuerContext): Promise<number> }[] = [
  // signed credentials whose re-delivery window has passed (personal data)
  { name: 'erasing expired credential copies', run: eraseExpiredCredentials },
  // single-use records of c_nonces that can no longer be presented
  { name: 'pruning expired used c_nonces', run: pruneUsedNonces },
]

/** How often the jobs run: what they remove outlives its time by at most this much. */
export const RETENTION_PERIOD_MS = 60_000

/** Runs every retention job every period; one run at a time per process; a failing job does not stop the others. */
export function startRetentionScheduler(ctx: IssuerContext, log: { warn(obj: object, msg: string): void }) {
  let running: Promise<unknown> | undefined
  const runAll = async () => {
    for (const job of RETENTION_JOBS) {
      try {
        await job.run(ctx)
      } catch (error) {
        log.warn({ err: error }, `${job.name} failed; next period retries`)
      }
    }
  }
  const tick = () => {
    if (running) return
    running = runAll().finally(() => {
      running = undefined
    })
  }
  const timer = setInterval(tick, RETENTION_PERIOD_MS)
  timer.unref()
  return {
    /** Runs every job once now (tests, operations). */
    runNow: async () => {
      while (running) await running
      tick()
      await running
    },
    stop: async () => {
      clearInterval(timer)
      await running
    },
  }
}
