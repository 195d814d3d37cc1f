import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import {
  accreditEntity,
  type EbsiClient,
  type EbsiEntity,
  issueAccreditation,
  ISSUER_TYPE,
  newAttributeId,
  onboardEntity,
  registerSchema,
  revokeAccreditation,
  rollVerificationMethod,
} from '../client/index.ts'
import { generateDidEbsi, utf8ToHex } from '../core/index.ts'
import type { KeyStore, PrismaKeyStore } from '../keys/index.ts'
import {
  loadCatalogue,
  type MilestoneCatalogue,
  type TrustChainConfig,
  trustChainConfig,
  typesOfTi,
} from './trust-chain-config.ts'

const VC_BASE_TYPES = ['VerifiableCredential', 'VerifiableAttestation']

/** What the CLI remembers between runs (public facts only; keys live in the encrypted store). */
export interface CliState {
  entities: Record<
    string,
    {
      did: string
      controllerKid: string
      assertionKid: string
      attributeId: string
      accreditor?: string
      role?: string
    }
  >
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
  return existsSync(path)
    ? (JSON.parse(readFileSync(path, 'utf8')) as CliState)
    : { entities: {}, schemas: {} }
}

function writeState(path: string, state: CliState): void {
  writeFileSync(path, `${JSON.stringify(state, null, 2)}\n`)
}

/** The operator (EBSI Support Office role in the pilot) from the node's operator file. */
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

async function entityOf(ctx: CliContext, state: CliState, key: string): Promise<EbsiEntity> {
  const record = state.entities[key]
  if (!record) throw new Error(`unknown authority "${key}" (not in ${ctx.statePath})`)
  const store: KeyStore = ctx.keys.forOwner(key)
  return {
    did: record.did,
    controller: await store.getSigner(record.controllerKid),
    assertion: await store.getSigner(record.assertionKid),
  }
}

/** Creates keys and a DID for `key`, then onboards it with an authorisation from `accreditor`. */
async function createAndOnboard(ctx: CliContext, key: string, accreditor: EbsiEntity): Promise<EbsiEntity> {
  const store = ctx.keys.forOwner(key)
  const controller = await store.getSigner(
    (await store.createKey({ keyType: 'Secp256k1', alias: 'controller' })).kid,
  )
  const assertion = await store.getSigner(
    (await store.createKey({ keyType: 'Secp256r1', alias: 'assertion' })).kid,
  )
  const entity = { did: generateDidEbsi(), controller, assertion }
  const authorisationToOnboard = await issueAccreditation({
    issuer: { did: accreditor.did, signer: accreditor.assertion },
    subjectDid: entity.did,
    kind: 'VerifiableAuthorisationToOnboard',
    schemasUrl: schemasUrl(ctx),
  })
  await onboardEntity(ctx.ebsi, { entity, authorisationToOnboard })
  ctx.log(`onboarded ${key}: ${entity.did}`)
  return entity
}

const schemasUrl = (ctx: CliContext) => ctx.ebsi.trustedSchemasRegistry.schemaUrl('').replace(/\/$/, '')

function accreditedForTypes(state: CliState, types: string[], limitJurisdiction?: string) {
  return types.map((type) => {
    const schemaId = state.schemas[type]
    if (!schemaId) throw new Error(`schema of ${type} is not registered (run register-schema or bootstrap)`)
    return { schemaId, types: [...VC_BASE_TYPES, type], ...(limitJurisdiction ? { limitJurisdiction } : {}) }
  })
}

/** Registers the schema of each type (skipping ones already registered). */
export async function registerSchemas(
  ctx: CliContext,
  operator: EbsiEntity,
  types: string[],
  catalogue: MilestoneCatalogue,
) {
  const state = readState(ctx.statePath)
  for (const type of types) {
    if (state.schemas[type]) continue
    const { url } = await registerSchema(ctx.ebsi, {
      writer: operator,
      schema: catalogue.schemaFor(type),
      metadata: { title: type },
    })
    state.schemas[type] = url
    writeState(ctx.statePath, state)
    ctx.log(`registered schema ${type}: ${url}`)
  }
}

