import type { IAgentContext, IIdentifier, IKey, IKeyManager, IService } from '@veramo/core'
import { AbstractIdentifierProvider } from '@veramo/did-manager'
import { type EcPublicJwk, generateDidEbsi, utf8ToHex } from '../core/index.ts'
import { type EbsiClient, type EbsiEntity, onboardEntity, rollVerificationMethod } from '../client/index.ts'
import type { KeyStore, Signer } from '../keys/index.ts'
import { PRISMA_KMS } from './prisma-kms.ts'

/** Options of `didManagerCreate({ provider: 'did:ebsi', options })`. */
export interface EbsiCreateIdentifierOptions {
  /**
   * The VerifiableAuthorisationToOnboard (JWT) a TAO or Root TAO issued for `did`. It names the
   * secp256k1 controller key it authorises: either give that key as `controllerKeyId` (created
   * beforehand with keyManagerCreate), or a function that obtains the authorisation for the
   * controller key the provider has just created.
   */
  authorisationToOnboard: string | ((controllerKey: EcPublicJwk) => Promise<string>)
  /** The DID the authorisation was issued for (generate it first with `generateDidEbsi`). */
  did: string
  /** An existing secp256k1 key of the KMS to use as controller key (default: a new one). */
  controllerKeyId?: string
}

/** Options of {@link EbsiDidProvider}. */
export interface EbsiDidProviderOptions {
  ebsi: EbsiClient
  /** The encrypted key store the KMS uses; the provider needs Signers for transactions. */
  keys: KeyStore
  /** KMS name in the agent's KeyManager (default 'prisma'). */
  defaultKms?: string
}

/**
 * Veramo identifier provider for did:ebsi (legal entities). `createIdentifier` is EBSI onboarding:
 * a secp256k1 controller key (capabilityInvocation) is inserted with the DID document, a P-256
 * key is added as assertionMethod + authentication; verification-method ids are RFC 7638
 * thumbprints. `rollKey` rotates a key with rollVerificationMethod.
 */
export class EbsiDidProvider extends AbstractIdentifierProvider {
  readonly #ebsi: EbsiClient
  readonly #keys: KeyStore
  readonly #kms: string

  constructor(options: EbsiDidProviderOptions) {
    super()
    this.#ebsi = options.ebsi
    this.#keys = options.keys
    this.#kms = options.defaultKms ?? PRISMA_KMS
  }

  /** A fresh legal-entity DID to issue the onboarding authorisation for. */
  static generateDid(): string {
    return generateDidEbsi()
  }

