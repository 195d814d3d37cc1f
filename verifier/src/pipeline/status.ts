import { decodeStatusList, statusBit } from '@flora/ebsi-connector/core'
import { TrustSourceUnavailable } from '../errors.ts'
import type { DidDocument } from '../trust/readers.ts'
import { methodJwk } from './issuer-signature.ts'
import { decodeJws, verifyJwsSignature } from './jws.ts'
import { type ParsedCredential, type PipelineContext, type StepResult, stepResult } from './types.ts'

interface StatusEntry {
  type?: unknown
  statusPurpose?: unknown
  statusListIndex?: unknown
  statusListCredential?: unknown
}

interface VerifiedList {
  bits: Uint8Array
  purpose: string
  validUntil: number | undefined
}

const verifiedLists = new Map<string, { document: DidDocument; list: VerifiedList }>()

class StatusListRejected extends Error {}

/** Verifies a StatusList2021Credential JWT as the issuer's and decodes its bitstring. */
function verifyStatusList(jwt: string, issuer: string, document: DidDocument): VerifiedList {
  const cached = verifiedLists.get(jwt)
  if (cached && cached.document === document) return cached.list
  let jws: ReturnType<typeof decodeJws>
  try {
    jws = decodeJws(jwt)
  } catch {
    throw new StatusListRejected('the status list is not a JWT')
  }
  const kid = String(jws.header.kid ?? '')
  if (jws.payload.iss !== issuer || kid.split('#')[0] !== issuer)
    throw new StatusListRejected('the status list is not signed by the credential issuer')
  const jwk = methodJwk(document, kid, 'assertionMethod')
  if (!jwk || !verifyJwsSignature(jws, jwk))
    throw new StatusListRejected('the status list signature does not verify')
  const vc = jws.payload.vc as Record<string, unknown> | undefined
  const types = Array.isArray(vc?.type) ? vc.type : []
  const subject = vc?.credentialSubject as Record<string, unknown> | undefined
  const vcIssuer =
    typeof vc?.issuer === 'string' ? vc.issuer : (vc?.issuer as { id?: string } | undefined)?.id
  if (vcIssuer !== issuer)
    throw new StatusListRejected('the status list is not issued by the credential issuer')
  if (!types.includes('StatusList2021Credential') || subject?.type !== 'StatusList2021')
    throw new StatusListRejected('not a StatusList2021Credential')
  if (typeof subject.encodedList !== 'string')
    throw new StatusListRejected('the status list has no encodedList')
  let bits: Uint8Array
  try {
    bits = decodeStatusList(subject.encodedList)
  } catch {
    throw new StatusListRejected('the status list bitstring cannot be decoded')
  }
  const exp = typeof jws.payload.exp === 'number' ? jws.payload.exp * 1000 : undefined
  const list = { bits, purpose: String(subject.statusPurpose), validUntil: exp }
  if (verifiedLists.size > 5000) verifiedLists.clear()
  verifiedLists.set(jwt, { document, list })
  return list
}

/**
 * Step 6, status: each StatusList2021Entry's list must be served through the issuer's own TIR proxy
 * on the configured ledger, signed by the issuer, of the entry's purpose; its bit decides. When the
 * list cannot be fetched, or is older than the max-age, the status is not established (fail closed).
 */
export async function checkStatus(credential: ParsedCredential, ctx: PipelineContext): Promise<StepResult> {
  const raw = credential.vc.credentialStatus
  const entries = (Array.isArray(raw) ? raw : raw ? [raw] : []) as StatusEntry[]
  if (entries.length === 0) return stepResult('status', 'passed', 'no-status-entry', { entries: [] })
  const proxyPrefix = `${ctx.ledgerOrigin}/trusted-issuers-registry/v5/issuers/${credential.issuer}/proxies/`
  const shown: Record<string, unknown>[] = []
  const base = { maxAgeSeconds: ctx.statusMaxAgeSeconds }
  let document: DidDocument | undefined
  for (const entry of entries) {
    if (entry?.type !== 'StatusList2021Entry')
      return stepResult('status', 'failed', 'status-type-unsupported', { ...base, type: String(entry?.type) })
    const purpose = entry.statusPurpose
    if (purpose !== 'revocation' && purpose !== 'suspension')
      return stepResult('status', 'failed', 'status-entry-invalid', { ...base, message: 'statusPurpose' })
    if (typeof entry.statusListIndex !== 'string' || !/^(0|[1-9][0-9]{0,9})$/.test(entry.statusListIndex))
      return stepResult('status', 'failed', 'status-entry-invalid', { ...base, message: 'statusListIndex' })
    const index = Number(entry.statusListIndex)
    const url = entry.statusListCredential
    if (
      typeof url !== 'string' ||
      !url.startsWith(proxyPrefix) ||
      url.slice(proxyPrefix.length).split('/').length < 2
    )
      return stepResult('status', 'failed', 'status-list-not-issuer-proxy', { ...base, listUrl: String(url) })
    let fetched: Awaited<ReturnType<typeof ctx.readers.readStatusList>>
    try {
      fetched = await ctx.readers.readStatusList(url)
      document ??= await ctx.readers.resolveDid(credential.issuer)
    } catch (error) {
      if (error instanceof TrustSourceUnavailable)
        return stepResult('status', 'not-established', 'status-unavailable', {
          ...base,
          listUrl: url,
          message: error.message,
        })
      throw error
    }
    if (!fetched)
      return stepResult('status', 'not-established', 'status-unavailable', {
        ...base,
        listUrl: url,
        message: 'not found',
      })
    if (!document) return stepResult('status', 'failed', 'issuer-did-unknown', base)
    let list: VerifiedList
    try {
      list = verifyStatusList(fetched.value, credential.issuer, document)
    } catch (error) {
      if (error instanceof StatusListRejected)
        return stepResult('status', 'failed', 'status-list-invalid', {
          ...base,
          listUrl: url,
          message: error.message,
        })
      throw error
    }
    const ageSeconds = Math.max(0, Math.round((ctx.now.getTime() - fetched.fetchedAt.getTime()) / 1000))
    const info = { purpose, index, listUrl: url, fetchedAt: fetched.fetchedAt.toISOString(), ageSeconds }
    if (list.purpose !== purpose)
      return stepResult('status', 'failed', 'status-list-invalid', {
        ...base,
        ...info,
        message: 'statusPurpose differs',
      })
    if (list.validUntil !== undefined && ctx.now.getTime() > list.validUntil)
      return stepResult('status', 'not-established', 'status-list-expired', { ...base, ...info })
    if (index >= list.bits.length * 8)
      return stepResult('status', 'failed', 'status-entry-invalid', {
        ...base,
        ...info,
        message: 'index out of range',
      })
    const set = statusBit(list.bits, index)
    if (set)
      return stepResult('status', 'failed', purpose === 'revocation' ? 'revoked' : 'suspended', {
        ...base,
        ...info,
      })
    shown.push(info)
  }
  const ageSeconds = Math.max(...shown.map((s) => s.ageSeconds as number))
  return stepResult('status', 'passed', 'ok', { ...base, ageSeconds, entries: shown })
}
