import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import {
  accreditEntity,
  authoriseOnboarding,
  type EbsiClient,
  type EbsiEntity,
  EbsiNotFound,
  isRegistered,
  onboardEntity,
  preRegisterAccreditation,
  registerOwnAccreditation,
  registerRootTao,
  registerSchema,
  revokeAccreditation,
  rollVerificationMethod,
} from '../client/index.ts'
import { generateDidEbsi, isDidEbsi, schemaIdOf } from '../core/index.ts'
import {
  type EcPublicJwk,
  jwkThumbprint,
  type KeyInfo,
  type KeyStore,
  type PrismaKeyStore,
} from '../keys/index.ts'
import { httpAccreditationReader, TrustChainError, walkAccreditationChain } from '../trust/index.ts'
import {
  loadCatalogue,
  type MilestoneCatalogue,
  type TrustChainConfig,
  trustChainConfig,
  typesOfTi,
} from './trust-chain-config.ts'

const VC_BASE_TYPES = ['VerifiableCredential', 'VerifiableAttestation']

/** Roles an entity has in the chain: LE = onboarded legal entity without a TIR accreditation. */
export type ChainRole = 'RootTAO' | 'TAO' | 'TI' | 'LE'

/** What the CLI knows of one authority (public facts only; private keys live in the key store). */
export interface EntityRecord {
  did: string
  name?: string
  controllerKid: string
  assertionKid: string
  /** Its TIR attribute (absent for LE). */
  attributeId?: string
  /** Key (in this state) of the Root TAO/TAO that accredited it. */
  accreditor?: string
  role?: ChainRole
  /** Authority role of the milestone catalogue (e.g. BAMF_BRANCH_OFFICE). */
  authorityRole?: string
  /** Milestone types it is accredited for. */
  types?: string[]
  limitJurisdiction?: string
  /** Its keys are its own (onboarded with --public-keys); the CLI holds none of them. */
  external?: boolean
  /** An external onboarding waits for the subject's `accept-onboarding`. */
  pending?: boolean
}

/** What the CLI remembers between runs. */
export interface CliState {
  /** Key of the Root TAO (the trust anchor of `check`). */
  rootTao?: string
  entities: Record<string, EntityRecord>
  /** Milestone type → TSR URL of its schema. */
  schemas: Record<string, string>
}

/** Dependencies of every command. */
export interface CliContext {
  ebsi: EbsiClient
  /** Key store; `forOwner(key)` gives each authority its own keys. */
  keys: PrismaKeyStore
  statePath: string
  log: (line: string) => void
}

export function readState(path: string): CliState {
  if (!existsSync(path)) return { entities: {}, schemas: {} }
  const state = JSON.parse(readFileSync(path, 'utf8')) as CliState
  return { ...state, entities: state.entities ?? {}, schemas: state.schemas ?? {} }
}

function writeState(path: string, state: CliState): void {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, `${JSON.stringify(state, null, 2)}\n`)
}

/** The operator (EBSI Support Office role in the pilot) from the node's `ledger-operator.json`. */
export async function operatorFromFile(keys: PrismaKeyStore, file: string): Promise<EbsiEntity> {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as {
    did: string
    secp256k1PrivateKeyHex: string
    p256PrivateJwk: { d: string }
  }
  const store = keys.forOwner('operator')
  const controller = await store.importKey({
    keyType: 'Secp256k1',
    privateKey: new Uint8Array(Buffer.from(parsed.secp256k1PrivateKeyHex.replace(/^0x/, ''), 'hex')),
  })
  const assertion = await store.importKey({
    keyType: 'Secp256r1',
    privateKey: new Uint8Array(Buffer.from(parsed.p256PrivateJwk.d, 'base64url')),
  })
  return {
    did: parsed.did,
    controller: await store.getSigner(controller.kid),
    assertion: await store.getSigner(assertion.kid),
  }
}

