import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { createDb, type Db } from '@flora/db'
import {
  type AccreditedForEntry,
  type EbsiClient,
  type EbsiEntity,
  EbsiNotFound,
  issueAccreditation,
  jwkThumbprint,
  LocalSigner,
  newAttributeId,
  PrismaKeyStore,
  publicJwkFromPrivate,
  registerOwnAccreditation,
  registerSchema,
  type Signer,
} from '@flora/ebsi-connector'
import { type EcPublicJwk, generateDidEbsi, schemaIdOf } from '@flora/ebsi-connector/core'
import { attributeState, preRegister, registerDid } from './ledger-steps.ts'

/** What the trust-anchor side remembers (public facts; private keys are in its encrypted store). */
export interface TrustAnchorState {
  /** Root TAO and TAOs: DID and own TIR attribute. */
  anchors: Record<string, { did: string; attributeId: string }>
  /** Entities accredited by a TAO: DID and the attribute the TAO reserved for them. */
  accredited: Record<string, { did: string; attributeId: string; tao: string }>
  /** Milestone type (and StatusList2021Entry) → TSR URL. */
  schemas: Record<string, string>
}

/** The operator (EBSI Support Office role on the embedded ledger) from the node's operator file. */
export function operatorFromFile(file: string): EbsiEntity {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as {
    did: string
    secp256k1PrivateKeyHex: string
    p256PrivateJwk: { d: string }
  }
  const signer = (keyType: 'Secp256k1' | 'Secp256r1', privateKey: Uint8Array): Signer => {
    const jwk = publicJwkFromPrivate(keyType, privateKey)
    return new LocalSigner(jwkThumbprint(jwk), keyType, jwk, privateKey)
  }
  return {
    did: parsed.did,
    controller: signer(
      'Secp256k1',
      new Uint8Array(Buffer.from(parsed.secp256k1PrivateKeyHex.replace(/^0x/, ''), 'hex')),
    ),
    assertion: signer('Secp256r1', new Uint8Array(Buffer.from(parsed.p256PrivateJwk.d, 'base64url'))),
  }
}

/** Reads a 32-byte hex key file, or creates it (0600). */
function keyFile(file: string): Uint8Array {
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true })
    try {
      writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
  }
  return new Uint8Array(Buffer.from(readFileSync(file, 'utf8').trim(), 'hex'))
}

const VC_BASE_TYPES = ['VerifiableCredential', 'VerifiableAttestation']

/**
 * The trust-anchor side of the pilot: the Root TAO, TAO Germany and TAO France, each with its own
 * keys in an encrypted SQLite key store under the data dir (`trust-anchors.db`, KEK from
 * FLORA_TRUST_ANCHORS_KEK or `trust-anchors.kek`, 0600) and its public facts in
 * `trust-anchors.json`. In production each of them runs this on its own premises.
 */
export class TrustAnchors {
  readonly #db: Db<'issuer'>
  readonly #keys: PrismaKeyStore
  readonly #stateFile: string
  readonly #entities = new Map<string, EbsiEntity>()
  state: TrustAnchorState

  private constructor(
    readonly ebsi: EbsiClient,
    db: Db<'issuer'>,
    kek: Uint8Array,
    stateFile: string,
    readonly log: (line: string) => void,
    readonly actions: string[],
  ) {
    this.#db = db
    this.#keys = new PrismaKeyStore({ db: db.client, kek, owner: 'trust-anchors' })
    this.#stateFile = stateFile
    this.state = existsSync(stateFile)
      ? (JSON.parse(readFileSync(stateFile, 'utf8')) as TrustAnchorState)
      : { anchors: {}, accredited: {}, schemas: {} }
  }

  static async open(args: {
    ebsi: EbsiClient
    dataDir: string
    kek?: string
    log: (line: string) => void
    actions: string[]
  }): Promise<TrustAnchors> {
    mkdirSync(args.dataDir, { recursive: true })
    const kek = args.kek
      ? new Uint8Array(Buffer.from(args.kek, 'hex'))
      : keyFile(join(args.dataDir, 'trust-anchors.kek'))
    if (kek.length !== 32) throw new Error('FLORA_TRUST_ANCHORS_KEK must be 64 hex digits')
    const file = join(args.dataDir, 'trust-anchors.db')
    const db = await createDb({ service: 'issuer', url: `file:${file}` })
    chmodSync(file, 0o600)
    return new TrustAnchors(
      args.ebsi,
      db,
      kek,
      join(args.dataDir, 'trust-anchors.json'),
      args.log,
      args.actions,
    )
  }

  close(): Promise<void> {
    return this.#db.close()
  }

