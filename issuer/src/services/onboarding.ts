import { createHash, randomBytes } from 'node:crypto'
import {
  addIssuerProxy,
  type EbsiClient,
  type EbsiEntity,
  onboardEntity,
  type Signer,
} from '@flora/ebsi-connector'
import type { EcPublicJwk } from '@flora/ebsi-connector/core'
import canonicalize from 'canonicalize'
import { base58btc } from 'multiformats/bases/base58'
import { ANCHORING_OWNER } from '../assembly.ts'
import { createAuthorityKeys, getAuthority, recordOnboarding, setAuthorityProxy } from './authorities.ts'
import type { IssuerContext } from './context.ts'
import { statusListPath, statusListPrefix } from './status-lists.ts'

/**
 * The issuer's side of EBSI onboarding for its tenant authorities and its anchoring identity. The
 * accreditor's side (authorisation to onboard, TIR pre-registration, accreditation VC) is the TAO's
 * and runs with its own keys elsewhere (ebsi-connector CLI).
 */

/** A new legal-entity did:ebsi: version byte 0x01 + 16 random bytes, base58btc multibase. */
export function newDidEbsi(): string {
  return `did:ebsi:${base58btc.encode(Buffer.concat([Buffer.from([1]), randomBytes(16)]))}`
}

/** The authority as an EBSI entity (its did and signers from the encrypted key store). */
export async function authorityEntity(
  ctx: IssuerContext,
  keyStore: (owner: string) => { getSigner(kid: string): Promise<Signer> },
  authorityId: string,
  did?: string,
): Promise<EbsiEntity> {
  const authority = await getAuthority(ctx, authorityId)
  const store = keyStore(authorityId)
  return {
    did: did ?? authority.did!,
    controller: await store.getSigner(authority.controllerKid!),
    assertion: await store.getSigner(authority.assertionKid!),
  }
}

/**
 * Asks the accreditor (a TAO with its own keys) for a VerifiableAuthorisationToOnboard for a DID
 * and the secp256k1 controller key it must name (only that key can use it on the ledger).
 */
export type AuthoriseOnboarding = (did: string, controllerKey: EcPublicJwk) => Promise<string>

/**
 * Creates the authority's keys and did:ebsi and registers the DID document on the ledger with the
 * VerifiableAuthorisationToOnboard its TAO issued for that DID and controller key.
 */
export async function onboardAuthorityDid(
  ctx: IssuerContext,
  ebsi: EbsiClient,
  keyStore: (owner: string) => { getSigner(kid: string): Promise<Signer> },
  authorityId: string,
  authorise: AuthoriseOnboarding,
): Promise<EbsiEntity> {
  await createAuthorityKeys(ctx, authorityId)
  const did = newDidEbsi()
  const entity = await authorityEntity(ctx, keyStore, authorityId, did)
  await onboardEntity(ebsi, {
    entity,
    authorisationToOnboard: await authorise(did, entity.controller.publicKeyJwk),
  })
  await ctx.db.authority.update({ where: { id: authorityId }, data: { did } })
  return entity
}

/** The TIR proxy id EBSI derives: sha256(did ‖ JCS(proxyData)), 0x hex. */
export function proxyIdOf(did: string, proxyData: object): string {
  const jcs = (canonicalize as unknown as (value: unknown) => string)(proxyData)
  return `0x${createHash('sha256').update(`${did}${jcs}`).digest('hex')}`
}

/**
 * Records the authority's TIR attribute and registers its status-list proxy. The proxy id is
 * derived before registration, so the list the TIR fetches for its proxy test already names it.
 */
export async function registerAuthorityOnLedger(
  ctx: IssuerContext,
  ebsi: EbsiClient,
  entity: EbsiEntity,
  authorityId: string,
  attributeId: string,
) {
  const proxy = {
    prefix: statusListPrefix(ctx.config.FLORA_ISSUER_PUBLIC_URL, authorityId),
    headers: {},
    testSuffix: statusListPath('revocation', 1),
  }
  const expected = proxyIdOf(entity.did, proxy)
  await recordOnboarding(ctx, authorityId, {
    did: entity.did,
    attributeUrl: ebsi.trustedIssuersRegistry.attributeUrl(entity.did, attributeId),
    proxyId: expected,
  })
  const { proxyId } = await addIssuerProxy(ebsi, { issuer: entity, proxy })
  if (proxyId !== expected) await setAuthorityProxy(ctx, authorityId, proxyId)
  return { proxyId }
}

/**
 * Creates and onboards the deployment's one anchoring identity (a legal entity of the operator of
 * this deployment, not of any authority) and records it, so anchoring can start.
 */
export async function onboardAnchoringIdentity(
  ctx: IssuerContext,
  ebsi: EbsiClient,
  keyStore: (owner: string) => {
    createKey(args: { keyType: 'Secp256k1' | 'Secp256r1'; alias?: string }): Promise<{ kid: string }>
    getSigner(kid: string): Promise<Signer>
  },
  authorise: AuthoriseOnboarding,
) {
  const store = keyStore(ANCHORING_OWNER)
  const controller = await store.getSigner(
    (await store.createKey({ keyType: 'Secp256k1', alias: 'controller' })).kid,
  )
  const assertion = await store.getSigner(
    (await store.createKey({ keyType: 'Secp256r1', alias: 'assertion' })).kid,
  )
  const entity: EbsiEntity = { did: newDidEbsi(), controller, assertion }
  await onboardEntity(ebsi, {
    entity,
    authorisationToOnboard: await authorise(entity.did, controller.publicKeyJwk),
  })
  await ctx.db.serviceSetting.upsert({
    where: { key: 'issuer.anchoring-identity' },
    create: {
      key: 'issuer.anchoring-identity',
      value: JSON.stringify({ did: entity.did, controllerKid: controller.kid, assertionKid: assertion.kid }),
    },
    update: {
      value: JSON.stringify({ did: entity.did, controllerKid: controller.kid, assertionKid: assertion.kid }),
    },
  })
  return entity
}
