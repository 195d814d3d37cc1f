import { decodeJwt } from 'jose'
import { z } from 'zod'
import { attributeHashOf, hexToUtf8, proxyIdOf } from '../../core/index.ts'
import { paramsOfArgs } from '../chain/build-method.ts'
import { bytes32Arg, bytesArg, didArg, uintArg } from '../chain/call-args.ts'
import type { ExecutionEnv, RegistryMethod } from '../chain/execution.ts'
import type { BuildMethod, RegistryRpc } from '../chain/registry-rpc.ts'
import { Revert } from '../errors.ts'
import { addressParam, bytes32Param, didEbsiParam, hexBytesParam } from '../http/params.ts'
import type { LedgerDb, LedgerTx } from '../types.ts'
import { verifyEcJws } from '../authorisation-v4/did-jwt-verify.ts'
import { loadDidState } from '../did-registry-v5/state.ts'
import { parseProxyData, testIssuerProxy } from './proxy-test.ts'

type Db = LedgerTx | LedgerDb
type Args = Record<string, unknown>
/** attribute ids are stored as 64 hex digits without 0x */
export const bareId = (id: string) => id.toLowerCase().replace(/^0x/, '')

const metadataParams = z.object({
  from: addressParam,
  did: didEbsiParam,
  attributeId: bytes32Param,
  issuerType: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
  taoDid: didEbsiParam,
  taoAttributeId: bytes32Param,
})
const dataParams = z.object({
  from: addressParam,
  did: didEbsiParam,
  attributeId: bytes32Param,
  attributeData: hexBytesParam,
})
/** Characters of a proxy's JSON text (or of its hex, as a build param). */
const MAX_PROXY_DATA_LENGTH = 20_000
const proxyDataParam = z.string().min(2).max(MAX_PROXY_DATA_LENGTH)
const addProxyParams = z.object({ from: addressParam, did: didEbsiParam, proxyData: proxyDataParam })
const updateProxyParams = z.object({
  from: addressParam,
  did: didEbsiParam,
  proxyId: bytes32Param,
  proxyData: proxyDataParam,
})

/** proxyData travels as hex in the tx even when the client sent the JSON text. */
const hexProxy = (p: Args) => ({
  ...p,
  proxyData: /^0x/.test(String(p.proxyData))
    ? p.proxyData
    : `0x${Buffer.from(String(p.proxyData)).toString('hex')}`,
})
/** A sent call's proxyData back as a build param: its JSON text (the hex when the text reads as hex). */
const textProxy = (args: Args) => {
  const text = hexToUtf8(String(args.proxyData))
  return { ...paramsOfArgs(args), proxyData: /^0x/.test(text) ? args.proxyData : text }
}
const identity = (p: Args) => p
const builders: Record<string, BuildMethod> = {
  setAttributeMetadata: { params: metadataParams, toArgs: identity },
  setAttributeData: { params: dataParams, toArgs: identity },
  addIssuerProxy: { params: addProxyParams, toArgs: hexProxy, fromArgs: textProxy },
  updateIssuerProxy: { params: updateProxyParams, toArgs: hexProxy, fromArgs: textProxy },
}

// Every argument is read through the typed accessors, which revert a value out of its range,
// size or format; `validate` reads them all before a call is accepted or executed.
const did = (args: Args) => didArg(args, 'did')
const attributeIdOf = (args: Args, name = 'attributeId') => bytes32Arg(args, name)
const issuerTypeOf = (args: Args) => {
  try {
    return uintArg(args, 'issuerType', { min: 1, max: 4 })
  } catch {
    throw new Revert('"issuerType" must be 1, 2, 3 or 4')
  }
}
/** The accreditation JWT a setAttributeData call carries (its text). */
const attributeDataOf = (args: Args) => hexToUtf8(bytesArg(args, 'attributeData'))

async function attributeOf(db: Db, did: string, attributeId: string) {
  return db.tirAttribute.findUnique({ where: { did_attributeId: { did, attributeId: bareId(attributeId) } } })
}

async function addRevision(
  tx: LedgerTx,
  row: {
    did: string
    attributeId: string
    hash: string
    body: string
    issuerType: number
    tao: string
    rootTao: string
  },
  env: ExecutionEnv,
) {
  const { did, attributeId, hash, body, issuerType, tao, rootTao } = row
  await tx.tirAttributeRevision.create({
    data: {
      did,
      attributeId,
      hash,
      body,
      issuerType,
      tao,
      rootTao,
      blockNumber: env.blockNumber,
      txHash: env.txHash,
      createdAt: env.now,
    },
  })
}

/**
 * setAttributeMetadata: only a RootTAO/TAO (through its own, accredited, non-revoked attribute)
 * pre-registers or revokes an accredited entity; only the TPR admin (Support Office) registers
 * Root TAOs. Revocation (4) is by the accrediting TAO or the admin.
 */
