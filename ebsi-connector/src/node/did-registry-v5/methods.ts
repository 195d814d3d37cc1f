import { z } from 'zod'
import {
  ecJwkToPublicKeyBytes,
  ethereumAddressFromPublicKey,
  hexToUtf8,
  jwkThumbprint,
  secp256k1PublicKeyToJwk,
  utf8ToHex,
} from '../../core/index.ts'
import { paramsOfArgs } from '../chain/build-method.ts'
import { bigUintArg, boolArg, bytesArg, didArg, vMethodIdArg } from '../chain/call-args.ts'
import type { ExecutionEnv, RegistryMethod } from '../chain/execution.ts'
import type { BuildMethod, RegistryRpc } from '../chain/registry-rpc.ts'
import { Revert } from '../errors.ts'
import { addressParam, didEbsiParam, hexBytesParam, uintParam, vMethodIdParam } from '../http/params.ts'
import type { LedgerDb, LedgerTx } from '../types.ts'
import {
  applyInsertDidDocument,
  insertVerificationMethod,
  RELATIONSHIP_NAMES,
  upsertRelationship,
  writeDidVersion,
} from './state.ts'

type Db = LedgerTx | LedgerDb
type Args = Record<string, unknown>

/** Validity bounds and durations (unix seconds) beyond this are refused: far past any real date. */
const MAX_TIME = 2n ** 40n
/** Characters of a base document (the JSON text holding its "@context"). */
const MAX_BASE_DOCUMENT_LENGTH = 10_000

// ---- params of the build methods (EBSI's JSON-RPC) ------------------------------------------

const insertParams = z.object({
  from: addressParam,
  did: didEbsiParam,
  baseDocument: z.string().max(MAX_BASE_DOCUMENT_LENGTH),
  vMethodId: vMethodIdParam,
  publicKey: hexBytesParam,
  isSecp256k1: z.literal(true),
  notBefore: uintParam,
  notAfter: uintParam,
})
const addVmParams = z.object({
  from: addressParam,
  did: didEbsiParam,
  vMethodId: vMethodIdParam,
  publicKey: hexBytesParam,
  isSecp256k1: z.boolean(),
})
const addRelParams = z.object({
  from: addressParam,
  did: didEbsiParam,
  name: z.enum(RELATIONSHIP_NAMES),
  vMethodId: vMethodIdParam,
  notBefore: uintParam,
  notAfter: uintParam,
})
const boundParams = z.object({
  from: addressParam,
  did: didEbsiParam,
  vMethodId: vMethodIdParam,
  notAfter: uintParam,
})
const rollArgs = z.object({
  did: didEbsiParam,
  vMethodId: vMethodIdParam,
  publicKey: hexBytesParam,
  isSecp256k1: z.boolean(),
  notBefore: uintParam,
  notAfter: uintParam,
  oldVMethodId: vMethodIdParam,
  duration: uintParam,
})
/** rollVerificationMethod takes its arguments flat or under `rollArgs` (both appear in EBSI's spec). */
const rollParams = z.preprocess(
  (value) => {
    const v = value as { rollArgs?: unknown; from?: unknown } | null
    return v && typeof v === 'object' && v.rollArgs && typeof v.rollArgs === 'object'
      ? { ...(v.rollArgs as object), from: v.from }
      : value
  },
  rollArgs.extend({ from: addressParam }),
)

const identity = (params: Args) => params
const builders: Record<string, BuildMethod> = {
  insertDidDocument: {
    params: insertParams,
    toArgs: (p: Args) => ({ ...p, baseDocument: utf8ToHex(String(p.baseDocument)) }),
    fromArgs: (args) => ({ ...paramsOfArgs(args), baseDocument: hexToUtf8(String(args.baseDocument)) }),
  },
  addVerificationMethod: { params: addVmParams, toArgs: identity },
  addVerificationRelationship: { params: addRelParams, toArgs: identity },
  revokeVerificationMethod: { params: boundParams, toArgs: identity },
  expireVerificationMethod: { params: boundParams, toArgs: identity },
  rollVerificationMethod: { params: rollParams, toArgs: identity },
}

// ---- state rules ----------------------------------------------------------------------------

// Every argument is read through the typed accessors, which revert a value out of its range,
// size or format; `validate` reads them all before a call is accepted or executed.
const did = (args: Args) => didArg(args, 'did')
const vMethodId = (args: Args, name = 'vMethodId') => vMethodIdArg(args, name)
const time = (args: Args, name: string) => bigUintArg(args, name, MAX_TIME)

async function requireDid(db: Db, did: string) {
  const doc = await db.didDocument.findUnique({ where: { did } })
  if (!doc) throw new Revert(`DID ${did} does not exist`)
  return doc
}

/** The token's DID may only change itself or a DID it controls. */
async function requireSenderControls(db: Db, did: string, env: ExecutionEnv) {
  const doc = await requireDid(db, did)
  if (env.sender === did) return
  const controllers = JSON.parse(doc.controllers) as string[]
  if (!controllers.includes(env.sender)) throw new Revert(`${env.sender} is not a controller of ${did}`)
}

