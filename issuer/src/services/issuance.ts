import { createHash, randomBytes } from 'node:crypto'
import { checkAbsenceAsOf, credentialHashFromDigest, validateMilestoneCredential } from '@flora/credentials'
import { buildMilestoneCredential, issuanceDayOf } from '../domain/credential.ts'
import { credentialLeafData } from '@flora/ebsi-connector/core'
import { CredentialAlreadyIssued, OAuthError } from '../errors.ts'
import { signJwt } from '../keys/keyring.ts'
import { accreditationCovers, currentAccreditation } from './accreditation.ts'
import { getOnboardedAuthority } from './authorities.ts'
import { type IssuerContext, inTransaction, isUniqueViolation, WriteConflict } from './context.ts'
import { type CachedOffer, caseHeads, offersById } from './hot-cache.ts'
import { GroupCommit } from './group-commit.ts'
import { forgetStatusListPositions, pickStatusIndex, statusListPath } from './status-lists.ts'

export interface SignedMilestone {
  milestoneId: string
  credentialId: string
  jwt: string
  credentialHash: string
  delivery: string
}

/** The immutable facts of an offer (cache, else one database read). */
export async function offerFacts(ctx: IssuerContext, milestoneId: string): Promise<CachedOffer | undefined> {
  const cached = offersById.get(milestoneId)
  if (cached) return cached
  const row = await ctx.store.offer(milestoneId)
  if (!row) return undefined
  const offer: CachedOffer = {
    id: row.id,
    caseId: row.caseId,
    authorityId: row.authorityId,
    type: row.type,
    claimsJson: row.claimsJson,
    delivery: row.delivery,
    holderDid: row.holderDid,
    txCodeHash: row.txCodeHash,
    offerExpiresAt: row.offerExpiresAt,
    issued: row.state !== 'offered',
  }
  if (row.state === 'offered') offersById.set(row.id, offer)
  return offer
}

interface IssueJob {
  offer: CachedOffer
  nonce: string
  nonceExpiresAt: Date
}

interface PreparedCredential extends SignedMilestone {
  job: IssueJob
  authorityId: string
  previousHash: string | null
  headVersion: number
  issuedAt: Date
  redeliverableUntil: Date
  revocation: { listId: string; index: number }
  suspension: { listId: string; index: number }
  leafHex: string
}

/** Builds and signs one credential on top of a known chain head (no writes). */
async function prepareCredential(
  ctx: IssuerContext,
  db: Parameters<typeof pickStatusIndex>[0],
  job: IssueJob,
  head: { headHash: string | null; headVersion: number },
): Promise<PreparedCredential> {
  const { offer } = job
  const authority = await getOnboardedAuthority(ctx, offer.authorityId)
  const signer = await ctx.keyring.signer(authority.id, authority.assertionKid)
  const proxyUrl = ctx.ledger.proxyUrl(authority.did, authority.proxyId)
  const { supersedes, ...claims } = JSON.parse(offer.claimsJson) as Record<string, unknown>
  const revocation = await pickStatusIndex(db, authority.id, 'revocation')
  const suspension = await pickStatusIndex(db, authority.id, 'suspension')
  const credentialId = `urn:uuid:${crypto.randomUUID()}`
  const issuedAt = ctx.now()
  // Checked again on the very instant the credential states (a clock set back since redemption began).
  assertAsOfReached(offer.type, claims, issuedAt)
  const { header, payload } = buildMilestoneCredential({
    credentialId,
    issuerDid: authority.did,
    kid: `${authority.did}#${authority.assertionKid}`,
    type: offer.type,
    holderDid: offer.holderDid,
    claims,
    previousMilestoneHash: head.headHash,
    supersedes: typeof supersedes === 'string' ? supersedes : undefined,
    milestoneSchemaUrl: ctx.ledger.milestoneSchemaUrl(offer.type),
    statusSchemaUrl: ctx.ledger.statusEntrySchemaUrl(),
    attributeUrl: authority.attributeUrl,
    status: [
      {
        purpose: 'revocation',
        index: revocation.index,
        listUrl: `${proxyUrl}${statusListPath('revocation', revocation.number)}`,
      },
      {
        purpose: 'suspension',
        index: suspension.index,
        listUrl: `${proxyUrl}${statusListPath('suspension', suspension.number)}`,
      },
    ],
    issuedAt,
    validityMonths: ctx.config.FLORA_ISSUER_CREDENTIAL_VALIDITY_MONTHS,
  })
  const check = validateMilestoneCredential(offer.type, payload.vc)
  if (!check.valid)
    throw new Error(
      `issuer built an invalid ${offer.type}: ${check.issues.map((issue) => issue.message).join('; ')}`,
    )
  const jwt = await signJwt(signer, header, payload)
  return {
    job,
    authorityId: authority.id,
    milestoneId: offer.id,
    credentialId,
    jwt,
    credentialHash: credentialHashOf(jwt),
    delivery: offer.delivery,
    previousHash: head.headHash,
    headVersion: head.headVersion,
    issuedAt,
    redeliverableUntil: new Date(issuedAt.getTime() + ctx.config.FLORA_ISSUER_REDELIVERY_SECONDS * 1000),
    revocation,
    suspension,
    leafHex: credentialLeafData(randomBytes(32), jwt).toString('hex'),
  }
}