/**
 * bootstrap: Root TAO (authorised by the operator) → TAOs → TIs with accreditedFor, schemas
 * registered from the milestone catalogue. Idempotent per entity (the state file remembers).
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
  let state = readState(ctx.statePath)

  if (!state.entities[config.rootTao.key]) {
    const root = await createAndOnboard(ctx, config.rootTao.key, operator)
    const attributeId = newAttributeId()
    const body = await issueAccreditation({
      issuer: { did: operator.did, signer: operator.assertion },
      subjectDid: root.did,
      kind: 'VerifiableAuthorisationForTrustChain',
      schemasUrl: schemasUrl(ctx),
      reservedAttributeId: attributeId,
    })
    await ctx.ebsi.transactions.write({
      api: 'trusted-issuers-registry',
      method: 'setAttributeMetadata',
      scope: 'tir_write',
      actor: { did: operator.did, controller: operator.controller, authentication: operator.assertion },
      params: {
        did: root.did,
        attributeId,
        issuerType: ISSUER_TYPE.RootTAO,
        taoDid: operator.did,
        taoAttributeId: attributeId,
      },
    })
    await ctx.ebsi.transactions.write({
      api: 'trusted-issuers-registry',
      method: 'setAttributeData',
      scope: 'tir_invite',
      actor: { did: root.did, controller: root.controller, authentication: root.assertion },
      credentials: [body],
      params: { did: root.did, attributeId, attributeData: utf8ToHex(body) },
    })
    state.entities[config.rootTao.key] = {
      did: root.did,
      controllerKid: root.controller.kid,
      assertionKid: root.assertion.kid,
      attributeId,
      role: 'RootTAO',
    }
    writeState(ctx.statePath, state)
  }

  for (const tao of config.taos) {
    const taoTypes = [...new Set(tao.tis.flatMap((ti) => typesOfTi(ti, catalogue)))]
    if (!state.entities[tao.key]) {
      await onboard(ctx, {
        key: tao.key,
        accreditorKey: config.rootTao.key,
        role: 'TAO',
        types: taoTypes,
        limitJurisdiction: tao.limitJurisdiction,
      })
      state = readState(ctx.statePath)
    }
    for (const ti of tao.tis) {
      if (state.entities[ti.key]) continue
      await onboard(ctx, {
        key: ti.key,
        accreditorKey: tao.key,
        role: 'TI',
        types: typesOfTi(ti, catalogue),
        limitJurisdiction: tao.limitJurisdiction,
      })
      state = readState(ctx.statePath)
    }
  }
  return readState(ctx.statePath)
}

/** onboard: one new authority (e.g. BAMF Chemnitz, a Land's authority) accredited by a TAO for types. */
export async function onboard(
  ctx: CliContext,
  args: {
    key: string
    accreditorKey: string
    role: 'TAO' | 'TI'
    types: string[]
    limitJurisdiction?: string
  },
): Promise<void> {
  const state = readState(ctx.statePath)
  if (state.entities[args.key]) throw new Error(`authority "${args.key}" already exists`)
  const accreditor = await entityOf(ctx, state, args.accreditorKey)
  const subject = await createAndOnboard(ctx, args.key, accreditor)
  const { attributeId } = await accreditEntity(ctx.ebsi, {
    accreditor,
    accreditorAttributeId: state.entities[args.accreditorKey]!.attributeId,
    subject,
    role: args.role,
    accreditedFor: accreditedForTypes(state, args.types, args.limitJurisdiction),
  })
  state.entities[args.key] = {
    did: subject.did,
    controllerKid: subject.controller.kid,
    assertionKid: subject.assertion.kid,
    attributeId,
    accreditor: args.accreditorKey,
    role: args.role,
  }
  writeState(ctx.statePath, state)
  ctx.log(`accredited ${args.key} as ${args.role} by ${args.accreditorKey} for ${args.types.join(', ')}`)
}

/** revoke-accreditation: the accreditor sets the authority's attribute to Revoked. */
export async function revoke(ctx: CliContext, key: string): Promise<void> {
  const state = readState(ctx.statePath)
  const record = state.entities[key]
  if (!record?.accreditor) throw new Error(`"${key}" has no accreditor to revoke it`)
  const accreditor = await entityOf(ctx, state, record.accreditor)
  await revokeAccreditation(ctx.ebsi, {
    accreditor,
    accreditorAttributeId: state.entities[record.accreditor]!.attributeId,
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
): Promise<void> {
  const state = readState(ctx.statePath)
  const record = state.entities[key]
  if (!record) throw new Error(`unknown authority "${key}"`)
  const entity = await entityOf(ctx, state, key)
  const store = ctx.keys.forOwner(key)
  const newInfo = await store.createKey({ keyType: which === 'controller' ? 'Secp256k1' : 'Secp256r1' })
  const newKey = await store.getSigner(newInfo.kid)
  await rollVerificationMethod(ctx.ebsi, {
    entity,
    oldKid: which === 'controller' ? record.controllerKid : record.assertionKid,
    newKey,
    durationSeconds,
  })
  ctx.ebsi.transactions.forgetTokens(record.did)
  if (which === 'controller') record.controllerKid = newInfo.kid
  else record.assertionKid = newInfo.kid
  writeState(ctx.statePath, state)
  ctx.log(`rolled ${which} key of ${key}: ${newInfo.kid}`)
}
