import type { Accreditation } from '../ledger/ledger-gateway.ts'
import type { IssuerContext } from './context.ts'

/** One answer of the TIR and when it was asked (service clock, ms). */
export interface AccreditationAnswer {
  value: Accreditation | undefined
  checkedAt: number
}

const answers = new Map<string, AccreditationAnswer>()
const asking = new Map<string, Promise<AccreditationAnswer>>()

/** Drops cached ledger answers (tests, and after an accreditation change is known). */
export function forgetAccreditations(): void {
  answers.clear()
}

/**
 * The authority's accreditation as the TIR showed it at most FLORA_ISSUER_ACCREDITATION_CACHE_SECONDS
 * ago by the service clock. Concurrent callers share one ledger request. A ledger failure is thrown
 * (callers fail closed): an older answer is never used in its place, so the cache bounds how late a
 * revocation is seen and never stretches it.
 */
export async function currentAccreditation(ctx: IssuerContext, did: string): Promise<AccreditationAnswer> {
  const now = ctx.now().getTime()
  const cached = answers.get(did)
  if (cached && now - cached.checkedAt < ctx.config.FLORA_ISSUER_ACCREDITATION_CACHE_SECONDS * 1000)
    return cached
  let pending = asking.get(did)
  if (!pending) {
    // the age counts from before the request: the TIR may have changed while it was under way
    pending = ctx.ledger
      .findAccreditation(did)
      .then((value) => {
        const answer = { value, checkedAt: now }
        answers.set(did, answer)
        return answer
      })
      .finally(() => asking.delete(did))
    asking.set(did, pending)
  }
  return pending
}

/**
 * Whether the accreditation lets its holder attest `type`: a TI attribute (not Revoked) whose
 * `accreditedFor` names the type with the type's schema on the TSR.
 */
export function accreditationCovers(
  accreditation: Accreditation | undefined,
  type: string,
  schemaUrl: string,
): boolean {
  if (accreditation?.issuerType !== 'TI') return false
  const schemaId = schemaUrl.split('/').pop()
  return accreditation.accreditedFor.some(
    (entry) =>
      (entry.schemaId === schemaUrl || entry.schemaId.split('/').pop() === schemaId) &&
      entry.types.includes(type),
  )
}