/**
 * `computeCredentialHash` of @flora/credentials (`sha-256:` + unpadded base64url SHA-256 of the JWS)
 * with node:crypto: the same value without a Web Crypto job per credential.
 */
export const credentialHashOf = (jwt: string) =>
  credentialHashFromDigest(createHash('sha256').update(jwt).digest())

const issuedData = (p: PreparedCredential) => ({
  state: 'issued',
  credentialJwt: p.jwt,
  credentialHash: p.credentialHash,
  credentialId: p.credentialId,
  previousHash: p.previousHash,
  issuedAt: p.issuedAt,
  codeRedeemedAt: p.issuedAt,
  redeliverableUntil: p.redeliverableUntil,
  revocationListId: p.revocation.listId,
  revocationIndex: p.revocation.index,
  suspensionListId: p.suspension.listId,
  suspensionIndex: p.suspension.index,
})
const statusRows = (p: PreparedCredential) => [
  { listId: p.revocation.listId, statusIndex: p.revocation.index, milestoneId: p.milestoneId },
  { listId: p.suspension.listId, statusIndex: p.suspension.index, milestoneId: p.milestoneId },
]
const auditRow = (p: PreparedCredential) => ({
  authorityId: p.authorityId,
  actorType: 'wallet',
  actorId: 'holder',
  action: 'credential.issue',
  caseId: p.job.offer.caseId,
  subjectId: p.milestoneId,
  outcome: 'ok',
})

function settle(prepared: PreparedCredential): SignedMilestone {
  caseHeads.set(prepared.job.offer.caseId, {
    headHash: prepared.credentialHash,
    headVersion: prepared.headVersion + 1,
  })
  prepared.job.offer.issued = true
  offersById.delete(prepared.milestoneId)
  const { milestoneId, credentialId, jwt, credentialHash, delivery } = prepared
  return { milestoneId, credentialId, jwt, credentialHash, delivery }
}

/**
 * Signs the credential of one redeemed offer in one transaction of writes only: the proof's nonce is
 * consumed (primary key: single use), two status entries are inserted (primary key: an index is
 * never reused), the case's chain head moves (compare-and-set on its version, so concurrent issuance
 * on one case serialises), the milestone turns `issued` only if it was `offered`, and the credential's
 * salted hash enters the anchoring outbox beside the audit event. Nothing is anchored or delivered
 * that this transaction did not commit.
 */
