import { randomUUID } from 'node:crypto'
import { getMilestone, isMilestoneType } from '@flora/credentials'
import type { StoredCredential } from '@flora/ebsi-connector/holder'
import { walletConfig } from './config.ts'
import { decodeJwtParts } from './deps.ts'
import {
  type CaseDublin,
  caseDublin,
  type DublinState,
  dublinStateOf,
  entryAbsence,
  foreignIssuedAt,
  sortTimeline,
  stageOf,
  type TimelineEntry,
} from '../timeline.ts'
import { todayUtc } from '../schema-form.ts'
import { holderAgent, milestoneTypeOf, toStored } from './holder.ts'
import { call, ServiceError } from './services.ts'
import { authorityProfile, type WalletSessionData } from './session.ts'

/** The issuer's view of a milestone (GET /cases/{id}/milestones). */
export interface IssuerMilestone {
  id: string
  caseId: string
  authorityId: string
  type: string
  claims: Record<string, unknown>
  state: 'offered' | 'issued' | 'revoked'
  suspended: boolean
  credentialId: string | null
  credentialHash: string | null
  createdAt: string
  issuedAt: string | null
  revokedAt: string | null
}

export interface IssuerCase {
  id: string
  holderDid: string
  openedBy: string
  fileNumber?: string
  grants: { authorityId: string; grantedBy: string }[]
}

export interface CaseView {
  id: string
  holderDid: string
  openedBy: string
  openedByName: string
  fileNumber: string | null
  grants: { authorityId: string; name: string }[]
  entries: TimelineEntry[]
  stage: string
  dublinState: DublinState
  /** The Dublin assessment from the case's milestones, as of today (UTC day). */
  dublin: CaseDublin
  authorities: { id: string; name: string }[]
}

const stageOfType = (type: string) => (isMilestoneType(type) ? getMilestone(type).stage : 'UNKNOWN')

const authorityNames = new Map<string, Promise<string>>()
/** An authority's display name from its issuer metadata (cached per process). */
export function authorityName(authorityId: string): Promise<string> {
  let name = authorityNames.get(authorityId)
  if (!name) {
    name = authorityProfile(authorityId)
      .then((p) => p.name)
      .catch(() => {
        authorityNames.delete(authorityId)
        return authorityId
      })
    authorityNames.set(authorityId, name)
  }
  return name
}

/**
 * The name the deployment gives a party (FLORA_WALLET_PARTY_NAMES), bound to its DID; never what a
 * party says about itself in its metadata or requests.
 */
export function partyName(did: string): string | undefined {
  return walletConfig().partyNames[did]
}

function requireAuthority(session: WalletSessionData) {
  if (session.party !== 'authority') throw new ServiceError('issuer', 'forbidden', 403, 'authority staff only')
}

/** Opens a case: a new holder did:key in the wallet, the case at the issuer, the mapping here. */
export async function createCase(session: WalletSessionData, fileNumber?: string): Promise<string> {
  requireAuthority(session)
  const { agent, db } = await holderAgent()
  const keyAlias = `case-${randomUUID()}`
  const holder = await agent.createIdentity(keyAlias)
  const opened = await call<{ id: string; holderDid: string; openedBy: string }>('issuer', '/cases', {
    token: session.serviceToken,
    body: { holderDid: holder.did, ...(fileNumber ? { fileNumber } : {}) },
  })
  await db.walletCase.create({ data: { id: opened.id, holderDid: holder.did, keyAlias, openedBy: opened.openedBy } })
  return opened.id
}

