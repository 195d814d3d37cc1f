import { randomBytes } from 'node:crypto'
import {
  type EcPublicJwk,
  type IssuerProxyData,
  jwkThumbprint,
  onboardingKeyOf,
  proxyIdOf,
  schemaIdOf,
  utf8ToHex,
} from '../core/index.ts'
import { publicKeyHexOf, type Signer } from '../keys/index.ts'
import { type AccreditedForEntry, issueAccreditation } from './credentials.ts'
import type { EbsiClient } from './ebsi-client.ts'
import { EbsiNotFound, OnboardingAuthorisationMismatch } from './errors.ts'
import type { TransactionReceipt } from './registries.ts'
import type { LedgerActor } from './transactions.ts'

/**
 * A legal entity as the ledger knows it: its did:ebsi, its secp256k1 controller key
 * (capabilityInvocation, signs transactions) and its P-256 key (assertionMethod + authentication,
 * signs credentials and, once registered, the VPs for access tokens).
 */
export interface EbsiEntity {
  did: string
  controller: Signer
  assertion: Signer
}

/** The TIR issuerType codes of setAttributeMetadata. */
export const ISSUER_TYPE = { RootTAO: 1, TAO: 2, TI: 3, Revoked: 4 } as const

/** Ledger actor of an entity: transactions with the controller key, VPs with the P-256 key. */
export function actorOf(entity: EbsiEntity, registered = true): LedgerActor {
  return {
    did: entity.did,
    controller: entity.controller,
    authentication: registered ? entity.assertion : entity.controller,
  }
}

/** A fresh random TIR attribute id (0x + 32 bytes). */
export function newAttributeId(): string {
  return `0x${randomBytes(32).toString('hex')}`
}

const DAY = 86_400
const unix = (date: Date) => Math.floor(date.getTime() / 1000)
const schemasUrlOf = (ebsi: EbsiClient) => ebsi.trustedSchemasRegistry.schemaUrl('').replace(/\/$/, '')

/**
 * EBSI onboarding of a legal entity whose keys this party holds: insertDidDocument with the
 * secp256k1 controller key (didr_invite, carrying the authorisation to onboard), then the P-256 key
 * as assertionMethod and authentication (didr_write). Resumable: it reads the DID document first and
 * sends only the steps still missing, so an interrupted onboarding is completed, never repeated, and
 * a finished one sends nothing. The authorisation may be given lazily: it is asked for only when the
 * DID is not registered yet.
 * @returns the receipts of the transactions it sent (none when already onboarded)
 */
export async function onboardEntity(
  ebsi: EbsiClient,
  args: {
    entity: EbsiEntity
    authorisationToOnboard: string | (() => Promise<string>)
    notAfter?: Date
  },
): Promise<TransactionReceipt[]> {
  const { entity } = args
  const notBefore = unix(new Date())
  const notAfter = unix(args.notAfter ?? new Date(Date.now() + 10 * 365 * DAY * 1000))
  const controllerOnly = actorOf(entity, false)
  const document = await resolveIfRegistered(ebsi, entity.did)
  const receipts: TransactionReceipt[] = []
  if (!document) {
    const authorisation =
      typeof args.authorisationToOnboard === 'string'
        ? args.authorisationToOnboard
        : await args.authorisationToOnboard()
    requireAuthorisedKey(authorisation, entity)
    receipts.push(
      await ebsi.transactions.write({
        api: 'did-registry',
        method: 'insertDidDocument',
        scope: 'didr_invite',
        actor: controllerOnly,
        credentials: [authorisation],
        params: {
          did: entity.did,
          baseDocument: JSON.stringify({
            '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/suites/jws-2020/v1'],
          }),
          vMethodId: entity.controller.kid,
          publicKey: publicKeyHexOf(entity.controller.publicKeyJwk),
          isSecp256k1: true,
          notBefore,
          notAfter,
        },
      }),
    )
  }
  const assertionUrl = `${entity.did}#${entity.assertion.kid}`
  const missing = ['assertionMethod', 'authentication'].filter(
    (name) => !(Array.isArray(document?.[name]) && (document[name] as unknown[]).includes(assertionUrl)),
  )
  const methodListed =
    Array.isArray(document?.verificationMethod) &&
    (document.verificationMethod as { id?: unknown }[]).some((method) => method.id === assertionUrl)
  if (missing.length > 0 && !methodListed) {
    receipts.push(
      await ebsi.transactions.write({
        api: 'did-registry',
        method: 'addVerificationMethod',
        scope: 'didr_write',
        actor: controllerOnly,
        params: {
          did: entity.did,
          vMethodId: entity.assertion.kid,
          publicKey: utf8ToHex(JSON.stringify(entity.assertion.publicKeyJwk)),
          isSecp256k1: false,
        },
      }),
    )
  }
  for (const name of missing) {
    receipts.push(
      await ebsi.transactions.write({
        api: 'did-registry',
        method: 'addVerificationRelationship',
        scope: 'didr_write',
        actor: controllerOnly,
        params: { did: entity.did, name, vMethodId: entity.assertion.kid, notBefore, notAfter },
      }),
    )
  }
  return receipts
}

