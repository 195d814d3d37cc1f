import { decodeJwtParts, holderPackage } from './deps.ts'
import { resolveDid } from './holder.ts'

export type CheckOutcome = 'passed' | 'failed' | 'pending' | 'not-established'

export interface CredentialCheck {
  check: 'signature' | 'validity' | 'holder' | 'status' | 'anchoring'
  outcome: CheckOutcome
  /** Message parameters (dates, block numbers). */
  params: Record<string, string | number>
}

/**
 * What the wallet itself can tell about a credential it holds: the issuer's signature against its
 * DID document on the ledger, the validity window, the binding to the case's did:key, the status
 * the issuer reports and whether its anchoring proof has arrived. The verifier's report is the
 * authoritative check (accreditation chain, schema, status list, root on the ledger).
 */
export async function checkCredential(args: {
  jwt: string
  holderDid: string
  state: 'offered' | 'valid' | 'suspended' | 'revoked' | 'unknown'
  anchor: { state: 'anchored' | 'pending' | 'none'; blockNumber: number | null; anchoredAt: string | null }
  now?: Date
}): Promise<CredentialCheck[]> {
  const checks: CredentialCheck[] = []
  let header: Record<string, unknown> = {}
  let payload: Record<string, unknown> = {}
  try {
    ;({ header, payload } = decodeJwtParts(args.jwt))
  } catch {
    return [{ check: 'signature', outcome: 'failed', params: {} }]
  }
  const kid = typeof header.kid === 'string' ? header.kid : ''
  const did = kid.split('#')[0] ?? ''
  const { keyOf, verifyEs256 } = await holderPackage()
  try {
    const document = did ? await resolveDid(did) : undefined
    const jwk = document ? keyOf(document, kid, ['assertionMethod']) : undefined
    if (!document) checks.push({ check: 'signature', outcome: 'not-established', params: { did } })
    else checks.push({ check: 'signature', outcome: jwk && (await verifyEs256(args.jwt, jwk)) ? 'passed' : 'failed', params: { did } })
  } catch {
    checks.push({ check: 'signature', outcome: 'not-established', params: { did } })
  }
  const now = (args.now ?? new Date()).getTime() / 1000
  const nbf = typeof payload.nbf === 'number' ? payload.nbf : undefined
  const exp = typeof payload.exp === 'number' ? payload.exp : undefined
  const validity = (nbf !== undefined && nbf > now) || (exp !== undefined && exp < now) ? 'failed' : 'passed'
  checks.push({
    check: 'validity',
    outcome: validity,
    params: {
      from: nbf !== undefined ? new Date(nbf * 1000).toISOString().slice(0, 10) : '–',
      until: exp !== undefined ? new Date(exp * 1000).toISOString().slice(0, 10) : '–',
    },
  })
  checks.push({ check: 'holder', outcome: payload.sub === args.holderDid ? 'passed' : 'failed', params: {} })
  checks.push({
    check: 'status',
    outcome: args.state === 'valid' ? 'passed' : args.state === 'unknown' ? 'not-established' : 'failed',
    params: { state: args.state },
  })
  checks.push({
    check: 'anchoring',
    outcome: args.anchor.state === 'anchored' ? 'passed' : 'pending',
    params: { block: args.anchor.blockNumber ?? '–', at: args.anchor.anchoredAt ?? '–' },
  })
  return checks
}