/** The case as the signed-in authority may see it (ServiceError not-found without a grant). */
export async function caseView(session: WalletSessionData, caseId: string): Promise<CaseView> {
  requireAuthority(session)
  const { db } = await holderAgent()
  const walletCase = await db.walletCase.findUnique({ where: { id: caseId } })
  if (!walletCase) throw new ServiceError('issuer', 'not-found', 404, 'case not found')
  const path = `/cases/${encodeURIComponent(caseId)}`
  const [issuerCase, milestones, rows] = await Promise.all([
    call<IssuerCase>('issuer', path, { token: session.serviceToken }),
    call<{ items: IssuerMilestone[] }>('issuer', `${path}/milestones`, { token: session.serviceToken }),
    db.walletCredential.findMany({ where: { caseId } }),
  ])
  const byCredentialId = new Map(rows.map((row) => [row.id, row]))
  const entries: TimelineEntry[] = []
  for (const milestone of milestones.items) {
    // The held credential is this milestone's only when it is the very JWT the issuer issued (same
    // hash): an id alone could be claimed by any issuer.
    const candidate = milestone.credentialId ? byCredentialId.get(milestone.credentialId) : undefined
    const row = candidate && candidate.credentialHash === milestone.credentialHash ? candidate : undefined
    if (row) byCredentialId.delete(row.id)
    const proof = row?.inclusionProof ? (JSON.parse(row.inclusionProof) as { ledger?: { blockNumber?: number }; anchoredAt?: string }) : undefined
    entries.push({
      key: milestone.id,
      milestoneId: milestone.id,
      credentialId: milestone.credentialId,
      type: milestone.type,
      stage: stageOfType(milestone.type),
      milestoneDate: typeof milestone.claims.milestoneDate === 'string' ? milestone.claims.milestoneDate : null,
      absence: entryAbsence(milestone.type, typeof milestone.claims.milestoneDate === 'string' ? milestone.claims.milestoneDate : null),
      // The authority as the deployment's issuer names it (its tenant), bound by the hash above.
      issuerName: await authorityName(milestone.authorityId),
      authorityId: milestone.authorityId,
      issuedAt: milestone.issuedAt,
      state:
        milestone.state === 'revoked'
          ? 'revoked'
          : milestone.state === 'offered'
            ? 'offered'
            : milestone.suspended
              ? 'suspended'
              : 'valid',
      inWallet: Boolean(row),
      anchor: proof
        ? { state: 'anchored', blockNumber: proof.ledger?.blockNumber ?? null, anchoredAt: proof.anchoredAt ?? null }
        : { state: row ? 'pending' : 'none', blockNumber: null, anchoredAt: null },
      claims: milestone.claims,
    })
  }
  // Credentials from issuers this deployment does not host: shown, their status unknown here.
  for (const row of byCredentialId.values()) {
    const { payload } = decodeJwtParts(row.jwt)
    const vc = (payload.vc ?? {}) as { credentialSubject?: Record<string, unknown>; issuanceDate?: unknown }
    const subject = (vc.credentialSubject ?? {}) as Record<string, unknown>
    // The earliest of the credential's own issuance dates and its receipt (an absence's as-of day is
    // checked against it); a hostile date is ignored, never thrown at the page.
    const issued = foreignIssuedAt({ iat: payload.iat, nbf: payload.nbf, issuanceDate: vc.issuanceDate }, row.receivedAt)
    const proof = row.inclusionProof ? (JSON.parse(row.inclusionProof) as { ledger?: { blockNumber?: number }; anchoredAt?: string }) : undefined
    entries.push({
      key: row.id,
      milestoneId: null,
      credentialId: row.id,
      type: row.milestoneType,
      stage: stageOfType(row.milestoneType),
      milestoneDate: row.milestoneDate,
      absence: entryAbsence(row.milestoneType, row.milestoneDate),
      issuerName: partyName(row.issuer) ?? row.issuer,
      authorityId: null,
      issuedAt: issued,
      state: 'unknown',
      inWallet: true,
      anchor: proof
        ? { state: 'anchored', blockNumber: proof.ledger?.blockNumber ?? null, anchoredAt: proof.anchoredAt ?? null }
        : { state: 'pending', blockNumber: null, anchoredAt: null },
      claims: subject,
    })
  }
  const sorted = sortTimeline(entries)
  const authorityIds = [...new Set([issuerCase.openedBy, ...issuerCase.grants.map((g) => g.authorityId), ...milestones.items.map((m) => m.authorityId)])]
  const names = new Map(await Promise.all(authorityIds.map(async (id) => [id, await authorityName(id)] as const)))
  return {
    id: caseId,
    holderDid: walletCase.holderDid,
    openedBy: issuerCase.openedBy,
    openedByName: names.get(issuerCase.openedBy) ?? issuerCase.openedBy,
    fileNumber: issuerCase.fileNumber ?? null,
    grants: issuerCase.grants.map((g) => ({ authorityId: g.authorityId, name: names.get(g.authorityId) ?? g.authorityId })),
    entries: sorted,
    stage: stageOf(sorted),
    dublinState: dublinStateOf(sorted),
    // Today is the UTC day, as for the issuer's as-of check of absences.
    dublin: caseDublin(sorted, todayUtc()),
    authorities: authorityIds.map((id) => ({ id, name: names.get(id) ?? id })),
  }
}

