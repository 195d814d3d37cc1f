import { decodeJwt } from 'jose'
import { z } from 'zod'
import { attributeHashOf, hexToUtf8, proxyIdOf } from '../../core/index.ts'
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
const str = (args: Args, name: string) => String(args[name])
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
const proxyDataParam = z.string().min(2).max(20_000)
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
const identity = (p: Args) => p
const builders: Record<string, BuildMethod> = {
  setAttributeMetadata: { params: metadataParams, toArgs: identity },
  setAttributeData: { params: dataParams, toArgs: identity },
  addIssuerProxy: { params: addProxyParams, toArgs: hexProxy },
  updateIssuerProxy: { params: updateProxyParams, toArgs: hexProxy },
}

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
  async check(db, { args }, env) {
    const did = str(args, 'did')
    const issuerType = Number(args.issuerType)
    const taoDid = str(args, 'taoDid')
    if (![1, 2, 3, 4].includes(issuerType)) throw new Revert('"issuerType" must be 1, 2, 3 or 4')
    const existing = await attributeOf(db, did, str(args, 'attributeId'))
    if (env.isAdmin) return
    if (taoDid !== env.sender) throw new Revert('"taoDid" must be the accreditor sending the transaction')
    if (issuerType === 1) throw new Revert('only the Support Office (TPR admin) registers Root TAOs')
    const tao = await attributeOf(db, taoDid, str(args, 'taoAttributeId'))
    if (!tao || tao.body === '') throw new Revert('the accreditor has no such accreditation')
    if (tao.issuerType === 4) throw new Revert('the accreditor has been revoked')
    if (tao.issuerType !== 1 && tao.issuerType !== 2) throw new Revert('only a Root TAO or TAO accredits')
    if (existing && existing.tao !== taoDid)
      throw new Revert('the attribute is managed by another accreditor')
    if (existing?.issuerType === 4 && issuerType !== 4)
      throw new Revert('a revoked accreditation cannot be re-activated')
  },
  async apply(tx, { args }, env) {
    const did = str(args, 'did')
    const attributeId = bareId(str(args, 'attributeId'))
    const taoDid = str(args, 'taoDid')
    const issuerType = Number(args.issuerType)
    const tao = await attributeOf(tx, taoDid, str(args, 'taoAttributeId'))
    const rootTao = issuerType === 1 ? did : tao?.issuerType === 1 ? taoDid : (tao?.rootTao ?? taoDid)
    await tx.tirIssuer.upsert({ where: { did }, create: { did, createdAt: env.now }, update: {} })
    const existing = await attributeOf(tx, did, attributeId)
    const row = {
      did,
      attributeId,
      hash: existing?.hash ?? '',
      body: existing?.body ?? '',
      issuerType,
      tao: taoDid,
      rootTao,
      taoAttributeId: bareId(str(args, 'taoAttributeId')),
      updatedAt: env.now,
    }
    await tx.tirAttribute.upsert({
      where: { did_attributeId: { did, attributeId } },
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
  async check(db, { args }, env) {
    const did = str(args, 'did')
    if (did !== env.sender && !(env.scope === 'tir_write' && env.isAdmin))
      throw new Revert('an issuer writes only its own attribute')
    const attribute = await attributeOf(db, did, str(args, 'attributeId'))
    if (!attribute) throw new Revert('the attribute has not been pre-registered by an accreditor')
    if (attribute.issuerType === 4) throw new Revert('the accreditation has been revoked')
    let payload: ReturnType<typeof decodeJwt> & {
      vc?: { type?: unknown; credentialSubject?: { id?: unknown; reservedAttributeId?: unknown } }
    }
    try {
      payload = decodeJwt(hexToUtf8(str(args, 'attributeData')))
    } catch {
      throw new Revert('"attributeData" must be the hex of a VC JWT')
    }
    const subject = payload.vc?.credentialSubject
    if (subject?.id !== did) throw new Revert('the accreditation is not about the issuer')
    const reserved = subject?.reservedAttributeId
    if (typeof reserved === 'string' && bareId(reserved) !== bareId(str(args, 'attributeId'))) {
      throw new Revert('"reservedAttributeId" of the accreditation differs from "attributeId"')
    }
    const types = Array.isArray(payload.vc?.type) ? (payload.vc?.type as unknown[]) : []
    const expected = EXPECTED_TYPE[attribute.issuerType] ?? []
    if (!expected.some((t) => types.includes(t)))
      throw new Revert(`the attribute body must be a ${expected.join(' or ')}`)
    if (payload.iss !== attribute.tao)
      throw new Revert('the accreditation must be issued by the accreditor that pre-registered it')
    await requireSignedByIssuer(db, hexToUtf8(str(args, 'attributeData')), attribute.tao, env.now)
  },
  async apply(tx, { args }, env) {
    const did = str(args, 'did')
    const attributeId = bareId(str(args, 'attributeId'))
    const body = hexToUtf8(str(args, 'attributeData'))
    const attribute = await tx.tirAttribute.update({
      where: { did_attributeId: { did, attributeId } },
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
  async check(db, { args }, env) {
    const did = str(args, 'did')
    await checkProxyWriter(db, did, env)
    const proxyId = proxyIdOf(did, parseProxyOrRevert(str(args, 'proxyData')))
    if (await db.tirProxy.findUnique({ where: { did_proxyId: { did, proxyId } } }))
      throw new Revert('the proxy already exists')
  },
  async apply(tx, { args }, env) {
    const did = str(args, 'did')
    const proxy = parseProxyOrRevert(str(args, 'proxyData'))
    await tx.tirProxy.create({
      data: {
        did,
        proxyId: proxyIdOf(did, proxy),
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
  async check(db, { args }, env) {
    const did = str(args, 'did')
    await checkProxyWriter(db, did, env)
    parseProxyOrRevert(str(args, 'proxyData'))
    if (
      !(await db.tirProxy.findUnique({
        where: { did_proxyId: { did, proxyId: str(args, 'proxyId').toLowerCase() } },
      }))
    ) {
      throw new Revert('the proxy does not exist')
    }
  },
  async apply(tx, { args }, env) {
    const proxy = parseProxyOrRevert(str(args, 'proxyData'))
    await tx.tirProxy.update({
      where: { did_proxyId: { did: str(args, 'did'), proxyId: str(args, 'proxyId').toLowerCase() } },
      data: {
        prefix: proxy.prefix,
        headers: JSON.stringify(proxy.headers),
        testSuffix: proxy.testSuffix,
        updatedAt: env.now,
      },
    })
  },
}

function parseProxyOrRevert(value: string) {
  try {
    return parseProxyData(value)
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
