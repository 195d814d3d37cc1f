import { type EbsiClient, type EbsiEntity, EbsiNotFound, onboardEntity } from '@flora/ebsi-connector'

/**
 * Ledger steps of the trust-anchor side, each completing what is missing and doing nothing when the
 * ledger already shows it done — the reason the bootstrap can be interrupted and resumed.
 */

const actorOf = (entity: EbsiEntity) => ({
  did: entity.did,
  controller: entity.controller,
  authentication: entity.assertion,
})

export async function resolveDid(
  ebsi: EbsiClient,
  did: string,
): Promise<Record<string, unknown> | undefined> {
  try {
    return (await ebsi.didRegistry.resolve(did)) as unknown as Record<string, unknown>
  } catch (error) {
    if (error instanceof EbsiNotFound) return undefined
    throw error
  }
}

/** Whether the DID document lists the entity's P-256 key as assertionMethod and authentication. */
export function fullyRegistered(
  document: Record<string, unknown> | undefined,
  did: string,
  assertionKid: string,
) {
  if (!document) return false
  const kid = `${did}#${assertionKid}`
  return ['assertionMethod', 'authentication'].every(
    (name) => Array.isArray(document[name]) && (document[name] as unknown[]).includes(kid),
  )
}

/**
 * EBSI onboarding of an entity whose keys this party holds (the client's resumable `onboardEntity`):
 * the authorisation is asked for only when the DID is not registered yet.
 * @returns the number of transactions sent (0 when already registered)
 */
export async function registerDid(
  ebsi: EbsiClient,
  entity: EbsiEntity,
  authorise: () => Promise<string>,
): Promise<number> {
  return (await onboardEntity(ebsi, { entity, authorisationToOnboard: authorise })).length
}

/** The TIR attribute of `did` with this id: absent, pre-registered (no body yet) or written. */
export async function attributeState(
  ebsi: EbsiClient,
  did: string,
  attributeId: string,
): Promise<'absent' | 'reserved' | 'written' | 'revoked'> {
  try {
    const { attribute } = await ebsi.trustedIssuersRegistry.getAttribute(did, attributeId)
    if (attribute.issuerType === 'Revoked') return 'revoked'
    return attribute.body ? 'written' : 'reserved'
  } catch (error) {
    if (error instanceof EbsiNotFound) return 'absent'
    throw error
  }
}

/** The accreditor pre-registers an attribute for `subjectDid` (setAttributeMetadata under tir_write). */
export async function preRegister(
  ebsi: EbsiClient,
  args: {
    accreditor: EbsiEntity
    accreditorAttributeId: string
    subjectDid: string
    attributeId: string
    issuerType: 1 | 2 | 3
  },
): Promise<void> {
  await ebsi.transactions.write({
    api: 'trusted-issuers-registry',
    method: 'setAttributeMetadata',
    scope: 'tir_write',
    actor: actorOf(args.accreditor),
    params: {
      did: args.subjectDid,
      attributeId: args.attributeId,
      issuerType: args.issuerType,
      taoDid: args.accreditor.did,
      taoAttributeId: args.accreditorAttributeId,
    },
  })
}