/**
 * Refuses, before anything is sent, an authorisation to onboard that the ledger would refuse for this
 * entity: issued for another DID, or naming another controller key (or none).
 * @throws OnboardingAuthorisationMismatch
 */
function requireAuthorisedKey(authorisation: string, entity: EbsiEntity): void {
  let payload: { sub?: unknown; vc?: { credentialSubject?: { id?: unknown } } }
  try {
    payload = JSON.parse(Buffer.from(authorisation.split('.')[1] ?? '', 'base64url').toString('utf8'))
  } catch (error) {
    throw new OnboardingAuthorisationMismatch('the authorisation to onboard is not a JWT', { cause: error })
  }
  const subject = payload?.vc?.credentialSubject?.id ?? payload?.sub
  if (subject !== entity.did)
    throw new OnboardingAuthorisationMismatch(`the authorisation to onboard is not about ${entity.did}`)
  const key = onboardingKeyOf(payload)
  const controllerKid = jwkThumbprint(entity.controller.publicKeyJwk)
  if (!key || jwkThumbprint(key) !== controllerKid)
    throw new OnboardingAuthorisationMismatch(
      `the authorisation to onboard ${entity.did} does not name its controller key ${controllerKid}`,
    )
}

/** The DID document as the registry serves it now, or undefined when the DID is not registered. */
async function resolveIfRegistered(
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

/** Options of {@link accreditEntity}. */
export interface AccreditEntityArgs {
  /** The accreditor (Root TAO or TAO) and its own TIR attribute id. */
  accreditor: EbsiEntity
  accreditorAttributeId: string
  /** The entity being accredited (already onboarded in the DIDR). */
  subject: EbsiEntity
  /** TAO (may accredit others) or TI (may attest). */
  role: 'TAO' | 'TI'
  accreditedFor: AccreditedForEntry[]
  /** Reuse an attribute id (default: a fresh one). */
  attributeId?: string
}

/**
 * Accredits an onboarded entity (EBSI Trusted Issuers Registry API v5): the accreditor issues a
 * VerifiableAccreditationToAttest/Accredit with a reserved attribute id, pre-registers the
 * attribute (setAttributeMetadata under tir_write), and the subject writes the accreditation into
 * it (setAttributeData under tir_invite, presenting the accreditation).
 * @returns the subject's attribute id and the accreditation JWT
 */
export async function accreditEntity(
  ebsi: EbsiClient,
  args: AccreditEntityArgs,
): Promise<{ attributeId: string; accreditation: string }> {
  const { subject, ...rest } = args
  const prepared = await preRegisterAccreditation(ebsi, { ...rest, subjectDid: subject.did })
  await registerOwnAccreditation(ebsi, { subject, ...prepared })
  return prepared
}

/** Revokes an accreditation: the accreditor sets the subject's attribute to issuerType Revoked. */
export function revokeAccreditation(
  ebsi: EbsiClient,
  args: { accreditor: EbsiEntity; accreditorAttributeId: string; subjectDid: string; attributeId: string },
): Promise<TransactionReceipt> {
  return ebsi.transactions.write({
    api: 'trusted-issuers-registry',
    method: 'setAttributeMetadata',
    scope: 'tir_write',
    actor: actorOf(args.accreditor),
    params: {
      did: args.subjectDid,
      attributeId: args.attributeId,
      issuerType: ISSUER_TYPE.Revoked,
      taoDid: args.accreditor.did,
      taoAttributeId: args.accreditorAttributeId,
    },
  })
}

/**
 * Issues a VerifiableAuthorisationToOnboard for `subjectDid` (the credential a `didr_invite` token
 * needs), signed with the issuer's assertion key. The issuer is a Root TAO/TAO (or, for the first
 * Root TAO of the embedded node, the operator). It names the subject's secp256k1 `controllerKey`:
 * only that key can use it (sign the didr_invite VP and be inserted with the DID document).
 */
export function authoriseOnboarding(
  ebsi: EbsiClient,
  args: { issuer: EbsiEntity; subjectDid: string; controllerKey: EcPublicJwk },
): Promise<string> {
  return issueAccreditation({
    issuer: { did: args.issuer.did, signer: args.issuer.assertion },
    subjectDid: args.subjectDid,
    kind: 'VerifiableAuthorisationToOnboard',
    controllerKey: args.controllerKey,
    schemasUrl: schemasUrlOf(ebsi),
  })
}

/**
 * Registers a Root TAO (EBSI Trusted Issuers Registry API v5): the trust-chain authority (EBSI's Support Office; on the
 * embedded node its operator, who holds the TPR attributes from genesis) pre-registers the Root
 * TAO's attribute with issuerType RootTAO and issues it a VerifiableAuthorisationForTrustChain, which
 * the Root TAO writes into that attribute under `tir_invite`. The Root TAO must be onboarded.
 * @returns the Root TAO's attribute id and its authorisation JWT
 */
export async function registerRootTao(
  ebsi: EbsiClient,
  args: { supportOffice: EbsiEntity; rootTao: EbsiEntity; attributeId?: string },
): Promise<{ attributeId: string; authorisation: string }> {
  const attributeId = args.attributeId ?? newAttributeId()
  const authorisation = await issueAccreditation({
    issuer: { did: args.supportOffice.did, signer: args.supportOffice.assertion },
    subjectDid: args.rootTao.did,
    kind: 'VerifiableAuthorisationForTrustChain',
    schemasUrl: schemasUrlOf(ebsi),
    reservedAttributeId: attributeId,
  })
  await ebsi.transactions.write({
    api: 'trusted-issuers-registry',
    method: 'setAttributeMetadata',
    scope: 'tir_write',
    actor: actorOf(args.supportOffice),
    params: {
      did: args.rootTao.did,
      attributeId,
      issuerType: ISSUER_TYPE.RootTAO,
      taoDid: args.supportOffice.did,
      taoAttributeId: attributeId,
    },
  })
  await ebsi.transactions.write({
    api: 'trusted-issuers-registry',
    method: 'setAttributeData',
    scope: 'tir_invite',
    actor: actorOf(args.rootTao),
    credentials: [authorisation],
    params: { did: args.rootTao.did, attributeId, attributeData: utf8ToHex(authorisation) },
  })
  return { attributeId, authorisation }
}

/**
 * The accreditor's half of accrediting an entity whose keys it does not hold (a service with its
 * own key store): issues the VerifiableAccreditationToAttest/Accredit with a reserved attribute id
 * and pre-registers that attribute (setAttributeMetadata, signed by the accreditor). The subject
 * completes it with {@link registerOwnAccreditation}.
 */
export async function preRegisterAccreditation(
  ebsi: EbsiClient,
  args: Omit<AccreditEntityArgs, 'subject'> & { subjectDid: string },
): Promise<{ attributeId: string; accreditation: string }> {
  const attributeId = args.attributeId ?? newAttributeId()
  const accreditation = await issueAccreditation({
    issuer: { did: args.accreditor.did, signer: args.accreditor.assertion },
    subjectDid: args.subjectDid,
    kind: args.role === 'TAO' ? 'VerifiableAccreditationToAccredit' : 'VerifiableAccreditationToAttest',
    schemasUrl: schemasUrlOf(ebsi),
    reservedAttributeId: attributeId,
    accreditedFor: args.accreditedFor,
    termsOfUse: ebsi.trustedIssuersRegistry.attributeUrl(args.accreditor.did, args.accreditorAttributeId),
  })
  await ebsi.transactions.write({
    api: 'trusted-issuers-registry',
    method: 'setAttributeMetadata',
    scope: 'tir_write',
    actor: actorOf(args.accreditor),
    params: {
      did: args.subjectDid,
      attributeId,
      issuerType: ISSUER_TYPE[args.role],
      taoDid: args.accreditor.did,
      taoAttributeId: args.accreditorAttributeId,
    },
  })
  return { attributeId, accreditation }
}

/**
 * The subject's half: writes the accreditation it was given into its pre-registered attribute
 * (setAttributeData under `tir_invite`; the VP carrying the accreditation and the transaction are
 * signed with the subject's own keys).
 */
export function registerOwnAccreditation(
  ebsi: EbsiClient,
  args: { subject: EbsiEntity; attributeId: string; accreditation: string },
): Promise<TransactionReceipt> {
  return ebsi.transactions.write({
    api: 'trusted-issuers-registry',
    method: 'setAttributeData',
    scope: 'tir_invite',
    actor: actorOf(args.subject),
    credentials: [args.accreditation],
    params: {
      did: args.subject.did,
      attributeId: args.attributeId,
      attributeData: utf8ToHex(args.accreditation),
    },
  })
}

/** Whether a DID is registered in the DID Registry. */
export async function isRegistered(ebsi: EbsiClient, did: string): Promise<boolean> {
  try {
    await ebsi.didRegistry.resolve(did)
    return true
  } catch (error) {
    if (error instanceof EbsiNotFound) return false
    throw error
  }
}

/**
 * Adds a key as a verification method (addVerificationMethod; secp256k1 keys as 0x04 hex, others
 * as hex of the JWK) and gives it relationships (addVerificationRelationship).
 */
export async function addVerificationMethod(
  ebsi: EbsiClient,
  args: {
    entity: EbsiEntity
    publicKeyJwk: Signer['publicKeyJwk']
    relationships?: string[]
    notBefore?: Date
    notAfter?: Date
  },
): Promise<TransactionReceipt[]> {
  const isSecp256k1 = args.publicKeyJwk.crv === 'secp256k1'
  const vMethodId = jwkThumbprint(args.publicKeyJwk)
  const receipts = [
    await ebsi.transactions.write({
      api: 'did-registry',
      method: 'addVerificationMethod',
      scope: 'didr_write',
      actor: actorOf(args.entity),
      params: {
        did: args.entity.did,
        vMethodId,
        isSecp256k1,
        publicKey: isSecp256k1
          ? publicKeyHexOf(args.publicKeyJwk)
          : utf8ToHex(JSON.stringify(args.publicKeyJwk)),
      },
    }),
  ]
  for (const name of args.relationships ?? ['assertionMethod']) {
    receipts.push(
      await ebsi.transactions.write({
        api: 'did-registry',
        method: 'addVerificationRelationship',
        scope: 'didr_write',
        actor: actorOf(args.entity),
        params: {
          did: args.entity.did,
          name,
          vMethodId,
          notBefore: unix(args.notBefore ?? new Date()),
          notAfter: unix(args.notAfter ?? new Date(Date.now() + 10 * 365 * DAY * 1000)),
        },
      }),
    )
  }
  return receipts
}

/**
 * Ends a verification method's relationships: `revokeVerificationMethod` (effective at `at`, which
 * must be in the past; default one second ago) or `expireVerificationMethod` (at a future `at`).
 */
export function endVerificationMethod(
  ebsi: EbsiClient,
  args: { entity: EbsiEntity; vMethodId: string; how: 'revoke' | 'expire'; at?: Date },
): Promise<TransactionReceipt> {
  const at = args.at ?? new Date(Date.now() - 1000)
  return ebsi.transactions.write({
    api: 'did-registry',
    method: args.how === 'revoke' ? 'revokeVerificationMethod' : 'expireVerificationMethod',
    scope: 'didr_write',
    actor: actorOf(args.entity),
    params: { did: args.entity.did, vMethodId: args.vMethodId, notAfter: unix(at) },
  })
}

/**
 * Registers a JSON schema in the TSR (tsr_write, a right granted through the TPR).
 * @returns the schema id (multibase, as in TSR URLs), its hex form and its URL
 */
export async function registerSchema(
  ebsi: EbsiClient,
  args: { writer: EbsiEntity; schema: Record<string, unknown>; metadata?: Record<string, unknown> },
): Promise<{ schemaId: string; schemaIdHex: string; url: string; receipt: TransactionReceipt }> {
  const id = schemaIdOf(args.schema)
  const receipt = await ebsi.transactions.write({
    api: 'trusted-schemas-registry',
    method: 'insertSchema',
    scope: 'tsr_write',
    actor: actorOf(args.writer),
    params: {
      schemaId: id.hex,
      schema: utf8ToHex(JSON.stringify(args.schema)),
      metadata: utf8ToHex(JSON.stringify(args.metadata ?? {})),
    },
  })
  return {
    schemaId: id.multibase,
    schemaIdHex: id.hex,
    url: ebsi.trustedSchemasRegistry.schemaUrl(id.multibase),
    receipt,
  }
}

/**
 * Adds an issuer proxy (the TIR first fetches `prefix + testSuffix` and requires a StatusList2021
 * credential signed by the issuer).
 * @returns the proxy id
 */
export async function addIssuerProxy(
  ebsi: EbsiClient,
  args: { issuer: EbsiEntity; proxy: IssuerProxyData },
): Promise<{ proxyId: string; receipt: TransactionReceipt }> {
  const receipt = await ebsi.transactions.write({
    api: 'trusted-issuers-registry',
    method: 'addIssuerProxy',
    scope: 'tir_write',
    actor: actorOf(args.issuer),
    params: { did: args.issuer.did, proxyData: utf8ToHex(JSON.stringify(args.proxy)) },
  })
  const proxies = await ebsi.trustedIssuersRegistry.listProxies(args.issuer.did)
  const expected = proxyIdOf(args.issuer.did, args.proxy)
  const proxyId =
    proxies.items.find((p) => p.proxyId === expected)?.proxyId ?? proxies.items.at(-1)?.proxyId ?? expected
  return { proxyId, receipt }
}

/**
 * Points an existing proxy elsewhere (updateIssuerProxy; the TIR runs the proxy test again).
 * The proxy keeps its id.
 */
export function updateIssuerProxy(
  ebsi: EbsiClient,
  args: { issuer: EbsiEntity; proxyId: string; proxy: IssuerProxyData },
): Promise<TransactionReceipt> {
  return ebsi.transactions.write({
    api: 'trusted-issuers-registry',
    method: 'updateIssuerProxy',
    scope: 'tir_write',
    actor: actorOf(args.issuer),
    params: { did: args.issuer.did, proxyId: args.proxyId, proxyData: utf8ToHex(JSON.stringify(args.proxy)) },
  })
}

/**
 * Rolls a verification method (rollVerificationMethod): the new key takes over the old one's
 * relationships; both are valid during `durationSeconds`.
 */
export function rollVerificationMethod(
  ebsi: EbsiClient,
  args: { entity: EbsiEntity; oldKid: string; newKey: Signer; durationSeconds?: number; notAfter?: Date },
): Promise<TransactionReceipt> {
  const isSecp256k1 = args.newKey.keyType === 'Secp256k1'
  return ebsi.transactions.write({
    api: 'did-registry',
    method: 'rollVerificationMethod',
    scope: 'didr_write',
    actor: actorOf(args.entity),
    params: {
      did: args.entity.did,
      vMethodId: jwkThumbprint(args.newKey.publicKeyJwk),
      isSecp256k1,
      publicKey: isSecp256k1
        ? publicKeyHexOf(args.newKey.publicKeyJwk)
        : utf8ToHex(JSON.stringify(args.newKey.publicKeyJwk)),
      notBefore: unix(new Date()),
      notAfter: unix(args.notAfter ?? new Date(Date.now() + 10 * 365 * DAY * 1000)),
      oldVMethodId: args.oldKid,
      duration: args.durationSeconds ?? 0,
    },
  })
}

/** Timestamps up to three sha-256 hashes (timestamp_write). */
export function timestampHashes(
  ebsi: EbsiClient,
  args: { writer: EbsiEntity; hashes: string[]; data?: unknown[] },
): Promise<TransactionReceipt> {
  if (args.hashes.length < 1 || args.hashes.length > 3)
    throw new TypeError('timestampHashes takes 1 to 3 hashes')
  return ebsi.transactions.write({
    api: 'timestamp',
    method: 'timestampHashes',
    scope: 'timestamp_write',
    actor: actorOf(args.writer),
    params: {
      hashAlgorithmIds: args.hashes.map(() => 0),
      hashValues: args.hashes,
      timestampData: args.hashes.map((_, i) => utf8ToHex(JSON.stringify(args.data?.[i] ?? {}))),
    },
  })
}
