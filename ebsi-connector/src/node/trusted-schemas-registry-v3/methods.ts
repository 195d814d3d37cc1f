import { z } from 'zod'
import { canonicalJson, hexToUtf8, schemaIdOf, sha256Hex } from '../../core/index.ts'
import { bytes32Arg, bytesArg } from '../chain/call-args.ts'
import type { ExecutionEnv, RegistryMethod } from '../chain/execution.ts'
import type { BuildMethod, RegistryRpc } from '../chain/registry-rpc.ts'
import { Revert } from '../errors.ts'
import { addressParam, bytes32Param, hexBytesParam } from '../http/params.ts'
import type { LedgerDb, LedgerTx } from '../types.ts'

type Db = LedgerTx | LedgerDb
type Args = Record<string, unknown>
/** bytes32 arguments as stored: lower-case 0x hex. */
const schemaIdOfCall = (args: Args) => bytes32Arg(args, 'schemaId')

const insertParams = z.object({
  from: addressParam,
  schemaId: bytes32Param,
  schema: hexBytesParam,
  metadata: hexBytesParam,
})
const updateMetadataParams = z.object({
  from: addressParam,
  schemaId: bytes32Param,
  schemaRevisionId: bytes32Param,
  metadata: hexBytesParam,
})
const identity = (p: Args) => p
const builders: Record<string, BuildMethod> = {
  insertSchema: { params: insertParams, toArgs: identity },
  updateSchema: { params: insertParams, toArgs: identity },
  updateMetadata: { params: updateMetadataParams, toArgs: identity },
}

/**
 * Nesting levels of a schema or metadata document. Their canonical serialisation (the schema id)
 * recurses once per level: a few thousand levels exhaust the stack, a RangeError no rule expects.
 */
const MAX_JSON_DEPTH = 64

/** A `bytes` argument holding the UTF-8 of a JSON object. @throws Revert */
function jsonObject(args: Args, name: string): Record<string, unknown> {
  const text = hexToUtf8(bytesArg(args, name))
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new Revert(`"${name}" must be the hex of a JSON object`)
  }
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new Revert(`"${name}" must be the hex of a JSON object`)
  if (nestedDeeperThan(value, MAX_JSON_DEPTH))
    throw new Revert(`"${name}" is nested deeper than ${MAX_JSON_DEPTH} levels`)
  return value as Record<string, unknown>
}

/** Pure, without recursion: does the JSON value nest objects/arrays deeper than `max` levels? */
function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]]
  for (let item = stack.pop(); item; item = stack.pop()) {
    const [current, depth] = item
    if (!current || typeof current !== 'object') continue
    if (depth > max) return true
    for (const child of Object.values(current)) stack.push([child, depth + 1])
  }
  return false
}

/** Governance: the signer's address must hold the TSR attribute in the TPR. */
async function requireTprRight(env: ExecutionEnv, db: Db, attribute: string) {
  const user = await db.tprUser.findUnique({ where: { address: env.from } })
  const attributes = user ? (JSON.parse(user.attributes) as Record<string, unknown>) : {}
  if (!attributes[attribute])
    throw new Revert(`the signer lacks the ${attribute} attribute in the Trusted Policies Registry`)
}

/** Content of one revision: id = 0x + sha256 of the schema's canonical JSON. */
function revisionOf(args: Args) {
  const schema = jsonObject(args, 'schema')
  const metadata = jsonObject(args, 'metadata')
  const schemaJson = canonicalJson(schema)
  const metadataJson = canonicalJson(metadata)
  return {
    schema,
    schemaJson,
    revisionId: `0x${sha256Hex(schemaJson)}`,
    metadataJson,
    metadataId: `0x${sha256Hex(metadataJson)}`,
  }
}

async function writeRevision(tx: LedgerTx, schemaId: string, args: Args, env: ExecutionEnv) {
  const revision = revisionOf(args)
  const seq = await tx.tsrSchemaRevision.count({ where: { schemaId } })
  await tx.tsrSchemaRevision.create({
    data: {
      schemaId,
      revisionId: revision.revisionId,
      schema: revision.schemaJson,
      seq,
      createdAt: env.now,
      blockNumber: env.blockNumber,
    },
  })
  await tx.tsrSchemaMetadata.create({
    data: {
      schemaId,
      revisionId: revision.revisionId,
      metadataId: revision.metadataId,
      metadata: revision.metadataJson,
      createdAt: env.now,
    },
  })
  await tx.tsrSchema.update({ where: { schemaId }, data: { latestRevisionId: revision.revisionId } })
}