const setAttributeMetadata: RegistryMethod = {
  scopes: ['tir_write'],
  validate(args) {
    did(args)
    attributeIdOf(args)
    issuerTypeOf(args)
    didArg(args, 'taoDid')
    attributeIdOf(args, 'taoAttributeId')
  },
  async check(db, { args }, env) {
    const issuerType = issuerTypeOf(args)
    const taoDid = didArg(args, 'taoDid')
    if (env.isAdmin) return
    const existing = await attributeOf(db, did(args), attributeIdOf(args))
    if (taoDid !== env.sender) throw new Revert('"taoDid" must be the accreditor sending the transaction')
    if (issuerType === 1) throw new Revert('only the Support Office (TPR admin) registers Root TAOs')
    const tao = await attributeOf(db, taoDid, attributeIdOf(args, 'taoAttributeId'))
    if (!tao || tao.body === '') throw new Revert('the accreditor has no such accreditation')
    if (tao.issuerType === 4) throw new Revert('the accreditor has been revoked')
    if (tao.issuerType !== 1 && tao.issuerType !== 2) throw new Revert('only a Root TAO or TAO accredits')
    if (existing && existing.tao !== taoDid)
      throw new Revert('the attribute is managed by another accreditor')
    if (existing?.issuerType === 4 && issuerType !== 4)
      throw new Revert('a revoked accreditation cannot be re-activated')
  },
  async apply(tx, { args }, env) {
    const subject = did(args)
    const attributeId = bareId(attributeIdOf(args))
    const taoDid = didArg(args, 'taoDid')
    const issuerType = issuerTypeOf(args)
    const tao = await attributeOf(tx, taoDid, attributeIdOf(args, 'taoAttributeId'))
    const rootTao = issuerType === 1 ? subject : tao?.issuerType === 1 ? taoDid : (tao?.rootTao ?? taoDid)
    await tx.tirIssuer.upsert({
      where: { did: subject },
      create: { did: subject, createdAt: env.now },
      update: {},
    })
    const existing = await attributeOf(tx, subject, attributeId)
    const row = {
      did: subject,
      attributeId,
      hash: existing?.hash ?? '',
      body: existing?.body ?? '',
      issuerType,
      tao: taoDid,
      rootTao,
      taoAttributeId: bareId(attributeIdOf(args, 'taoAttributeId')),
      updatedAt: env.now,
    }
    await tx.tirAttribute.upsert({
      where: { did_attributeId: { did: subject, attributeId } },
      create: row,
      update: row,
    })
    await addRevision(tx, row, env)
  },
}

const EXPECTED_TYPE: Record<number, string[]> = {
  1: [
    'VerifiableAuthorisationForTrustChain',
    'VerifiableAccreditationToAttest',
    'VerifiableAccreditationToAccredit',
  ],
  2: ['VerifiableAccreditationToAccredit'],
  3: ['VerifiableAccreditationToAttest'],
}

/** setAttributeData: a TI/TAO writes only its own, pre-registered, non-revoked attribute. */
const setAttributeData: RegistryMethod = {
  scopes: ['tir_invite', 'tir_write'],
  validate(args) {
    did(args)
    attributeIdOf(args)
    attributeDataOf(args)
  },
  async check(db, { args }, env) {
    const subject = did(args)
    if (subject !== env.sender && !(env.scope === 'tir_write' && env.isAdmin))
      throw new Revert('an issuer writes only its own attribute')
    const attribute = await attributeOf(db, subject, attributeIdOf(args))
    if (!attribute) throw new Revert('the attribute has not been pre-registered by an accreditor')
    if (attribute.issuerType === 4) throw new Revert('the accreditation has been revoked')
    let payload: ReturnType<typeof decodeJwt> & {
      vc?: { type?: unknown; credentialSubject?: { id?: unknown; reservedAttributeId?: unknown } }
    }
    try {
      payload = decodeJwt(attributeDataOf(args))
    } catch {
      throw new Revert('"attributeData" must be the hex of a VC JWT')
    }
    const credentialSubject = payload.vc?.credentialSubject
    if (credentialSubject?.id !== subject) throw new Revert('the accreditation is not about the issuer')
    const reserved = credentialSubject?.reservedAttributeId
    if (typeof reserved === 'string' && bareId(reserved) !== bareId(attributeIdOf(args))) {
      throw new Revert('"reservedAttributeId" of the accreditation differs from "attributeId"')
    }
    const types = Array.isArray(payload.vc?.type) ? (payload.vc?.type as unknown[]) : []
    const expected = EXPECTED_TYPE[attribute.issuerType] ?? []
    if (!expected.some((t) => types.includes(t)))
      throw new Revert(`the attribute body must be a ${expected.join(' or ')}`)
    if (payload.iss !== attribute.tao)
      throw new Revert('the accreditation must be issued by the accreditor that pre-registered it')
    await requireSignedByIssuer(db, attributeDataOf(args), attribute.tao, env.now)
  },
  async apply(tx, { args }, env) {
    const attributeId = bareId(attributeIdOf(args))
    const body = attributeDataOf(args)
    const attribute = await tx.tirAttribute.update({
      where: { did_attributeId: { did: did(args), attributeId } },
      data: { body, hash: attributeHashOf(body), updatedAt: env.now },
    })
    await addRevision(tx, attribute, env)
  },
}