/** notBefore and notAfter, each within range, notBefore first. @throws Revert */
function boundsOf(args: Args): { notBefore: bigint; notAfter: bigint } {
  const notBefore = time(args, 'notBefore')
  const notAfter = time(args, 'notAfter')
  if (notBefore >= notAfter) throw new Revert('notBefore must be before notAfter')
  return { notBefore, notAfter }
}

/** The base document: a JSON object holding only "@context" (a string or strings). @throws Revert */
function baseDocumentOf(args: Args): string {
  const text = hexToUtf8(bytesArg(args, 'baseDocument'))
  if (text.length > MAX_BASE_DOCUMENT_LENGTH)
    throw new Revert(`"baseDocument" is longer than ${MAX_BASE_DOCUMENT_LENGTH} characters`)
  let base: Record<string, unknown>
  try {
    base = JSON.parse(text) as Record<string, unknown>
  } catch {
    throw new Revert('"baseDocument" must be a JSON string')
  }
  if (
    !base ||
    typeof base !== 'object' ||
    Array.isArray(base) ||
    Object.keys(base).some((key) => key !== '@context')
  ) {
    throw new Revert('"baseDocument" must only contain "@context"')
  }
  const context = base['@context']
  if (
    !(typeof context === 'string' || (Array.isArray(context) && context.every((c) => typeof c === 'string')))
  ) {
    throw new Revert('"@context" must be a string or an array of strings')
  }
  return text
}

/** Decodes an added key into its JWK and checks the thumbprint. */
function keyOf(args: Args, isSecp256k1 = boolArg(args, 'isSecp256k1')): Record<string, unknown> {
  const publicKey = bytesArg(args, 'publicKey')
  let jwk: Record<string, unknown>
  if (isSecp256k1) {
    try {
      jwk = secp256k1PublicKeyToJwk(publicKey)
    } catch {
      throw new Revert('"publicKey" is not a secp256k1 public key')
    }
  } else {
    try {
      const parsed = JSON.parse(hexToUtf8(publicKey)) as Record<string, unknown>
      ecJwkToPublicKeyBytes(parsed)
      jwk = { kty: parsed.kty, crv: parsed.crv, x: parsed.x, y: parsed.y }
    } catch {
      throw new Revert('"publicKey" must be the hex of an EC public JWK')
    }
    if (jwk.crv === 'secp256k1') throw new Revert('a secp256k1 key must be added with isSecp256k1 true')
  }
  if (jwkThumbprint(jwk as { kty: string }) !== vMethodId(args))
    throw new Revert('"vMethodId" must be the JWK thumbprint of the key')
  return jwk
}

const insertDidDocument: RegistryMethod = {
  scopes: ['didr_invite', 'didr_write'],
  validate(args) {
    did(args)
    baseDocumentOf(args)
    if (!boolArg(args, 'isSecp256k1')) throw new Revert('the first key of a DID must be secp256k1')
    keyOf(args)
    boundsOf(args)
  },
  async check(db, { args }, env) {
    if (await db.didDocument.findUnique({ where: { did: did(args) } }))
      throw new Revert(`DID ${did(args)} already exists`)
    if (ethereumAddressFromPublicKey(keyOf(args) as never) !== env.from)
      throw new Revert("the inserted key must be the signer's key")
    if (env.scope === 'didr_invite' && env.sender !== did(args))
      throw new Revert('under didr_invite only the token subject can be inserted')
  },
  async apply(tx, { args }, env) {
    const { notBefore, notAfter } = boundsOf(args)
    await applyInsertDidDocument(tx, {
      did: did(args),
      baseDocument: baseDocumentOf(args),
      secp256k1PublicKey: bytesArg(args, 'publicKey'),
      notBefore: notBefore.toString(),
      notAfter: notAfter.toString(),
      now: env.now,
      blockNumber: env.blockNumber,
    })
  },
}

const addVerificationMethod: RegistryMethod = {
  scopes: ['didr_write'],
  validate(args) {
    did(args)
    keyOf(args)
  },
  async check(db, { args }, env) {
    await requireSenderControls(db, did(args), env)
    const existing = await db.didVerificationMethod.findUnique({
      where: { did_vMethodId: { did: did(args), vMethodId: vMethodId(args) } },
    })
    if (existing) throw new Revert('verification method already exists')
  },
  async apply(tx, { args }, env) {
    await insertVerificationMethod(
      tx,
      did(args),
      { vMethodId: vMethodId(args), publicKeyJwk: keyOf(args), isSecp256k1: boolArg(args, 'isSecp256k1') },
      env.now,
    )
    await writeDidVersion(tx, did(args), env.now, env.blockNumber)
  },
}

/** A verification relationship name. @throws Revert */
function relationshipOf(args: Args): string {
  const name = args.name
  if (typeof name !== 'string' || !(RELATIONSHIP_NAMES as readonly string[]).includes(name))
    throw new Revert('unknown verification relationship')
  return name
}

