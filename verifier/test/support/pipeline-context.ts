import type { PipelineContext } from '../../src/pipeline/types.ts'
import { TrustCache } from '../../src/trust/cache.ts'
import { createLedgerReaders } from '../../src/trust/http-readers.ts'
import type { TestWorld } from './world.ts'

/**
 * A pipeline context reading the test world's ledger over HTTP through a fresh trust cache:
 * DIDs, attributes, schemas and anchors kept `ttlSeconds`, status fetched for every verification.
 */
export function pipelineContext(
  world: TestWorld,
  overrides: Partial<PipelineContext> = {},
  ttlSeconds = 60,
): PipelineContext {
  return {
    readers: new TrustCache(createLedgerReaders({ ledgerUrl: world.base }), {
      didTtl: ttlSeconds,
      attributeTtl: ttlSeconds,
      schemaTtl: ttlSeconds,
      anchorTtl: ttlSeconds,
      statusMaxAge: 0,
    }),
    now: new Date(),
    ledgerOrigin: new URL(world.base).origin,
    trustAnchors: [{ did: world.root.did }],
    // the test world's ledger records every batch root as timestamped by its Root TAO
    trustedAnchorers: [world.root.did],
    anchoringPendingSeconds: 3600,
    statusMaxAgeSeconds: 0,
    timeZone: 'Europe/Paris',
    ...overrides,
  }
}