/** An authority whose keys are in `store` (by kid). */
async function entityFromStore(
  store: KeyStore,
  record: Pick<EntityRecord, 'did' | 'controllerKid' | 'assertionKid'>,
): Promise<EbsiEntity> {
  return {
    did: record.did,
    controller: await store.getSigner(record.controllerKid),
    assertion: await store.getSigner(record.assertionKid),
  }
}

async function entityOf(ctx: CliContext, state: CliState, key: string): Promise<EbsiEntity> {
  const record = state.entities[key]
  if (!record) throw new Error(`unknown authority "${key}" (not in ${ctx.statePath})`)
  if (record.external)
    throw new Error(`"${key}" holds its own keys (onboarded with --public-keys); the CLI cannot sign for it`)
  return entityFromStore(ctx.keys.forOwner(key), record)
}

/** Creates an authority's two keys in the CLI store (secp256k1 controller, P-256 assertion). */
async function createEntity(ctx: CliContext, key: string): Promise<EbsiEntity> {
  const store = ctx.keys.forOwner(key)
  const controller = await store.getSigner(
    (await store.createKey({ keyType: 'Secp256k1', alias: 'controller' })).kid,
  )
  const assertion = await store.getSigner(
    (await store.createKey({ keyType: 'Secp256r1', alias: 'assertion' })).kid,
  )
  return { did: generateDidEbsi(), controller, assertion }
}

async function createAndOnboard(ctx: CliContext, key: string, accreditor: EbsiEntity): Promise<EbsiEntity> {
  const entity = await createEntity(ctx, key)
  const authorisationToOnboard = await authoriseOnboarding(ctx.ebsi, {
    issuer: accreditor,
    subjectDid: entity.did,
    controllerKey: entity.controller.publicKeyJwk,
  })
  await onboardEntity(ctx.ebsi, { entity, authorisationToOnboard })
  ctx.log(`onboarded ${key}: ${entity.did}`)
  return entity
}

function accreditedForTypes(state: CliState, types: string[], limitJurisdiction?: string) {
  return types.map((type) => {
    const schemaId = state.schemas[type]
    if (!schemaId) throw new Error(`schema of ${type} is not registered (run register-schema or bootstrap)`)
    return { schemaId, types: [...VC_BASE_TYPES, type], ...(limitJurisdiction ? { limitJurisdiction } : {}) }
  })
}

/** Registers the schema of each type on the TSR (tsr_write; skips those already registered). */
export async function registerSchemas(
  ctx: CliContext,
  writer: EbsiEntity,
  types: string[],
  catalogue: MilestoneCatalogue,
): Promise<Record<string, string>> {
  const state = readState(ctx.statePath)
  for (const type of types) {
    if (state.schemas[type]) continue
    const schema = catalogue.schemaFor(type)
    const { url, schemaId } = await registerSchema(ctx.ebsi, {
      writer,
      schema,
      metadata: { title: type },
    }).catch(async (error: unknown) => {
      // already on the ledger (another state file registered it): the id is derived, reuse it
      const id = schemaIdOf(schema).multibase
      await ctx.ebsi.trustedSchemasRegistry.getSchema(id).catch(() => {
        throw error
      })
      return { url: ctx.ebsi.trustedSchemasRegistry.schemaUrl(id), schemaId: id }
    })
    state.schemas[type] = url
    writeState(ctx.statePath, state)
    ctx.log(`registered schema ${type}: ${schemaId}`)
  }
  return state.schemas
}

/**
 * bootstrap: the Root TAO (onboarded and authorised by the operator, who plays EBSI's Support
 * Office) → TAOs (accredited to accredit, for the union of their TIs' types) → TIs (accredited to
 * attest their catalogue role's milestone types), with every schema registered on the TSR.
 * Idempotent per entity (the state file remembers what exists).
 */