/** The accreditation JWT must be signed with a current assertionMethod key of its issuer. */
async function requireSignedByIssuer(db: Db, jwt: string, issuer: string, now: number): Promise<void> {
  let kid: unknown
  try {
    kid = (
      JSON.parse(Buffer.from(jwt.split('.')[0] ?? '', 'base64url').toString('utf8')) as { kid?: unknown }
    ).kid
  } catch {
    throw new Revert('the accreditation JWT header is invalid')
  }
  if (typeof kid !== 'string' || !kid.startsWith(`${issuer}#`))
    throw new Revert('the accreditation "kid" is not a key of its issuer')
  const state = await loadDidState(db, issuer)
  const fragment = kid.slice(issuer.length + 1)
  const valid = state?.rels.some(
    (rel) =>
      rel.name === 'assertionMethod' &&
      rel.vMethodId === fragment &&
      Number(rel.notBefore) <= now &&
      now < Number(rel.notAfter),
  )
  const jwk = valid ? state?.vms.find((vm) => vm.vMethodId === fragment)?.publicKeyJwk : undefined
  if (!jwk || !verifyEcJws(jwt, jwk)) throw new Revert('the accreditation is not signed by its issuer')
}

async function checkProxyWriter(db: Db, did: string, env: ExecutionEnv) {
  if (did !== env.sender && !env.isAdmin)
    throw new Revert('a proxy is added by the issuer itself or a TPR admin')
  const accredited = await db.tirAttribute.count({ where: { did, NOT: [{ body: '' }, { issuerType: 4 }] } })
  if (accredited === 0 && !env.isAdmin) throw new Revert('the issuer has no active accreditation')
}

const addIssuerProxy: RegistryMethod = {
  scopes: ['tir_write'],
  validate(args) {
    did(args)
    proxyOf(args)
  },
  async check(db, { args }, env) {
    const subject = did(args)
    await checkProxyWriter(db, subject, env)
    const proxyId = proxyIdOf(subject, proxyOf(args))
    if (await db.tirProxy.findUnique({ where: { did_proxyId: { did: subject, proxyId } } }))
      throw new Revert('the proxy already exists')
  },
  async apply(tx, { args }, env) {
    const subject = did(args)
    const proxy = proxyOf(args)
    await tx.tirProxy.create({
      data: {
        did: subject,
        proxyId: proxyIdOf(subject, proxy),
        prefix: proxy.prefix,
        headers: JSON.stringify(proxy.headers),
        testSuffix: proxy.testSuffix,
        updatedAt: env.now,
      },
    })
  },
}

const updateIssuerProxy: RegistryMethod = {
  scopes: ['tir_write'],
  validate(args) {
    did(args)
    bytes32Arg(args, 'proxyId')
    proxyOf(args)
  },
  async check(db, { args }, env) {
    const subject = did(args)
    await checkProxyWriter(db, subject, env)
    if (
      !(await db.tirProxy.findUnique({
        where: { did_proxyId: { did: subject, proxyId: bytes32Arg(args, 'proxyId') } },
      }))
    ) {
      throw new Revert('the proxy does not exist')
    }
  },
  async apply(tx, { args }, env) {
    const proxy = proxyOf(args)
    await tx.tirProxy.update({
      where: { did_proxyId: { did: did(args), proxyId: bytes32Arg(args, 'proxyId') } },
      data: {
        prefix: proxy.prefix,
        headers: JSON.stringify(proxy.headers),
        testSuffix: proxy.testSuffix,
        updatedAt: env.now,
      },
    })
  },
}

/** The proxy a call adds or updates, under the proxy rules. @throws Revert */
function proxyOf(args: Args) {
  const text = hexToUtf8(bytesArg(args, 'proxyData'))
  if (text.length > MAX_PROXY_DATA_LENGTH)
    throw new Revert(`"proxyData" is longer than ${MAX_PROXY_DATA_LENGTH} characters`)
  try {
    return parseProxyData(text)
  } catch (error) {
    throw new Revert((error as Error).message)
  }
}

/** The Trusted Issuers Registry v5 JSON-RPC surface; proxies are tested before a send is accepted. */
export const trustedIssuersRegistryRpc: RegistryRpc = {
  registry: 'trusted-issuers-registry',
  builders,
  methods: { setAttributeMetadata, setAttributeData, addIssuerProxy, updateIssuerProxy },
  async beforeSend(ctx, call) {
    if (call.method !== 'addIssuerProxy' && call.method !== 'updateIssuerProxy') return
    await testIssuerProxy(ctx, String(call.args.did), parseProxyData(String(call.args.proxyData)))
  },
}
