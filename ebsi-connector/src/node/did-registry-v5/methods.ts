import { z } from 'zod'
import {
  ecJwkToPublicKeyBytes,
  ethereumAddressFromPublicKey,
  hexToUtf8,
  jwkThumbprint,
  secp256k1PublicKeyToJwk,
  utf8ToHex,
} from '../../core/index.ts'
import type { BuildMethod, RegistryRpc } from '../chain/registry-rpc.ts'
import type { ExecutionEnv, RegistryMethod } from '../chain/execution.ts'
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

const MAX_TIME = 2n ** 40n

// ---- params of the build methods (EBSI's JSON-RPC) ------------------------------------------

const insertParams = z.object({
  from: addressParam,
  did: didEbsiParam,
  baseDocument: z.string().max(10_000),
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
  },
  addVerificationMethod: { params: addVmParams, toArgs: identity },
  addVerificationRelationship: { params: addRelParams, toArgs: identity },
  revokeVerificationMethod: { params: boundParams, toArgs: identity },
  expireVerificationMethod: { params: boundParams, toArgs: identity },
  rollVerificationMethod: { params: rollParams, toArgs: identity },
}

// ---- state rules ----------------------------------------------------------------------------

const str = (args: Args, name: string) => String(args[name])
const big = (args: Args, name: string) => BigInt(args[name] as bigint)

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

function checkBounds(notBefore: bigint, notAfter: bigint) {
  if (notAfter > MAX_TIME || notBefore > MAX_TIME) throw new Revert('notBefore/notAfter out of range')
  if (notBefore >= notAfter) throw new Revert('notBefore must be before notAfter')
}

/** Decodes an addVerificationMethod key into its JWK and checks the thumbprint. */
function keyOf(args: Args): Record<string, unknown> {
  let jwk: Record<string, unknown>
  if (args.isSecp256k1 === true) {
    try {
      jwk = secp256k1PublicKeyToJwk(str(args, 'publicKey'))
    } catch {
      throw new Revert('"publicKey" is not a secp256k1 public key')
    }
  } else {
    try {
      const parsed = JSON.parse(hexToUtf8(str(args, 'publicKey'))) as Record<string, unknown>
      ecJwkToPublicKeyBytes(parsed)
      jwk = { kty: parsed.kty, crv: parsed.crv, x: parsed.x, y: parsed.y }
    } catch {
      throw new Revert('"publicKey" must be the hex of an EC public JWK')
    }
    if (jwk.crv === 'secp256k1') throw new Revert('a secp256k1 key must be added with isSecp256k1 true')
  }
  if (jwkThumbprint(jwk as { kty: string }) !== str(args, 'vMethodId'))
    throw new Revert('"vMethodId" must be the JWK thumbprint of the key')
  return jwk
}

const insertDidDocument: RegistryMethod = {
  scopes: ['didr_invite', 'didr_write'],
  async check(db, { args }, env) {
    const did = str(args, 'did')
    if (await db.didDocument.findUnique({ where: { did } })) throw new Revert(`DID ${did} already exists`)
    let base: Record<string, unknown>
    try {
      base = JSON.parse(hexToUtf8(str(args, 'baseDocument'))) as Record<string, unknown>
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
      !(
        typeof context === 'string' ||
        (Array.isArray(context) && context.every((c) => typeof c === 'string'))
      )
    ) {
      throw new Revert('"@context" must be a string or an array of strings')
    }
    const jwk = keyOf({ ...args, isSecp256k1: true })
    if (ethereumAddressFromPublicKey(jwk as never) !== env.from)
      throw new Revert("the inserted key must be the signer's key")
    if (env.scope === 'didr_invite' && env.sender !== did)
      throw new Revert('under didr_invite only the token subject can be inserted')
    checkBounds(big(args, 'notBefore'), big(args, 'notAfter'))
  },
  async apply(tx, { args }, env) {
    await applyInsertDidDocument(tx, {
      did: str(args, 'did'),
      baseDocument: hexToUtf8(str(args, 'baseDocument')),
      secp256k1PublicKey: str(args, 'publicKey'),
      notBefore: big(args, 'notBefore').toString(),
      notAfter: big(args, 'notAfter').toString(),
      now: env.now,
      blockNumber: env.blockNumber,
    })
  },
}