export async function bootstrap(
  ctx: CliContext,
  operator: EbsiEntity,
  rawConfig: unknown,
): Promise<CliState> {
  const config: TrustChainConfig = trustChainConfig.parse(rawConfig)
  const catalogue = await loadCatalogue(config)
  const allTypes = [
    ...new Set(config.taos.flatMap((tao) => tao.tis.flatMap((ti) => typesOfTi(ti, catalogue)))),
  ]
  await registerSchemas(ctx, operator, allTypes, catalogue)
  const state = readState(ctx.statePath)

  if (!state.entities[config.rootTao.key]) {
    const root = await createAndOnboard(ctx, config.rootTao.key, operator)
    const { attributeId } = await registerRootTao(ctx.ebsi, { supportOffice: operator, rootTao: root })
    state.rootTao = config.rootTao.key
    state.entities[config.rootTao.key] = {
      did: root.did,
      name: config.rootTao.name,
      controllerKid: root.controller.kid,
      assertionKid: root.assertion.kid,
      attributeId,
      role: 'RootTAO',
    }
    writeState(ctx.statePath, state)
    ctx.log(`registered Root TAO ${config.rootTao.key}: ${root.did}`)
  }

  for (const tao of config.taos) {
    const taoTypes = [...new Set(tao.tis.flatMap((ti) => typesOfTi(ti, catalogue)))]
    if (!readState(ctx.statePath).entities[tao.key]) {
      await onboard(ctx, {
        key: tao.key,
        name: tao.name,
        accreditorKey: config.rootTao.key,
        role: 'TAO',
        types: taoTypes,
        limitJurisdiction: tao.limitJurisdiction,
      })
    }
    for (const ti of tao.tis) {
      if (readState(ctx.statePath).entities[ti.key]) continue
      await onboard(ctx, {
        key: ti.key,
        name: ti.name,
        accreditorKey: tao.key,
        role: 'TI',
        authorityRole: ti.role,
        types: typesOfTi(ti, catalogue),
        limitJurisdiction: tao.limitJurisdiction,
      })
    }
  }
  return readState(ctx.statePath)
}

/** Options of {@link onboard}. */
export interface OnboardArgs {
  key: string
  name?: string
  accreditorKey: string
  /** TI (attests), TAO (accredits) or LE (DID only, no accreditation). */
  role: 'TAO' | 'TI' | 'LE'
  authorityRole?: string
  types: string[]
  /** Default: the accreditor's jurisdiction limit. */
  limitJurisdiction?: string
  /** The subject's own public keys: prepare a bundle instead of generating keys. */
  publicKeys?: PublicKeysFile
  /** Where the bundle for the subject is written (with publicKeys). */
  bundlePath?: string
}

/**
 * onboard: one new authority (BAMF Chemnitz, a Land's authority such as NRW) — onboarded in the
 * DIDR with an authorisation from its accreditor and accredited in the TIR for its types.
 * With `publicKeys` the CLI generates nothing: it prepares the accreditor's half and writes a
 * bundle the subject completes with `accept-onboarding` (see README "Onboarding an authority that
 * holds its own keys").
 */