const addVerificationRelationship: RegistryMethod = {
  scopes: ['didr_write'],
  validate(args) {
    did(args)
    relationshipOf(args)
    vMethodId(args)
    boundsOf(args)
  },
  async check(db, { args }, env) {
    await requireSenderControls(db, did(args), env)
    const vm = await db.didVerificationMethod.findUnique({
      where: { did_vMethodId: { did: did(args), vMethodId: vMethodId(args) } },
    })
    if (!vm) throw new Revert('verification method does not exist')
    if (relationshipOf(args) === 'capabilityInvocation' && !vm.isSecp256k1)
      throw new Revert('capabilityInvocation needs a secp256k1 key')
  },
  async apply(tx, { args }, env) {
    const { notBefore, notAfter } = boundsOf(args)
    await upsertRelationship(tx, {
      did: did(args),
      name: relationshipOf(args),
      vMethodId: vMethodId(args),
      notBefore: notBefore.toString(),
      notAfter: notAfter.toString(),
    })
    await writeDidVersion(tx, did(args), env.now, env.blockNumber)
  },
}

/** Ends every relationship of a verification method at `notAfter`. */
async function endRelationships(tx: LedgerTx, did: string, vMethodId: string, notAfter: bigint) {
  const rels = await tx.didVerificationRelationship.findMany({ where: { did, vMethodId } })
  for (const rel of rels) {
    const end = BigInt(rel.notAfter) < notAfter ? BigInt(rel.notAfter) : notAfter
    await tx.didVerificationRelationship.update({
      where: { did_name_vMethodId: { did, name: rel.name, vMethodId } },
      data: { notAfter: end.toString() },
    })
  }
}

function boundMethod(direction: 'past' | 'future'): RegistryMethod {
  return {
    scopes: ['didr_write'],
    validate(args) {
      did(args)
      vMethodId(args)
      time(args, 'notAfter')
    },
    async check(db, { args }, env) {
      await requireSenderControls(db, did(args), env)
      const vm = await db.didVerificationMethod.findUnique({
        where: { did_vMethodId: { did: did(args), vMethodId: vMethodId(args) } },
      })
      if (!vm) throw new Revert('verification method does not exist')
      const notAfter = time(args, 'notAfter')
      if (direction === 'past' && notAfter > BigInt(env.now))
        throw new Revert('"notAfter" must be in the past')
      if (direction === 'future' && notAfter <= BigInt(env.now))
        throw new Revert('"notAfter" must be in the future')
    },
    async apply(tx, { args }, env) {
      await endRelationships(tx, did(args), vMethodId(args), time(args, 'notAfter'))
      await writeDidVersion(tx, did(args), env.now, env.blockNumber)
    },
  }
}

const rollVerificationMethod: RegistryMethod = {
  scopes: ['didr_write'],
  validate(args) {
    addVerificationMethod.validate(args)
    boundsOf(args)
    vMethodId(args, 'oldVMethodId')
    time(args, 'duration')
  },
  async check(db, { args }, env) {
    await addVerificationMethod.check(
      db,
      { registry: 'did-registry', method: 'addVerificationMethod', args },
      env,
    )
    const old = await db.didVerificationMethod.findUnique({
      where: { did_vMethodId: { did: did(args), vMethodId: vMethodId(args, 'oldVMethodId') } },
    })
    if (!old) throw new Revert('"oldVMethodId" does not exist')
    if (old.isSecp256k1 !== boolArg(args, 'isSecp256k1'))
      throw new Revert('the new key must be of the same kind as the old one')
  },
  async apply(tx, { args }, env) {
    const subject = did(args)
    const oldId = vMethodId(args, 'oldVMethodId')
    const { notBefore, notAfter } = boundsOf(args)
    await insertVerificationMethod(
      tx,
      subject,
      { vMethodId: vMethodId(args), publicKeyJwk: keyOf(args), isSecp256k1: boolArg(args, 'isSecp256k1') },
      env.now,
    )
    const rels = await tx.didVerificationRelationship.findMany({ where: { did: subject, vMethodId: oldId } })
    for (const rel of rels) {
      await upsertRelationship(tx, {
        did: subject,
        name: rel.name,
        vMethodId: vMethodId(args),
        notBefore: notBefore.toString(),
        notAfter: notAfter.toString(),
      })
    }
    await endRelationships(tx, subject, oldId, notBefore + time(args, 'duration'))
    await writeDidVersion(tx, subject, env.now, env.blockNumber)
  },
}

/** The DID Registry v5 JSON-RPC surface. */
export const didRegistryRpc: RegistryRpc = {
  registry: 'did-registry',
  builders,
  methods: {
    insertDidDocument,
    addVerificationMethod,
    addVerificationRelationship,
    revokeVerificationMethod: boundMethod('past'),
    expireVerificationMethod: boundMethod('future'),
    rollVerificationMethod,
  },
}
