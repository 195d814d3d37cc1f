import type { Logger, SiblingBus } from '@flora/service-kit'
import type { AuthService } from './auth.ts'
import type { TrustService } from './trust.ts'

/**
 * Changes one verifier worker makes that the others hold in memory: a revoked session would keep
 * working from their principal caches, a new trust setting or snapshot would not apply there.
 */
export type VerifierChange =
  | { kind: 'token-revoked'; tokenHash: string }
  | { kind: 'staff-disabled'; staffId: string }
  | { kind: 'trust-changed' }

/** Applies the siblings' changes to this worker's caches. */
export function followSiblingChanges(
  siblings: SiblingBus,
  services: { auth: AuthService; trust: TrustService },
  logger: Logger,
): void {
  siblings.onMessage((message) => {
    const change = message as Partial<VerifierChange>
    if (change.kind === 'token-revoked' && typeof change.tokenHash === 'string')
      services.auth.forget(change.tokenHash)
    else if (change.kind === 'staff-disabled' && typeof change.staffId === 'string')
      services.auth.forgetStaff(change.staffId)
    // The setting is in the shared database: read it as the worker did at start. A worker that
    // cannot would go on with trust the operator has changed, so it stops (fail closed) and the
    // primary starts a new one, which reads the setting before it serves.
    else if (change.kind === 'trust-changed')
      services.trust.restore().catch((error: unknown) => {
        logger.error({ err: error }, 'could not apply a trust change made by another worker; stopping')
        process.exit(1)
      })
  })
}