export async function onboard(ctx: CliContext, args: OnboardArgs): Promise<EntityRecord> {
  const state = readState(ctx.statePath)
  if (state.entities[args.key]) throw new Error(`authority "${args.key}" already exists`)
  const accreditorRecord = state.entities[args.accreditorKey]
  if (
    !accreditorRecord?.attributeId ||
    (accreditorRecord.role !== 'RootTAO' && accreditorRecord.role !== 'TAO')
  )
    throw new Error(`"${args.accreditorKey}" is not a Root TAO or TAO of this trust chain`)
  const accreditor = await entityOf(ctx, state, args.accreditorKey)
  const limitJurisdiction = args.limitJurisdiction ?? accreditorRecord.limitJurisdiction
  const accreditedFor = args.role === 'LE' ? [] : accreditedForTypes(state, args.types, limitJurisdiction)
  if (args.publicKeys)
    return prepareExternalOnboarding(ctx, state, args, accreditor, accreditedFor, limitJurisdiction)

  const subject = await createAndOnboard(ctx, args.key, accreditor)
  const attributeId =
    args.role === 'LE'
      ? undefined
      : (
          await accreditEntity(ctx.ebsi, {
            accreditor,
            accreditorAttributeId: accreditorRecord.attributeId,
            subject,
            role: args.role,
            accreditedFor,
          })
        ).attributeId
  const record: EntityRecord = {
    did: subject.did,
    ...(args.name ? { name: args.name } : {}),
    controllerKid: subject.controller.kid,
    assertionKid: subject.assertion.kid,
    ...(attributeId ? { attributeId } : {}),
    accreditor: args.accreditorKey,
    role: args.role,
    ...(args.authorityRole ? { authorityRole: args.authorityRole } : {}),
    ...(args.role === 'LE' ? {} : { types: args.types }),
    ...(limitJurisdiction ? { limitJurisdiction } : {}),
  }
  const latest = readState(ctx.statePath)
  latest.entities[args.key] = record
  writeState(ctx.statePath, latest)
  ctx.log(
    args.role === 'LE'
      ? `onboarded ${args.key} (no accreditation)`
      : `accredited ${args.key} as ${args.role} by ${args.accreditorKey} for ${args.types.join(', ')}`,
  )
  return record
}

/** `--public-keys` file: the subject's public keys (and optionally its DID). */
export interface PublicKeysFile {
  did?: string
  /** secp256k1 public JWK (capabilityInvocation: signs the subject's ledger transactions). */
  controllerKey: EcPublicJwk
  /** P-256 public JWK (assertionMethod + authentication: signs credentials and VPs). */
  assertionKey: EcPublicJwk
}

/** Parses and checks a `--public-keys` file. */
export function parsePublicKeys(raw: unknown): PublicKeysFile {
  const value = raw as Partial<PublicKeysFile> | null
  const ec = (jwk: unknown, crv: string, name: string): EcPublicJwk => {
    const k = jwk as Partial<EcPublicJwk> & { d?: unknown }
    if (k?.kty !== 'EC' || k.crv !== crv || typeof k.x !== 'string' || typeof k.y !== 'string')
      throw new Error(`"${name}" must be an EC public JWK on ${crv}`)
    if (k.d !== undefined) throw new Error(`"${name}" contains a private key; give the public key only`)
    return { kty: 'EC', crv: k.crv, x: k.x, y: k.y } as EcPublicJwk
  }
  if (!value || typeof value !== 'object') throw new Error('the public-keys file must be a JSON object')
  if (value.did !== undefined && !isDidEbsi(value.did))
    throw new Error('"did" must be a legal-entity did:ebsi')
  return {
    ...(value.did ? { did: value.did } : {}),
    controllerKey: ec(value.controllerKey, 'secp256k1', 'controllerKey'),
    assertionKey: ec(value.assertionKey, 'P-256', 'assertionKey'),
  }
}

/** What the accreditor hands the subject (no secrets: credentials about the subject, public ids). */
export interface OnboardingBundle {
  type: 'FloraOnboardingBundle'
  version: 1
  /** Base URL of the ledger the subject writes to. */
  ledger: string
  did: string
  controllerKid: string
  assertionKid: string
  /** VerifiableAuthorisationToOnboard (absent when the DID is already registered). */
  authorisationToOnboard?: string
  /** The accreditation to write into the pre-registered attribute (absent for LE). */
  accreditation?: { role: 'TAO' | 'TI'; attributeId: string; jwt: string }
  /** Who signs what, in order. */
  steps: string[]
}