async function signOne(ctx: IssuerContext, job: IssueJob): Promise<SignedMilestone> {
  const { offer } = job
  // What prepareCredential reads outside its transaction (the authority, its signer) is loaded
  // first: a statement outside a transaction waits for open ones to end (@flora/db), so loading it
  // inside would wait for itself.
  const authority = await getOnboardedAuthority(ctx, offer.authorityId)
  await ctx.keyring.signer(authority.id, authority.assertionKid)
  try {
    const prepared = await inTransaction(
      ctx,
      async (tx) => {
        let head = caseHeads.get(offer.caseId)
        if (!head) {
          const row = await tx.issuerCase.findUniqueOrThrow({
            where: { id: offer.caseId },
            select: { headHash: true, headVersion: true },
          })
          head = { headHash: row.headHash, headVersion: row.headVersion }
        }
        const p = await prepareCredential(ctx, tx, job, head)
        await tx.usedNonce.create({ data: { nonce: job.nonce, expiresAt: job.nonceExpiresAt } })
        const moved = await tx.issuerCase.updateMany({
          where: { id: offer.caseId, headVersion: head.headVersion },
          data: { headHash: p.credentialHash, headVersion: head.headVersion + 1 },
        })
        if (moved.count === 0) {
          caseHeads.delete(offer.caseId)
          throw new WriteConflict('case head moved')
        }
        const issued = await tx.milestoneRecord.updateMany({
          where: { id: offer.id, state: 'offered' },
          data: issuedData(p),
        })
        if (issued.count === 0) throw new CredentialAlreadyIssued()
        await tx.statusEntry.createMany({ data: statusRows(p) })
        await tx.anchorLeaf.create({ data: { milestoneId: offer.id, leafHex: p.leafHex } })
        await tx.auditEvent.create({ data: auditRow(p) })
        return p
      },
      // status-index collisions are re-drawn; a nonce collision is a replay and is not retried
      (error) =>
        !/nonce/i.test(
          `${JSON.stringify((error as { meta?: unknown }).meta ?? '')} ${(error as Error).message}`,
        ),
    )
    return settle(prepared)
  } catch (error) {
    caseHeads.delete(offer.caseId)
    if (isUniqueViolation(error)) {
      forgetStatusListPositions()
      if (await ctx.store.usedNonce(job.nonce))
        throw new OAuthError('invalid_nonce', 'c_nonce was already used; get a fresh one')
    }
    throw error
  }
}

/**
 * The same for a group of offers in one transaction with set-wise inserts (group commit). Offers of
 * the same case are chained in arrival order. Any failure rolls the whole group back; GroupCommit
 * then signs each offer on its own (new credential ids, indexes and signatures — nothing of the
 * failed group was committed or delivered).
 */
async function signGroup(ctx: IssuerContext, jobs: IssueJob[]): Promise<SignedMilestone[]> {
  const nonces = new Set(jobs.map((job) => job.nonce))
  const offers = new Set(jobs.map((job) => job.offer.id))
  if (nonces.size !== jobs.length || offers.size !== jobs.length) throw new Error('duplicates in group')
  const missing = [...new Set(jobs.map((job) => job.offer.caseId))].filter((id) => !caseHeads.get(id))
  const heads = await ctx.store.caseHeads(missing)
  const startVersion = new Map<string, number>()
  const prepared: PreparedCredential[] = []
  for (const job of jobs) {
    const caseId = job.offer.caseId
    const head = heads.get(caseId) ?? caseHeads.get(caseId)
    if (!head) throw new Error('case not found')
    if (!startVersion.has(caseId)) startVersion.set(caseId, head.headVersion)
    const p = await prepareCredential(ctx, ctx.db, job, head)
    heads.set(caseId, { headHash: p.credentialHash, headVersion: head.headVersion + 1 })
    prepared.push(p)
  }
  try {
    await ctx.store.commitIssued(
      prepared.map((p) => ({
        milestoneId: p.milestoneId,
        caseId: p.job.offer.caseId,
        authorityId: p.authorityId,
        nonce: p.job.nonce,
        nonceExpiresAt: p.job.nonceExpiresAt,
        credentialJwt: p.jwt,
        credentialHash: p.credentialHash,
        credentialId: p.credentialId,
        previousHash: p.previousHash,
        issuedAt: p.issuedAt,
        redeliverableUntil: p.redeliverableUntil,
        revocation: p.revocation,
        suspension: p.suspension,
        leafHex: p.leafHex,
      })),
      new Map([...startVersion].map(([caseId, from]) => [caseId, { ...heads.get(caseId)!, from }])),
      new Date(),
    )
  } catch (error) {
    for (const caseId of startVersion.keys()) caseHeads.delete(caseId)
    forgetStatusListPositions()
    throw error
  }
  return prepared.map(settle)
}

