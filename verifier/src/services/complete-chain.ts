import type { Logger } from '@flora/service-kit'
import type { VerifierConfig } from '../config.ts'

/**
 * The precondition the complete-chain policy rests on, in words (log, report). A chain shows only
 * what was delivered into it: an event recorded but never delivered (an offer redeemed late, or
 * never) leaves no gap the chain could show, and the chain would "prove" it never happened.
 */
export const COMPLETE_CHAIN_PRECONDITION =
  "the jurisdiction's issuers deliver every recorded milestone into the case's chain, in recording order, within the recording delay"

/** At start-up with the policy on: a structured warning naming the commitment it relies on. */
export function warnCompleteChainPolicy(config: VerifierConfig, logger: Logger): void {
  const policy = config.FLORA_VERIFIER_COMPLETE_CHAIN
  if (policy.length === 0) return
  logger.warn(
    {
      event: 'complete-chain-policy-on',
      completeChainJurisdictions: policy,
      precondition: COMPLETE_CHAIN_PRECONDITION,
    },
    `FLORA_VERIFIER_COMPLETE_CHAIN is on: absences read from complete chains hold only if ${COMPLETE_CHAIN_PRECONDITION}; FLORA's own issuer forms the chain at redemption and does not meet this yet`,
  )
}