async function prepareExternalOnboarding(
  ctx: CliContext,
  state: CliState,
  args: OnboardArgs,
  accreditor: EbsiEntity,
  accreditedFor: ReturnType<typeof accreditedForTypes>,
  limitJurisdiction: string | undefined,
): Promise<EntityRecord> {
  const keys = args.publicKeys!
  const did = keys.did ?? generateDidEbsi()
  const controllerKid = jwkThumbprint(keys.controllerKey)
  const assertionKid = jwkThumbprint(keys.assertionKey)
  const registered = await isRegistered(ctx.ebsi, did)
  const authorisationToOnboard = registered
    ? undefined
    : await authoriseOnboarding(ctx.ebsi, { issuer: accreditor, subjectDid: did, controllerKey: keys.controllerKey })
  let accreditation: OnboardingBundle['accreditation']
  if (args.role !== 'LE') {
    const prepared = await preRegisterAccreditation(ctx.ebsi, {
      accreditor,
      accreditorAttributeId: state.entities[args.accreditorKey]!.attributeId!,
      subjectDid: did,
      role: args.role,
      accreditedFor,
    })
    accreditation = { role: args.role, attributeId: prepared.attributeId, jwt: prepared.accreditation }
  }
  const steps = [
    `done by ${args.accreditorKey} (this CLI): ${authorisationToOnboard ? `issued the VerifiableAuthorisationToOnboard for the controller key ${controllerKid} (signed with its P-256 assertion key)` : `${did} is already registered: no onboarding authorisation`}${accreditation ? `; issued the ${accreditation.role === 'TAO' ? 'VerifiableAccreditationToAccredit' : 'VerifiableAccreditationToAttest'} and pre-registered attribute ${accreditation.attributeId} (setAttributeMetadata, tx signed with its secp256k1 key)` : ''}`,
    ...(authorisationToOnboard
      ? [
          `subject: didr_invite token — VP holding the onboarding authorisation, signed ES256K with the secp256k1 key ${controllerKid} it names (no P-256 key is registered yet; any other key is refused)`,
          `subject: insertDidDocument — inserts that key ${controllerKid}, tx signed with it (becomes capabilityInvocation)`,
          'subject: didr_write token — VP signed ES256K with its secp256k1 key',
          'subject: addVerificationMethod (P-256, hex of the JWK) and addVerificationRelationship assertionMethod + authentication — txs signed with its secp256k1 key',
        ]
      : []),
    ...(accreditation
      ? [
          'subject: tir_invite token — VP holding the accreditation, signed ES256 with its P-256 authentication key',
          'subject: setAttributeData — writes the accreditation into its attribute, tx signed with its secp256k1 key',
        ]
      : []),
  ]
  const bundle: OnboardingBundle = {
    type: 'FloraOnboardingBundle',
    version: 1,
    ledger: ctx.ebsi.baseUrl,
    did,
    controllerKid,
    assertionKid,
    ...(authorisationToOnboard ? { authorisationToOnboard } : {}),
    ...(accreditation ? { accreditation } : {}),
    steps,
  }
  const bundlePath = args.bundlePath ?? `${dirname(ctx.statePath)}/onboarding-${args.key}.json`
  writeFileSync(bundlePath, `${JSON.stringify(bundle, null, 2)}\n`)
  const record: EntityRecord = {
    did,
    ...(args.name ? { name: args.name } : {}),
    controllerKid,
    assertionKid,
    ...(accreditation ? { attributeId: accreditation.attributeId } : {}),
    accreditor: args.accreditorKey,
    role: args.role,
    ...(args.authorityRole ? { authorityRole: args.authorityRole } : {}),
    ...(args.role === 'LE' ? {} : { types: args.types }),
    ...(limitJurisdiction ? { limitJurisdiction } : {}),
    external: true,
    pending: true,
  }
  const latest = readState(ctx.statePath)
  latest.entities[args.key] = record
  writeState(ctx.statePath, latest)
  ctx.log(`prepared the onboarding of ${args.key} (${did}); the subject completes it with:`)
  ctx.log(
    `  flora-ledger accept-onboarding --bundle ${bundlePath} --key-owner <its key owner> --keys-db <its key database>`,
  )
  return record
}