/** The ids of the cases the signed-in authority holds a grant for, as the issuer lists them. */
async function grantedCaseIds(session: WalletSessionData): Promise<Set<string>> {
  const ids = new Set<string>()
  let cursor: string | undefined
  do {
    const page = await call<{ cases: { id: string }[]; next?: string }>(
      'issuer',
      `/cases?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      { token: session.serviceToken },
    )
    for (const granted of page.cases) ids.add(granted.id)
    cursor = page.next
  } while (cursor)
  return ids
}

/** Every case the signed-in authority has a grant for (the issuer decides). */
export async function listCases(session: WalletSessionData): Promise<CaseView[]> {
  requireAuthority(session)
  const { db } = await holderAgent()
  const granted = await grantedCaseIds(session)
  const all = await db.walletCase.findMany({
    where: { id: { in: [...granted] } },
    orderBy: { createdAt: 'desc' },
    take: 500,
  })
  const views: CaseView[] = []
  // A few at a time: each case view is two grant-checked calls to the issuer.
  for (let i = 0; i < all.length; i += 8) {
    const batch = await Promise.all(
      all.slice(i, i + 8).map((c) =>
        caseView(session, c.id).catch((error) => {
          if (error instanceof ServiceError && error.kind === 'not-found') return undefined
          throw error
        }),
      ),
    )
    for (const view of batch) if (view) views.push(view)
  }
  return views
}

export interface OfferResult {
  milestoneId: string
  type: string
  txCode: string
  offerUri: string
  offerExpiresAt: string
}

/** Records a milestone at the issuer: validated there against schema and accreditation → an offer. */
export async function recordMilestone(
  session: WalletSessionData,
  caseId: string,
  args: { type: string; claims: Record<string, unknown>; eurodacReference?: string; idempotencyKey: string },
): Promise<OfferResult> {
  requireAuthority(session)
  const body = await call<{
    milestoneId: string
    type: string
    txCode: string
    offerExpiresAt: string
    offers: { v1: { uri: string }; 'ebsi-v3': { uri: string } }
  }>('issuer', `/cases/${encodeURIComponent(caseId)}/milestones`, {
    token: session.serviceToken,
    headers: { 'idempotency-key': args.idempotencyKey },
    body: {
      type: args.type,
      claims: args.claims,
      ...(args.eurodacReference ? { eurodacReference: args.eurodacReference } : {}),
    },
  })
  return {
    milestoneId: body.milestoneId,
    type: body.type,
    txCode: body.txCode,
    offerUri: body.offers.v1.uri,
    offerExpiresAt: body.offerExpiresAt,
  }
}

/** Redeems an offer into the case wallet (OpenID4VCI with the case's did:key) and refreshes proofs. */
export async function receiveOffer(caseId: string, offer: string, txCode: string | undefined): Promise<StoredCredential[]> {
  const { agent, db } = await holderAgent()
  const walletCase = await db.walletCase.findUnique({ where: { id: caseId } })
  if (!walletCase) throw new ServiceError('issuer', 'not-found', 404, 'case not found')
  const holder = await agent.loadIdentity(walletCase.keyAlias)
  return agent.redeemOffer(holder, offer, txCode)
}

/** Polls the issuer for inclusion proofs still missing in a case wallet. */
export async function refreshProofs(caseId: string): Promise<number> {
  const { agent, db } = await holderAgent()
  const walletCase = await db.walletCase.findUnique({ where: { id: caseId } })
  if (!walletCase) return 0
  return agent.refreshInclusionProofs(walletCase.holderDid).catch(() => 0)
}

/** A credential of a case wallet. */
export async function credentialOf(caseId: string, credentialId: string) {
  const { db } = await holderAgent()
  const row = await db.walletCredential.findUnique({ where: { caseId_id: { caseId, id: credentialId } } })
  return row ? { row, stored: toStored(row), milestoneType: milestoneTypeOf(JSON.parse(row.types) as string[]) } : undefined
}

export async function changeStatus(session: WalletSessionData, milestoneId: string, action: 'revoke' | 'suspend' | 'unsuspend') {
  requireAuthority(session)
  await call('issuer', `/milestones/${encodeURIComponent(milestoneId)}/${action}`, { token: session.serviceToken, method: 'POST' })
}

export async function grantCase(session: WalletSessionData, caseId: string, authorityId: string) {
  requireAuthority(session)
  await call('issuer', `/cases/${encodeURIComponent(caseId)}/grants`, { token: session.serviceToken, body: { authorityId } })
}