const committers = new WeakMap<IssuerContext, GroupCommit<IssueJob, SignedMilestone>>()

/**
 * Refuses unless the ledger still accredits the authority for the offer's type: an offer is
 * redeemable for days and the accreditation may be revoked in between. Fails closed when the ledger
 * cannot be asked and the last answer is older than the accreditation cache allows.
 */
async function assertStillAccredited(ctx: IssuerContext, offer: CachedOffer): Promise<void> {
  const authority = await getOnboardedAuthority(ctx, offer.authorityId)
  let answer: Awaited<ReturnType<typeof currentAccreditation>>
  try {
    answer = await currentAccreditation(ctx, authority.did)
  } catch (error) {
    throw new OAuthError(
      'temporarily_unavailable',
      'the issuing authority’s accreditation cannot be checked on the ledger right now; retry later',
      503,
      {},
      { cause: error },
    )
  }
  if (!accreditationCovers(answer.value, offer.type, ctx.ledger.milestoneSchemaUrl(offer.type)))
    throw new OAuthError(
      'credential_request_denied',
      answer.value?.issuerType === 'Revoked'
        ? 'the issuing authority’s accreditation was revoked on the ledger; the offer cannot be redeemed'
        : `the issuing authority is no longer accredited on the ledger for ${offer.type}`,
    )
}

/**
 * Refuses to sign an absence attestation on or before its as-of day: recording already refuses an
 * as-of day that is not over, but an offer recorded under another clock (or before this rule) must
 * not yield a credential issued before the day it attests silence up to has ended: a reply can still
 * arrive later on that day (docs/DUBLIN-ABSENCE.md §3(a)).
 */
function assertAsOfReached(type: string, claims: unknown, issuedAt: Date): void {
  const check = checkAbsenceAsOf(type, claims, issuanceDayOf(issuedAt))
  if (!check.ok)
    throw new OAuthError(
      'credential_request_denied',
      `the credential cannot be issued before the day its absence is attested up to is over: ${check.reason}; redeem the offer on the day after it (UTC) or later`,
    )
}

/**
 * Signs the credential of a redeemed offer (group-committed with concurrent redemptions), once the
 * ledger confirms the authority may still issue it.
 * @throws CredentialAlreadyIssued when another request signed it first (the caller re-delivers)
 */
export async function signRedeemedMilestone(ctx: IssuerContext, job: IssueJob): Promise<SignedMilestone> {
  assertAsOfReached(job.offer.type, JSON.parse(job.offer.claimsJson), ctx.now())
  await assertStillAccredited(ctx, job.offer)
  let committer = committers.get(ctx)
  if (!committer) {
    committer = new GroupCommit(
      (jobs) => signGroup(ctx, jobs),
      (one) => signOne(ctx, one),
      256,
      ctx.config.FLORA_ISSUER_GROUP_COMMIT_LINGER_MS,
    )
    committers.set(ctx, committer)
  }
  return committer.submit(job)
}

/** Group-commit statistics of this context's issuance (tests, diagnostics). */
export const issuanceGroupStats = (ctx: IssuerContext) => committers.get(ctx)?.stats
