import { utf8ToHex } from '../../../src/core/index.ts'
import { Actor } from './actor.ts'
import { type LedgerTestClient, randomAttributeId } from './ledger-client.ts'

const FAR = () => ({
  notBefore: Math.floor(Date.now() / 1000) - 60,
  notAfter: Math.floor(Date.now() / 1000) + 10 * 365 * 86400,
})

/** Onboards a legal entity: didr_invite with an onboarding VC from `onboarder`, then its P-256 key. */
export async function onboard(client: LedgerTestClient, onboarder: Actor, name: string): Promise<Actor> {
  const actor = new Actor(name)
  const vc = await onboarder.issueOnboardingVc(actor)
  const invite = await client.token(actor, 'didr_invite', [vc])
  await client.writeOk(
    actor,
    'did-registry/v5',
    'insertDidDocument',
    {
      did: actor.did,
      baseDocument: JSON.stringify({
        '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/suites/jws-2020/v1'],
      }),
      vMethodId: actor.secpKid,
      publicKey: actor.wallet.signingKey.publicKey,
      isSecp256k1: true,
      ...FAR(),
    },
    invite,
  )
  const write = await client.token(actor, 'didr_write')
  await client.writeOk(
    actor,
    'did-registry/v5',
    'addVerificationMethod',
    {
      did: actor.did,
      vMethodId: actor.p256Kid,
      publicKey: actor.p256PublicKeyHex(),
      isSecp256k1: false,
    },
    write,
  )
  for (const name of ['assertionMethod', 'authentication']) {
    await client.writeOk(
      actor,
      'did-registry/v5',
      'addVerificationRelationship',
      { did: actor.did, name, vMethodId: actor.p256Kid, ...FAR() },
      write,
    )
  }
  actor.p256Registered = true
  return actor
}

/**
 * Accredits `subject` under `accreditor`: pre-registration with setAttributeMetadata (tir_write),
 * then the subject registers its accreditation VC with setAttributeData (tir_invite).
 */
export async function accredit(
  client: LedgerTestClient,
  accreditor: { actor: Actor; attributeId: string },
  subject: Actor,
  issuerType: 1 | 2 | 3,
): Promise<string> {
  const attributeId = randomAttributeId()
  const tirWrite = await client.token(accreditor.actor, 'tir_write')
  await client.writeOk(
    accreditor.actor,
    'trusted-issuers-registry/v5',
    'setAttributeMetadata',
    {
      did: subject.did,
      attributeId,
      issuerType,
      taoDid: accreditor.actor.did,
      taoAttributeId: accreditor.attributeId,
    },
    tirWrite,
  )
  const type =
    issuerType === 1
      ? 'VerifiableAuthorisationForTrustChain'
      : issuerType === 2
        ? 'VerifiableAccreditationToAccredit'
        : 'VerifiableAccreditationToAttest'
  const vc = await accreditor.actor.issueVc(
    subject.did,
    [type],
    {
      reservedAttributeId: attributeId,
      accreditedFor: [
        {
          schemaId: 'https://example.invalid/schemas/z1',
          types: ['VerifiableCredential', 'VerifiableAttestation', 'AsylumProcedureMilestone'],
        },
      ],
    },
    {},
  )
  const invite = await client.token(subject, 'tir_invite', [vc])
  await client.writeOk(
    subject,
    'trusted-issuers-registry/v5',
    'setAttributeData',
    { did: subject.did, attributeId, attributeData: utf8ToHex(vc) },
    invite,
  )
  return attributeId
}

export interface TrustChain {
  operator: Actor
  rootTao: Actor
  rootTaoAttributeId: string
  ti: Actor
  tiAttributeId: string
}

/** operator (Support Office) → Root TAO → TI, all over HTTP. */
export async function bootstrapTrustChain(client: LedgerTestClient, operator: Actor): Promise<TrustChain> {
  const rootTao = await onboard(client, operator, 'root-tao')
  const rootTaoAttributeId = await accredit(
    client,
    { actor: operator, attributeId: `0x${'00'.repeat(32)}` },
    rootTao,
    1,
  )
  const ti = await onboard(client, rootTao, 'ti')
  const tiAttributeId = await accredit(client, { actor: rootTao, attributeId: rootTaoAttributeId }, ti, 3)
  return { operator, rootTao, rootTaoAttributeId, ti, tiAttributeId }
}