const addVerificationMethod: RegistryMethod = {
  scopes: ['didr_write'],
  async check(db, { args }, env) {
    await requireSenderControls(db, str(args, 'did'), env)
    keyOf(args)
    const existing = await db.didVerificationMethod.findUnique({
      where: { did_vMethodId: { did: str(args, 'did'), vMethodId: str(args, 'vMethodId') } },
    })
    if (existing) throw new Revert('verification method already exists')
  },
  async apply(tx, { args }, env) {
    const did = str(args, 'did')
    await insertVerificationMethod(
      tx,
      did,
      {
        vMethodId: str(args, 'vMethodId'),
        publicKeyJwk: keyOf(args),
        isSecp256k1: args.isSecp256k1 === true,
      },
      env.now,
    )
    await writeDidVersion(tx, did, env.now, env.blockNumber)
  },
}

const addVerificationRelationship: RegistryMethod = {
  scopes: ['didr_write'],
  async check(db, { args }, env) {
    await requireSenderControls(db, str(args, 'did'), env)
    if (!(RELATIONSHIP_NAMES as readonly string[]).includes(str(args, 'name')))
      throw new Revert('unknown verification relationship')
    const vm = await db.didVerificationMethod.findUnique({
      where: { did_vMethodId: { did: str(args, 'did'), vMethodId: str(args, 'vMethodId') } },
    })
    if (!vm) throw new Revert('verification method does not exist')
    if (str(args, 'name') === 'capabilityInvocation' && !vm.isSecp256k1)
      throw new Revert('capabilityInvocation needs a secp256k1 key')
    checkBounds(big(args, 'notBefore'), big(args, 'notAfter'))
  },
  async apply(tx, { args }, env) {
    await upsertRelationship(tx, {
      did: str(args, 'did'),
      name: str(args, 'name'),
      vMethodId: str(args, 'vMethodId'),
      notBefore: big(args, 'notBefore').toString(),
      notAfter: big(args, 'notAfter').toString(),
    })
    await writeDidVersion(tx, str(args, 'did'), env.now, env.blockNumber)
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
    async check(db, { args }, env) {
      await requireSenderControls(db, str(args, 'did'), env)
      const vm = await db.didVerificationMethod.findUnique({
        where: { did_vMethodId: { did: str(args, 'did'), vMethodId: str(args, 'vMethodId') } },
      })
      if (!vm) throw new Revert('verification method does not exist')
      const notAfter = big(args, 'notAfter')
      if (notAfter > MAX_TIME) throw new Revert('notAfter out of range')
      if (direction === 'past' && notAfter > BigInt(env.now))
        throw new Revert('"notAfter" must be in the past')
      if (direction === 'future' && notAfter <= BigInt(env.now))
        throw new Revert('"notAfter" must be in the future')
    },
    async apply(tx, { args }, env) {
      await endRelationships(tx, str(args, 'did'), str(args, 'vMethodId'), big(args, 'notAfter'))
      await writeDidVersion(tx, str(args, 'did'), env.now, env.blockNumber)
    },
  }
}

const rollVerificationMethod: RegistryMethod = {
  scopes: ['didr_write'],
  async check(db, { args }, env) {
    await addVerificationMethod.check(
      db,
      { registry: 'did-registry', method: 'addVerificationMethod', args },
      env,
    )
    const old = await db.didVerificationMethod.findUnique({
      where: { did_vMethodId: { did: str(args, 'did'), vMethodId: str(args, 'oldVMethodId') } },
    })
    if (!old) throw new Revert('"oldVMethodId" does not exist')
    if (old.isSecp256k1 !== (args.isSecp256k1 === true))
      throw new Revert('the new key must be of the same kind as the old one')
    checkBounds(big(args, 'notBefore'), big(args, 'notAfter'))
    if (big(args, 'duration') > MAX_TIME) throw new Revert('"duration" out of range')
  },
  async apply(tx, { args }, env) {
    const did = str(args, 'did')
    const oldId = str(args, 'oldVMethodId')
    await insertVerificationMethod(
      tx,
      did,
      {
        vMethodId: str(args, 'vMethodId'),
        publicKeyJwk: keyOf(args),
        isSecp256k1: args.isSecp256k1 === true,
      },
      env.now,
    )
    const rels = await tx.didVerificationRelationship.findMany({ where: { did, vMethodId: oldId } })
    for (const rel of rels) {
      await upsertRelationship(tx, {
        did,
        name: rel.name,
        vMethodId: str(args, 'vMethodId'),
        notBefore: big(args, 'notBefore').toString(),
        notAfter: big(args, 'notAfter').toString(),
      })
    }
    await endRelationships(tx, did, oldId, big(args, 'notBefore') + big(args, 'duration'))
    await writeDidVersion(tx, did, env.now, env.blockNumber)
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