/** insertSchema: the schemaId must be EBSI's derivation (sha256 of the canonical schema). */
const insertSchema: RegistryMethod = {
  scopes: ['tsr_write'],
  validate(args) {
    const id = schemaIdOf(revisionOf(args).schema)
    if (id.hex !== schemaIdOfCall(args))
      throw new Revert(`"schemaId" must be ${id.hex} (sha256 of the canonical schema)`)
  },
  async check(db, { args }, env) {
    await requireTprRight(env, db, 'TSR:insertSchema')
    const id = schemaIdOf(revisionOf(args).schema)
    if (await db.tsrSchema.findUnique({ where: { schemaIdHex: id.hex } }))
      throw new Revert('the schema already exists')
  },
  async apply(tx, { args }, env) {
    const id = schemaIdOf(revisionOf(args).schema)
    await tx.tsrSchema.create({
      data: { schemaId: id.multibase, schemaIdHex: id.hex, latestRevisionId: '', createdAt: env.now },
    })
    await writeRevision(tx, id.multibase, args, env)
  },
}

const updateSchema: RegistryMethod = {
  scopes: ['tsr_write'],
  validate(args) {
    schemaIdOfCall(args)
    revisionOf(args)
  },
  async check(db, { args }, env) {
    await requireTprRight(env, db, 'TSR:updateSchema')
    const existing = await db.tsrSchema.findUnique({ where: { schemaIdHex: schemaIdOfCall(args) } })
    if (!existing) throw new Revert('the schema does not exist')
    const { revisionId } = revisionOf(args)
    if (
      await db.tsrSchemaRevision.findUnique({
        where: { schemaId_revisionId: { schemaId: existing.schemaId, revisionId } },
      })
    ) {
      throw new Revert('this revision already exists')
    }
  },
  async apply(tx, { args }, env) {
    const existing = await tx.tsrSchema.findUniqueOrThrow({ where: { schemaIdHex: schemaIdOfCall(args) } })
    await writeRevision(tx, existing.schemaId, args, env)
  },
}

const updateMetadata: RegistryMethod = {
  scopes: ['tsr_write'],
  validate(args) {
    schemaIdOfCall(args)
    bytes32Arg(args, 'schemaRevisionId')
    jsonObject(args, 'metadata')
  },
  async check(db, { args }, env) {
    await requireTprRight(env, db, 'TSR:updateMetadata')
    const existing = await db.tsrSchema.findUnique({ where: { schemaIdHex: schemaIdOfCall(args) } })
    if (!existing) throw new Revert('the schema does not exist')
    const revision = await db.tsrSchemaRevision.findUnique({
      where: {
        schemaId_revisionId: {
          schemaId: existing.schemaId,
          revisionId: bytes32Arg(args, 'schemaRevisionId'),
        },
      },
    })
    if (!revision) throw new Revert('the revision does not exist')
  },
  async apply(tx, { args }, env) {
    const existing = await tx.tsrSchema.findUniqueOrThrow({ where: { schemaIdHex: schemaIdOfCall(args) } })
    const metadataJson = canonicalJson(jsonObject(args, 'metadata'))
    const metadataId = `0x${sha256Hex(metadataJson)}`
    const key = {
      schemaId: existing.schemaId,
      revisionId: bytes32Arg(args, 'schemaRevisionId'),
      metadataId,
    }
    await tx.tsrSchemaMetadata.upsert({
      where: { schemaId_revisionId_metadataId: key },
      create: { ...key, metadata: metadataJson, createdAt: env.now },
      update: {},
    })
  },
}

/** The Trusted Schemas Registry v3 JSON-RPC surface (tsr_write, rights from the TPR). */
export const trustedSchemasRegistryRpc: RegistryRpc = {
  registry: 'trusted-schemas-registry',
  builders,
  methods: { insertSchema, updateSchema, updateMetadata },
}
