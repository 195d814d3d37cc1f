import type { OutboundRole } from '@flora/ebsi-connector/holder'
import { walletConfig } from './config.ts'
import { holderPackage } from './deps.ts'

let fetches: Promise<Record<OutboundRole, typeof fetch>> | undefined

/**
 * The wallet server's outbound fetch per role: issuers (OpenID4VCI) only at the trusted issuer
 * origins, verifiers (OpenID4VP) only at the trusted verifier origins, the ledger only at its own;
 * each with the configured timeout and size cap, no redirect off the origin.
 */
export function outboundFetch(role: OutboundRole): Promise<typeof fetch> {
  fetches ??= (async () => {
    const { createGuardedFetch } = await holderPackage()
    const config = walletConfig()
    const guarded = (role: OutboundRole) =>
      createGuardedFetch({ role, allowedOrigins: config.trustedOrigins[role], ...config.outbound })
    return { issuer: guarded('issuer'), verifier: guarded('verifier'), ledger: guarded('ledger') }
  })()
  return fetches.then((all) => all[role])
}