/**
 * accept-onboarding (run by the subject, with ITS key store): completes a bundle — onboards the
 * DID (didr_invite, insertDidDocument, didr_write, the P-256 key and its relationships) and writes
 * the accreditation into its pre-registered attribute (tir_invite, setAttributeData). Every VP and
 * transaction is signed with the subject's keys, found by the bundle's key ids.
 */
export async function acceptOnboarding(
  ebsi: EbsiClient,
  store: KeyStore,
  bundle: OnboardingBundle,
  log: (line: string) => void,
): Promise<EbsiEntity> {
  if (bundle.type !== 'FloraOnboardingBundle' || bundle.version !== 1)
    throw new Error('not a FLORA onboarding bundle (version 1)')
  const subject = await entityFromStore(store, bundle)
  if (bundle.authorisationToOnboard && !(await isRegistered(ebsi, bundle.did))) {
    await onboardEntity(ebsi, { entity: subject, authorisationToOnboard: bundle.authorisationToOnboard })
    log(`onboarded ${bundle.did}`)
  }
  if (bundle.accreditation) {
    const { attribute } = await ebsi.trustedIssuersRegistry.getAttribute(
      bundle.did,
      bundle.accreditation.attributeId,
    )
    if (attribute.body) log(`attribute ${bundle.accreditation.attributeId} already holds an accreditation`)
    else {
      await registerOwnAccreditation(ebsi, {
        subject,
        attributeId: bundle.accreditation.attributeId,
        accreditation: bundle.accreditation.jwt,
      })
      log(`registered the ${bundle.accreditation.role} accreditation of ${bundle.did}`)
    }
  }
  return subject
}

/**
 * export-public-keys (run by the subject): writes the public halves of its controller (secp256k1)
 * and assertion (P-256) keys — by kid, else by alias `controller`/`assertion`, else the newest of
 * the type; `create` makes missing ones.
 */
export async function exportPublicKeys(
  store: KeyStore,
  args: { did?: string; controllerKid?: string; assertionKid?: string; create?: boolean },
): Promise<PublicKeysFile> {
  const pick = async (kid: string | undefined, alias: string, keyType: 'Secp256k1' | 'Secp256r1') => {
    let info: KeyInfo | undefined = kid ? await store.getKey(kid) : await store.findKeyByAlias(alias)
    info ??= (await store.listKeys()).filter((k) => k.keyType === keyType).at(-1)
    if (!info && args.create) info = await store.createKey({ keyType, alias })
    if (!info) throw new Error(`no ${keyType} key for ${store.owner} (use --create)`)
    if (info.keyType !== keyType) throw new Error(`${info.kid} is not a ${keyType} key`)
    return info.publicKeyJwk
  }
  return {
    ...(args.did ? { did: args.did } : {}),
    controllerKey: await pick(args.controllerKid, 'controller', 'Secp256k1'),
    assertionKey: await pick(args.assertionKid, 'assertion', 'Secp256r1'),
  }
}

/** revoke-accreditation: the accreditor sets the authority's attribute to Revoked. */
export async function revoke(ctx: CliContext, key: string): Promise<void> {
  const state = readState(ctx.statePath)
  const record = state.entities[key]
  if (!record?.accreditor || !record.attributeId) throw new Error(`"${key}" has no accreditation to revoke`)
  const accreditor = await entityOf(ctx, state, record.accreditor)
  await revokeAccreditation(ctx.ebsi, {
    accreditor,
    accreditorAttributeId: state.entities[record.accreditor]!.attributeId!,
    subjectDid: record.did,
    attributeId: record.attributeId,
  })
  ctx.log(`revoked ${key} (${record.did})`)
}