  async createIdentifier(
    args: { kms?: string; alias?: string; options?: EbsiCreateIdentifierOptions },
    context: IAgentContext<IKeyManager>,
  ): Promise<Omit<IIdentifier, 'provider'>> {
    const options = args.options
    if (!options?.authorisationToOnboard || !options.did)
      throw new Error(
        'invalid_argument: did:ebsi creation needs options.did and options.authorisationToOnboard',
      )
    const kms = args.kms ?? this.#kms
    const controllerKey = options.controllerKeyId
      ? await context.agent.keyManagerGet({ kid: options.controllerKeyId })
      : await context.agent.keyManagerCreate({ kms, type: 'Secp256k1' })
    if (controllerKey.type !== 'Secp256k1')
      throw new Error('invalid_argument: the controller key of a did:ebsi must be a Secp256k1 key')
    const assertionKey = await context.agent.keyManagerCreate({ kms, type: 'Secp256r1' })
    const entity = await this.entity(options.did, controllerKey.kid, assertionKey.kid)
    const authorise = options.authorisationToOnboard
    await onboardEntity(this.#ebsi, {
      entity,
      authorisationToOnboard:
        typeof authorise === 'string' ? authorise : () => authorise(entity.controller.publicKeyJwk),
    })
    return {
      did: options.did,
      alias: args.alias,
      controllerKeyId: controllerKey.kid,
      keys: [controllerKey, assertionKey],
      services: [],
    }
  }

  /** The ledger-facing view of an identifier: DID + Signers for its controller and assertion keys. */
  async entity(did: string, controllerKid: string, assertionKid: string): Promise<EbsiEntity> {
    const [controller, assertion] = await Promise.all([
      this.#keys.getSigner(controllerKid),
      this.#keys.getSigner(assertionKid),
    ])
    return { did, controller, assertion }
  }

  /** Entity of a stored identifier (controller = its controllerKeyId, assertion = its first P-256 key). */
  async entityOf(identifier: IIdentifier): Promise<EbsiEntity> {
    const assertion = [...identifier.keys].reverse().find((k) => k.type === 'Secp256r1')
    if (!identifier.controllerKeyId || !assertion)
      throw new Error(`invalid_argument: ${identifier.did} lacks keys`)
    return this.entity(identifier.did, identifier.controllerKeyId, assertion.kid)
  }

  /**
   * Rotates a key with rollVerificationMethod: a new key of the same type takes over the old
   * one's relationships; both are valid for `durationSeconds`.
   * @returns the identifier with the new key added (and made controller key for secp256k1)
   */
  async rollKey(
    args: { identifier: IIdentifier; oldKid: string; durationSeconds?: number; kms?: string },
    context: IAgentContext<IKeyManager>,
  ): Promise<IIdentifier> {
    const old = args.identifier.keys.find((k) => k.kid === args.oldKid)
    if (!old) throw new Error(`invalid_argument: ${args.oldKid} is not a key of ${args.identifier.did}`)
    const newKey = await context.agent.keyManagerCreate({ kms: args.kms ?? old.kms, type: old.type })
    const signer = await this.#keys.getSigner(newKey.kid)
    const entity = await this.entityOf(args.identifier)
    await rollVerificationMethod(this.#ebsi, {
      entity,
      oldKid: args.oldKid,
      newKey: signer,
      durationSeconds: args.durationSeconds,
    })
    this.#ebsi.transactions.forgetTokens(args.identifier.did)
    return {
      ...args.identifier,
      controllerKeyId: old.type === 'Secp256k1' ? newKey.kid : args.identifier.controllerKeyId,
      keys: [...args.identifier.keys, newKey],
    }
  }

  async updateIdentifier(): Promise<IIdentifier> {
    throw new Error('not_supported: did:ebsi documents change through addKey/removeKey/rollKey')
  }

  async deleteIdentifier(identifier: IIdentifier, context: IAgentContext<IKeyManager>): Promise<boolean> {
    // Deactivation on the ledger is a governance act; locally the keys are removed.
    for (const key of identifier.keys) await context.agent.keyManagerDelete({ kid: key.kid })
    return true
  }

  /** Adds a key as a verification method with the given relationships (default assertionMethod). */
  async addKey(
    args: { identifier: IIdentifier; key: IKey; options?: { relationships?: string[] } },
    _context: IAgentContext<IKeyManager>,
  ): Promise<unknown> {
    const entity = await this.entityOf(args.identifier)
    const signer: Signer = await this.#keys.getSigner(args.key.kid)
    const isSecp256k1 = signer.keyType === 'Secp256k1'
    const actor = { did: entity.did, controller: entity.controller, authentication: entity.assertion }
    await this.#ebsi.transactions.write({
      api: 'did-registry',
      method: 'addVerificationMethod',
      scope: 'didr_write',
      actor,
      params: {
        did: entity.did,
        vMethodId: signer.kid,
        isSecp256k1,
        publicKey: isSecp256k1
          ? `0x${args.key.publicKeyHex.replace(/^0x/, '')}`
          : utf8ToHex(JSON.stringify(signer.publicKeyJwk)),
      },
    })
    const now = Math.floor(Date.now() / 1000)
    for (const name of args.options?.relationships ?? ['assertionMethod']) {
      await this.#ebsi.transactions.write({
        api: 'did-registry',
        method: 'addVerificationRelationship',
        scope: 'didr_write',
        actor,
        params: {
          did: entity.did,
          name,
          vMethodId: signer.kid,
          notBefore: now,
          notAfter: now + 10 * 365 * 86_400,
        },
      })
    }
    return { kid: signer.kid }
  }

  /** Revokes a verification method (revokeVerificationMethod, effective now). */
  async removeKey(
    args: { identifier: IIdentifier; kid: string },
    _context: IAgentContext<IKeyManager>,
  ): Promise<unknown> {
    const entity = await this.entityOf(args.identifier)
    return this.#ebsi.transactions.write({
      api: 'did-registry',
      method: 'revokeVerificationMethod',
      scope: 'didr_write',
      actor: { did: entity.did, controller: entity.controller, authentication: entity.assertion },
      params: { did: entity.did, vMethodId: args.kid, notAfter: Math.floor(Date.now() / 1000) - 1 },
    })
  }

  async addService(_args: { identifier: IIdentifier; service: IService }): Promise<unknown> {
    throw new Error('not_supported: the EBSI DID Registry v5 holds no services')
  }

  async removeService(_args: { identifier: IIdentifier; id: string }): Promise<unknown> {
    throw new Error('not_supported: the EBSI DID Registry v5 holds no services')
  }
}
