import type { SiblingBus } from '@flora/service-kit'
import type { AuthService } from './auth.ts'
import type { TrustService } from './trust.ts'

/**
 * Changes one verifier worker makes that the others hold in memory: a revoked session would keep
 * working from their principal caches, a new trust setting or snapshot would not apply there.
 */
export type VerifierChange = { kind: 'token-revoked'; tokenHash: string } | { kind: 'trust-changed' }

/** Applies the siblings' changes to this worker's caches. */
export function followSiblingChanges(
  siblings: SiblingBus,
  services: { auth: AuthService; trust: TrustService },
): void {
  siblings.onMessage((message) => {
    const change = message as Partial<VerifierChange>
    if (change.kind === 'token-revoked' && typeof change.tokenHash === 'string')
      services.auth.forget(change.tokenHash)
    // the setting is in the shared database: read it as the worker did at start
    else if (change.kind === 'trust-changed') void services.trust.restore()
  })
}
