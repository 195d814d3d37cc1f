import { decodeStatusList, isPathUnderPrefix, statusBit } from '@flora/ebsi-connector/core'
import { TrustSourceUnavailable } from '../errors.ts'
import type { DidDocument } from '../trust/readers.ts'
import { methodJwk } from './issuer-signature.ts'
import { decodeJws, verifyJwsSignature } from './jws.ts'
import { isoString, rememberedPer } from './memo.ts'
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

/** A status entry that passed the checks of its own form, or the reason it did not. */
type CheckedEntry =
  | { purpose: 'revocation' | 'suspension'; index: number; url: string }
  | { reason: string; details: Record<string, unknown> }

/**
 * The checks of a credential's status entries that depend on its bytes and the ledger origin alone,
 * in entry order, stopping at the first that fails; by ledger origin, per parsed credential.
 */
const entryChecksOf = rememberedPer((_credential: ParsedCredential) => new Map<string, CheckedEntry[]>())

function statusEntriesOf(credential: ParsedCredential, ledgerOrigin: string): CheckedEntry[] {
  const byOrigin = entryChecksOf(credential)
  const known = byOrigin.get(ledgerOrigin)
  if (known) return known
  const raw = credential.vc.credentialStatus
  const proxyPrefix = `${ledgerOrigin}/trusted-issuers-registry/v5/issuers/${credential.issuer}/proxies/`
  const entries: CheckedEntry[] = []
  for (const entry of (Array.isArray(raw) ? raw : raw ? [raw] : []) as StatusEntry[]) {
    const checked = checkEntry(entry, proxyPrefix)
    entries.push(checked)
    if ('reason' in checked) break
  }
  byOrigin.set(ledgerOrigin, entries)
  return entries
}

function checkEntry(entry: StatusEntry, proxyPrefix: string): CheckedEntry {
  if (entry?.type !== 'StatusList2021Entry')
    return { reason: 'status-type-unsupported', details: { type: String(entry?.type) } }
  const purpose = entry.statusPurpose
  if (purpose !== 'revocation' && purpose !== 'suspension')
    return { reason: 'status-entry-invalid', details: { message: 'statusPurpose' } }
  if (typeof entry.statusListIndex !== 'string' || !/^(0|[1-9][0-9]{0,9})$/.test(entry.statusListIndex))
    return { reason: 'status-entry-invalid', details: { message: 'statusListIndex' } }
  const url = entry.statusListCredential
  // `<proxy id>/<path>` below the issuer's proxies, and still there once parsed: a `..`, `%2e%2e`,
  // backslash or encoded slash would otherwise point the request anywhere on the ledger.
  if (typeof url !== 'string' || !isPathUnderPrefix(url, proxyPrefix, 2))
    return { reason: 'status-list-not-issuer-proxy', details: { listUrl: String(url) } }
  return { purpose, index: Number(entry.statusListIndex), url }
}

/**
 * Step 6, status: each StatusList2021Entry's list must be served through the issuer's own TIR proxy
 * on the configured ledger, signed by the issuer, of the entry's purpose; its bit decides. When the
 * list cannot be fetched, or is older than the max-age, the status is not established (fail closed).
 * A credential with no status entry fails: its issuer could never revoke or suspend it. The
 * milestone schemas on the ledger do not require `credentialStatus` (and registered schemas do not
 * change), so this is the verifier's own rule.
 */
export async function checkStatus(credential: ParsedCredential, ctx: PipelineContext): Promise<StepResult> {
  const entries = statusEntriesOf(credential, ctx.ledgerOrigin)
  if (entries.length === 0)
    return stepResult('status', 'failed', 'status-entry-missing', { maxAgeSeconds: ctx.statusMaxAgeSeconds })
  const shown: Record<string, unknown>[] = []
  const base = { maxAgeSeconds: ctx.statusMaxAgeSeconds }
  let document: DidDocument | undefined
  for (const entry of entries) {
    if ('reason' in entry) return stepResult('status', 'failed', entry.reason, { ...base, ...entry.details })
    const { purpose, index, url } = entry
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
    const info = { purpose, index, listUrl: url, fetchedAt: isoString(fetched.fetchedAt), ageSeconds }
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