/** roll-key: rotates an authority's assertion (P-256) or controller (secp256k1) key. */
export async function rollKey(
  ctx: CliContext,
  key: string,
  which: 'assertion' | 'controller',
  durationSeconds: number,
): Promise<{ oldKid: string; newKid: string }> {
  const state = readState(ctx.statePath)
  const record = state.entities[key]
  if (!record) throw new Error(`unknown authority "${key}"`)
  const entity = await entityOf(ctx, state, key)
  const store = ctx.keys.forOwner(key)
  const newInfo = await store.createKey({ keyType: which === 'controller' ? 'Secp256k1' : 'Secp256r1' })
  const newKey = await store.getSigner(newInfo.kid)
  const oldKid = which === 'controller' ? record.controllerKid : record.assertionKid
  await rollVerificationMethod(ctx.ebsi, { entity, oldKid, newKey, durationSeconds })
  ctx.ebsi.transactions.forgetTokens(record.did)
  if (which === 'controller') record.controllerKid = newInfo.kid
  else record.assertionKid = newInfo.kid
  writeState(ctx.statePath, state)
  ctx.log(`rolled ${which} key of ${key}: ${oldKid} → ${newInfo.kid}`)
  return { oldKid, newKid: newInfo.kid }
}

/** One result of {@link check}. */
export interface CheckResult {
  key: string
  did: string
  keysMatch: boolean
  issuerType?: string
  chains: { type: string; ok: boolean; links?: string[]; error?: string }[]
}

/**
 * check: the authority as the ledger sees it — its DID document carries the recorded keys, its
 * attribute's issuerType, and for each type (default: its accredited types) the accreditation
 * chain walk from its attribute to the Root TAO (src/trust). Clears `pending` once complete.
 */
export async function check(ctx: CliContext, key: string, types?: string[]): Promise<CheckResult> {
  const state = readState(ctx.statePath)
  const record = state.entities[key]
  if (!record) throw new Error(`unknown authority "${key}"`)
  const document = await ctx.ebsi.didRegistry.resolve(record.did).catch((error: unknown) => {
    if (error instanceof EbsiNotFound) return undefined
    throw error
  })
  if (!document) return { key, did: record.did, keysMatch: false, chains: [] }
  const keysMatch =
    (document.capabilityInvocation ?? []).includes(`${record.did}#${record.controllerKid}`) &&
    (document.assertionMethod ?? []).includes(`${record.did}#${record.assertionKid}`)
  const result: CheckResult = { key, did: record.did, keysMatch, chains: [] }
  if (record.attributeId) {
    const { attribute } = await ctx.ebsi.trustedIssuersRegistry.getAttribute(record.did, record.attributeId)
    result.issuerType = attribute.issuerType
    const anchor = state.rootTao ? state.entities[state.rootTao]?.did : undefined
    for (const type of types ?? record.types ?? []) {
      const schemaId = state.schemas[type]
      if (!schemaId || !anchor) {
        result.chains.push({
          type,
          ok: false,
          error: !anchor ? 'no Root TAO in the state' : 'schema not registered',
        })
        continue
      }
      try {
        const chain = await walkAccreditationChain(
          {
            issuer: record.did,
            types: [...VC_BASE_TYPES, type],
            schemaId,
            termsOfUse: ctx.ebsi.trustedIssuersRegistry.attributeUrl(record.did, record.attributeId),
            ...(record.limitJurisdiction ? { jurisdiction: record.limitJurisdiction } : {}),
          },
          httpAccreditationReader({ allowedOrigins: [ctx.ebsi.baseUrl] }),
          { trustAnchors: [anchor] },
        )
        result.chains.push({ type, ok: true, links: chain.links.map((l) => `${l.issuerType} ${l.did}`) })
      } catch (error) {
        if (!(error instanceof TrustChainError)) throw error
        result.chains.push({ type, ok: false, error: `${error.code}: ${error.message}` })
      }
    }
  }
  if (record.pending && keysMatch && (!record.attributeId || result.issuerType !== undefined)) {
    const complete = !record.attributeId || result.chains.every((c) => c.ok)
    if (complete) {
      delete record.pending
      writeState(ctx.statePath, state)
    }
  }
  return result
}