  #save(): void {
    const temporary = `${this.#stateFile}.tmp`
    writeFileSync(temporary, `${JSON.stringify(this.state, null, 2)}\n`, { mode: 0o600 })
    renameSync(temporary, this.#stateFile)
  }

  get #schemasUrl(): string {
    return this.ebsi.trustedSchemasRegistry.schemaUrl('').replace(/\/$/, '')
  }

  /** An anchor's keys (created once per key under the aliases controller/assertion) and DID. */
  async #entity(key: string): Promise<EbsiEntity> {
    const cached = this.#entities.get(key)
    if (cached) return cached
    const store = this.#keys.forOwner(key)
    const signer = async (alias: string, keyType: 'Secp256k1' | 'Secp256r1') => {
      const existing = await store.findKeyByAlias(alias)
      return store.getSigner((existing ?? (await store.createKey({ keyType, alias }))).kid)
    }
    const controller = await signer('controller', 'Secp256k1')
    const assertion = await signer('assertion', 'Secp256r1')
    let record = this.state.anchors[key]
    if (!record) {
      record = { did: generateDidEbsi(), attributeId: newAttributeId() }
      this.state.anchors[key] = record
      this.#save()
    }
    const entity = { did: record.did, controller, assertion }
    this.#entities.set(key, entity)
    return entity
  }

  async did(key: string): Promise<string> {
    return (await this.#entity(key)).did
  }

  attributeIdOf(key: string): string {
    const record = this.state.anchors[key]
    if (!record) throw new Error(`trust anchor ${key} is not set up`)
    return record.attributeId
  }

  /**
   * Schemas on the TSR (written by the operator, who holds TSR:insertSchema), each once: the
   * schemas the issuer says its credentials name (milestones, StatusList2021 extension).
   */
  async ensureSchemas(
    operator: EbsiEntity,
    wanted: { name: string; schema: Record<string, unknown>; url: string }[],
  ): Promise<void> {
    for (const { name: type, schema, url: expected } of wanted) {
      const id = schemaIdOf(schema)
      const url = this.ebsi.trustedSchemasRegistry.schemaUrl(id.multibase)
      if (url !== expected)
        throw new Error(`the issuer expects ${type} at ${expected}, the ledger would register it at ${url}`)
      let present = true
      try {
        await this.ebsi.trustedSchemasRegistry.getSchema(id.multibase)
      } catch (error) {
        if (!(error instanceof EbsiNotFound)) throw error
        present = false
      }
      if (!present) {
        await registerSchema(this.ebsi, { writer: operator, schema, metadata: { title: type } })
        this.actions.push(`tsr: ${type}`)
      }
      if (this.state.schemas[type] !== url) {
        this.state.schemas[type] = url
        this.#save()
      }
    }
    this.log(`schemas: ${wanted.length} on the TSR`)
  }

  #accreditedFor(types: string[], limitJurisdiction: string): AccreditedForEntry[] {
    return types.map((type) => {
      const schemaId = this.state.schemas[type]
      if (!schemaId) throw new Error(`the schema of ${type} is not on the TSR`)
      return { schemaId, types: [...VC_BASE_TYPES, type], limitJurisdiction }
    })
  }

  /** The Root TAO: onboarded and registered by the operator (VerifiableAuthorisationForTrustChain). */
  async ensureRootTao(key: string, operator: EbsiEntity): Promise<string> {
    const root = await this.#entity(key)
    const sent = await registerDid(this.ebsi, root, () =>
      this.#authorise(operator, root.did, root.controller.publicKeyJwk),
    )
    if (sent) this.actions.push(`didr: ${key}`)
    const attributeId = this.attributeIdOf(key)
    const state = await attributeState(this.ebsi, root.did, attributeId)
    if (state === 'revoked') throw new Error(`the Root TAO ${key} is revoked`)
    if (state !== 'written') {
      if (state === 'absent')
        await preRegister(this.ebsi, {
          accreditor: operator,
          accreditorAttributeId: attributeId,
          subjectDid: root.did,
          attributeId,
          issuerType: 1,
        })
      const authorisation = await issueAccreditation({
        issuer: { did: operator.did, signer: operator.assertion },
        subjectDid: root.did,
        kind: 'VerifiableAuthorisationForTrustChain',
        schemasUrl: this.#schemasUrl,
        reservedAttributeId: attributeId,
      })
      await registerOwnAccreditation(this.ebsi, { subject: root, attributeId, accreditation: authorisation })
      this.actions.push(`tir: ${key} (RootTAO)`)
    }
    this.log(`Root TAO ${key}: ${root.did}`)
    return root.did
  }

  /** A TAO: onboarded by the Root TAO and accredited by it to accredit `types` in a jurisdiction. */
  async ensureTao(key: string, rootKey: string, types: string[], limitJurisdiction: string): Promise<string> {
    const root = await this.#entity(rootKey)
    const tao = await this.#entity(key)
    const sent = await registerDid(this.ebsi, tao, () => this.#authorise(root, tao.did, tao.controller.publicKeyJwk))
    if (sent) this.actions.push(`didr: ${key}`)
    const attributeId = this.attributeIdOf(key)
    const state = await attributeState(this.ebsi, tao.did, attributeId)
    if (state === 'revoked') throw new Error(`the TAO ${key} is revoked`)
    if (state !== 'written') {
      const accreditation = await this.#accreditation({
        accreditorKey: rootKey,
        subjectDid: tao.did,
        attributeId,
        role: 'TAO',
        types,
        limitJurisdiction,
        preRegister: state === 'absent',
      })
      await registerOwnAccreditation(this.ebsi, { subject: tao, attributeId, accreditation })
      this.actions.push(`tir: ${key} (TAO)`)
    }
    this.log(`TAO ${key}: ${tao.did}`)
    return tao.did
  }

  /**
   * A VerifiableAuthorisationToOnboard from `issuerKey` (Root TAO or TAO) for a DID and the
   * secp256k1 controller key the subject announced: only that key can use it.
   */
  async authoriseOnboarding(issuerKey: string, subjectDid: string, controllerKey: EcPublicJwk): Promise<string> {
    return this.#authorise(await this.#entity(issuerKey), subjectDid, controllerKey)
  }

  #authorise(issuer: EbsiEntity, subjectDid: string, controllerKey: EcPublicJwk): Promise<string> {
    return issueAccreditation({
      issuer: { did: issuer.did, signer: issuer.assertion },
      subjectDid,
      kind: 'VerifiableAuthorisationToOnboard',
      controllerKey,
      schemasUrl: this.#schemasUrl,
    })
  }

  /**
   * The TAO's half of accrediting a TI whose keys it does not hold: reserves (once) an attribute for
   * it, pre-registers it in the TIR unless done, and issues the VerifiableAccreditationToAttest the
   * TI writes itself. `written`: the TI's attribute already holds its accreditation.
   */
  async accreditTi(args: {
    taoKey: string
    subjectKey: string
    subjectDid: string
    types: string[]
    limitJurisdiction: string
  }): Promise<{ attributeId: string; accreditation: string; written: boolean }> {
    let record = this.state.accredited[args.subjectKey]
    if (!record || record.did !== args.subjectDid) {
      record = { did: args.subjectDid, attributeId: newAttributeId(), tao: args.taoKey }
      this.state.accredited[args.subjectKey] = record
      this.#save()
    }
    const state = await attributeState(this.ebsi, args.subjectDid, record.attributeId)
    if (state === 'revoked') throw new Error(`the accreditation of ${args.subjectKey} is revoked`)
    const accreditation = await this.#accreditation({
      accreditorKey: args.taoKey,
      subjectDid: args.subjectDid,
      attributeId: record.attributeId,
      role: 'TI',
      types: args.types,
      limitJurisdiction: args.limitJurisdiction,
      preRegister: state === 'absent',
    })
    if (state === 'absent') this.actions.push(`tir: ${args.taoKey} reserves ${args.subjectKey}`)
    return { attributeId: record.attributeId, accreditation, written: state === 'written' }
  }

  async #accreditation(args: {
    accreditorKey: string
    subjectDid: string
    attributeId: string
    role: 'TAO' | 'TI'
    types: string[]
    limitJurisdiction: string
    preRegister: boolean
  }): Promise<string> {
    const accreditor = await this.#entity(args.accreditorKey)
    const accreditorAttributeId = this.attributeIdOf(args.accreditorKey)
    if (args.preRegister)
      await preRegister(this.ebsi, {
        accreditor,
        accreditorAttributeId,
        subjectDid: args.subjectDid,
        attributeId: args.attributeId,
        issuerType: args.role === 'TAO' ? 2 : 3,
      })
    return issueAccreditation({
      issuer: { did: accreditor.did, signer: accreditor.assertion },
      subjectDid: args.subjectDid,
      kind: args.role === 'TAO' ? 'VerifiableAccreditationToAccredit' : 'VerifiableAccreditationToAttest',
      schemasUrl: this.#schemasUrl,
      reservedAttributeId: args.attributeId,
      accreditedFor: this.#accreditedFor(args.types, args.limitJurisdiction),
      termsOfUse: this.ebsi.trustedIssuersRegistry.attributeUrl(accreditor.did, accreditorAttributeId),
    })
  }
}
