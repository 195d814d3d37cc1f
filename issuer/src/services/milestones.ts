import { randomBytes, randomUUID } from 'node:crypto'
import {
  checkAbsenceAsOf,
  createEurodacCommitment,
  isMilestoneType,
  type MilestoneType,
  validateMilestoneClaims,
} from '@flora/credentials'
import { issuanceDayOf } from '../domain/credential.ts'
import { hashToken, preAuthorizedCodeFor, txCodeFor } from '../domain/tokens.ts'
import { ClaimsInvalid, ResourceNotFound, TransitionNotAllowed } from '../errors.ts'
import { audit } from './audit.ts'
import { assertMayIssue } from './authorities.ts'
import { getGrantedCase } from './cases.ts'
import type { IssuerContext, IssuerTx, Principal } from './context.ts'
import { type CachedOffer, offersById, rememberOffer } from './hot-cache.ts'
import { GroupCommit } from './group-commit.ts'
import { idempotent, principalKeyOf, requestHashOf, storedResponse } from './idempotency.ts'
import { isRedeliverable } from './redelivery.ts'
import { markStatusChanged } from './status-lists.ts'

/** Subject members the issuer sets itself; a request that sends them is refused naming the field. */
const ISSUER_MANAGED = ['id', 'previousMilestoneHash', 'supersedes', 'eurodacCommitment'] as const

export interface RecordMilestoneInput {
  caseId: string
  type: string
  claims: Record<string, unknown>
  /** Eurodac reference; only its salted commitment is kept and put in the credential. */
  eurodacReference?: string
  delivery?: 'in-time' | 'deferred'
}

/** A placeholder of the right shape while the real hash is unknown (validated before signing). */
const PLACEHOLDER_HASH = `sha-256:${'A'.repeat(43)}`

/**
 * Validates the claims against the catalogue schema and the issuing authority's role and ledger
 * accreditation, and builds the credentialSubject the issuer will sign (without the chain hash).
 */
async function prepareSubject(
  ctx: IssuerContext,
  by: Principal,
  holderDid: string,
  input: RecordMilestoneInput,
  supersedes?: string,
): Promise<{ type: MilestoneType; claims: Record<string, unknown> }> {
  if (!isMilestoneType(input.type))
    throw new ClaimsInvalid(`unknown milestone type "${input.type}"`, {
      invalidParams: [{ name: '/type', reason: 'not a milestone type of the catalogue' }],
    })
  const managed = ISSUER_MANAGED.filter((member) => member in input.claims)
  if (managed.length > 0)
    throw new ClaimsInvalid(`"/claims/${managed[0]}" is set by the issuer`, {
      invalidParams: managed.map((member) => ({
        name: `/claims/${member}`,
        reason: 'set by the issuer, not by the request',
      })),
    })
  await assertMayIssue(ctx, by.authorityId, input.type)
  const claims: Record<string, unknown> = { ...input.claims }
  if (input.eurodacReference !== undefined) {
    try {
      claims.eurodacCommitment = await createEurodacCommitment(input.eurodacReference, randomBytes(16))
    } catch {
      throw new ClaimsInvalid('"/eurodacReference" must consist of letters and digits', {
        invalidParams: [{ name: '/eurodacReference', reason: 'letters and digits only' }],
      })
    }
  }
  const subject = {
    ...claims,
    id: holderDid,
    previousMilestoneHash: PLACEHOLDER_HASH,
    ...(supersedes ? { supersedes } : {}),
  }
  const result = validateMilestoneClaims(input.type, subject)
  if (!result.valid)
    throw new ClaimsInvalid(
      `invalid ${input.type} claims: ${result.issues.map((issue) => `/claims${issue.pointer}`).join(', ')}`,
      {
        invalidParams: result.issues.map((issue) => ({
          name: `/claims${issue.pointer}`,
          reason: issue.message,
        })),
      },
    )
  // An absence can only be attested up to a day that is over; the credential would be signed today
  // at the earliest, so the as-of day must lie before today, UTC (docs/DUBLIN-ABSENCE.md §3(a)).
  const asOf = checkAbsenceAsOf(input.type, subject, issuanceDayOf(ctx.now()))
  if (!asOf.ok)
    throw new ClaimsInvalid(`invalid ${input.type} claims: /claims/milestoneDate`, {
      invalidParams: [{ name: '/claims/milestoneDate', reason: asOf.reason }],
    })
  return { type: input.type, claims }
}

async function insertOffer(
  ctx: IssuerContext,
  tx: IssuerTx,
  by: Principal,
  caseId: string,
  prepared: { type: MilestoneType; claims: Record<string, unknown> },
  extra: { supersedesId?: string; delivery?: 'in-time' | 'deferred' },
) {
  const id = randomUUID()
  const offerExpiresAt = new Date(ctx.now().getTime() + ctx.config.FLORA_ISSUER_OFFER_TTL_SECONDS * 1000)
  await tx.milestoneRecord.create({
    data: {
      id,
      caseId,
      authorityId: by.authorityId,
      type: prepared.type,
      claimsJson: JSON.stringify(prepared.claims),
      state: 'offered',
      supersedesId: extra.supersedesId ?? null,
      delivery: extra.delivery ?? 'in-time',
      preAuthCodeHash: hashToken(preAuthorizedCodeFor(ctx.secret, id)),
      txCodeHash: hashToken(txCodeFor(ctx.secret, id)),
      offerExpiresAt,
    },
  })
  await audit(tx, by, { action: 'milestone.record', caseId, subjectId: id })
  return {
    milestoneId: id,
    caseId,
    type: prepared.type,
    state: 'offered',
    offerExpiresAt: offerExpiresAt.toISOString(),
  }
}

/**
 * Records a milestone → an OpenID4VCI offer (pre-authorised code + transaction code). The credential
 * is signed when the case wallet redeems the offer. With an idempotency key a retry returns the first
 * response and never records twice.
 */
export async function recordMilestone(
  ctx: IssuerContext,
  by: Principal,
  input: RecordMilestoneInput,
  idempotencyKey?: string,
) {
  const request = { op: 'record', ...input }
  let kase: Awaited<ReturnType<typeof getGrantedCase>>
  let prepared: Awaited<ReturnType<typeof prepareSubject>>
  try {
    kase = await getGrantedCase(ctx, by, input.caseId)
    prepared = await prepareSubject(ctx, by, kase.holderDid, input)
  } catch (error) {
    // A retry must get the first response even if validation would now fail (accreditation revoked
    // meanwhile, ledger unreachable): look the key up before giving up.
    const replayed = idempotencyKey ? await storedResponse(ctx, by, idempotencyKey, request) : undefined
    if (replayed) return replayed
    throw error
  }
  return recordCommitter(ctx).submit({
    by,
    key: idempotencyKey,
    request,
    caseId: kase.id,
    holderDid: kase.holderDid,
    prepared,
    delivery: input.delivery,
  })
}

interface RecordJob {
  by: Principal
  key: string | undefined
  request: unknown
  caseId: string
  holderDid: string
  prepared: { type: MilestoneType; claims: Record<string, unknown> }
  delivery: 'in-time' | 'deferred' | undefined
}
type RecordResult = Awaited<ReturnType<typeof idempotent>>

/** One recording on its own: the idempotent path (a replay finds the stored response). */
async function recordOne(ctx: IssuerContext, job: RecordJob): Promise<RecordResult> {
  let created: CachedOffer | undefined
  const result = await idempotent(ctx, job.by, job.key, job.request, async (tx) => {
    const body = await insertOffer(ctx, tx, job.by, job.caseId, job.prepared, { delivery: job.delivery })
    created = offerOf(ctx, body, job.caseId, job.holderDid, job.by.authorityId, job.prepared, job.delivery)
    return { status: 201, body }
  })
  if (!result.replayed && created) rememberOffer(created)
  return result
}

/**
 * Concurrent recordings in one transaction: set-wise inserts of the milestones, their audit events
 * and their idempotency records. Any unique violation (a replayed key) rolls the group back and
 * each recording is redone on its own, where the replay is answered from the stored response.
 */
async function recordGroup(ctx: IssuerContext, jobs: RecordJob[]): Promise<RecordResult[]> {
  const keys = jobs.filter((job) => job.key).map((job) => `${principalKeyOf(job.by)}\u0000${job.key}`)
  if (new Set(keys).size !== keys.length) throw new Error('duplicate idempotency keys in group')
  const now = ctx.now()
  const offerExpiresAt = new Date(now.getTime() + ctx.config.FLORA_ISSUER_OFFER_TTL_SECONDS * 1000)
  const rows = jobs.map((job) => {
    const id = randomUUID()
    const body = {
      milestoneId: id,
      caseId: job.caseId,
      type: job.prepared.type,
      state: 'offered',
      offerExpiresAt: offerExpiresAt.toISOString(),
    }
    const claimsJson = JSON.stringify(job.prepared.claims)
    const preAuthCodeHash = hashToken(preAuthorizedCodeFor(ctx.secret, id))
    const txCodeHash = hashToken(txCodeFor(ctx.secret, id))
    return { job, id, body, claimsJson, preAuthCodeHash, txCodeHash }
  })
  await ctx.store.recordOffers(
    rows.map(({ job, id, body, claimsJson, preAuthCodeHash, txCodeHash }) => ({
      id,
      caseId: job.caseId,
      authorityId: job.by.authorityId,
      type: job.prepared.type,
      claimsJson,
      delivery: job.delivery ?? 'in-time',
      preAuthCodeHash,
      txCodeHash,
      offerExpiresAt,
      audit: { actorType: job.by.actorType, actorId: job.by.actorId },
      ...(job.key
        ? {
            idempotency: {
              principal: principalKeyOf(job.by),
              key: job.key,
              requestHash: requestHashOf(job.request),
              status: 201,
              responseJson: JSON.stringify(body),
            },
          }
        : {}),
    })),
    now,
  )
  return rows.map(({ job, id, body, claimsJson, txCodeHash }) => {
    rememberOffer({
      id,
      caseId: job.caseId,
      authorityId: job.by.authorityId,
      type: job.prepared.type,
      claimsJson,
      delivery: job.delivery ?? 'in-time',
      holderDid: job.holderDid,
      txCodeHash,
      offerExpiresAt,
    })
    return { status: 201, body, replayed: false }
  })
}

const recordCommitters = new WeakMap<IssuerContext, GroupCommit<RecordJob, RecordResult>>()
function recordCommitter(ctx: IssuerContext) {
  let committer = recordCommitters.get(ctx)
  if (!committer) {
    committer = new GroupCommit(
      (jobs) => recordGroup(ctx, jobs),
      (job) => recordOne(ctx, job),
      256,
      ctx.config.FLORA_ISSUER_GROUP_COMMIT_LINGER_MS,
    )
    recordCommitters.set(ctx, committer)
  }
  return committer
}

function offerOf(
  ctx: IssuerContext,
  body: { milestoneId: string; offerExpiresAt: string },
  caseId: string,
  holderDid: string,
  authorityId: string,
  prepared: { type: string; claims: Record<string, unknown> },
  delivery: string | undefined,
): CachedOffer {
  return {
    id: body.milestoneId,
    caseId,
    authorityId,
    type: prepared.type,
    claimsJson: JSON.stringify(prepared.claims),
    delivery: delivery ?? 'in-time',
    holderDid,
    txCodeHash: hashToken(txCodeFor(ctx.secret, body.milestoneId)),
    offerExpiresAt: new Date(body.offerExpiresAt),
  }
}

/** Milestones of a case the principal's authority may see (grant-checked). */
export async function listMilestones(ctx: IssuerContext, by: Principal, caseId: string) {
  await getGrantedCase(ctx, by, caseId)
  const rows = await ctx.db.milestoneRecord.findMany({ where: { caseId }, orderBy: { createdAt: 'asc' } })
  await audit(ctx.db, by, { action: 'milestone.list', caseId })
  return rows.map(view)
}

export async function readMilestone(ctx: IssuerContext, by: Principal, milestoneId: string) {
  const row = await grantedMilestone(ctx, by, milestoneId)
  await audit(ctx.db, by, { action: 'milestone.read', caseId: row.caseId, subjectId: row.id })
  // the signed credential only while it is kept for re-delivery (erased after that)
  return { ...view(row), credential: isRedeliverable(row, ctx.now()) ? row.credentialJwt : null }
}

function view(row: Awaited<ReturnType<IssuerContext['db']['milestoneRecord']['findUnique']>> & object) {
  return {
    id: row.id,
    caseId: row.caseId,
    authorityId: row.authorityId,
    type: row.type,
    claims: JSON.parse(row.claimsJson) as Record<string, unknown>,
    state: row.state,
    suspended: row.suspended,
    credentialId: row.credentialId,
    credentialHash: row.credentialHash,
    previousMilestoneHash: row.previousHash,
    supersedesId: row.supersedesId,
    createdAt: row.createdAt.toISOString(),
    issuedAt: row.issuedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  }
}

/** A milestone of a case the principal may see; otherwise not found (no existence leak). */
async function grantedMilestone(ctx: IssuerContext, by: Principal, milestoneId: string) {
  const row = await ctx.db.milestoneRecord.findUnique({ where: { id: milestoneId } })
  if (!row) throw new ResourceNotFound('milestone not found')
  await getGrantedCase(ctx, by, row.caseId).catch(() => {
    throw new ResourceNotFound('milestone not found')
  })
  return row
}

/** Only the authority that issued a credential changes its status. */
async function ownMilestone(ctx: IssuerContext, by: Principal, milestoneId: string) {
  const row = await grantedMilestone(ctx, by, milestoneId)
  if (row.authorityId !== by.authorityId) throw new ResourceNotFound('milestone not found')
  return row
}

async function setBit(tx: IssuerTx, listId: string | null, index: number | null, value: boolean) {
  if (listId === null || index === null) return
  await tx.statusEntry.update({
    where: { listId_statusIndex: { listId, statusIndex: index } },
    data: { setBit: value },
  })
  markStatusChanged(listId)
}

/** A revoked credential is never delivered again: its copy kept for re-delivery goes at once. */
const withoutCredentialCopy = { credentialJwt: null, redeliverableUntil: null, acceptanceTokenHash: null }

/** Revokes a credential (final) or withdraws an unredeemed offer. */
export async function revokeMilestone(ctx: IssuerContext, by: Principal, milestoneId: string) {
  const row = await ownMilestone(ctx, by, milestoneId)
  if (row.state === 'revoked') throw new TransitionNotAllowed('already revoked')
  offersById.delete(row.id)
  await ctx.db.$transaction(async (tx) => {
    const { count } = await tx.milestoneRecord.updateMany({
      where: { id: row.id, state: row.state },
      data: { state: 'revoked', revokedAt: ctx.now(), ...withoutCredentialCopy },
    })
    if (count === 0) throw new TransitionNotAllowed('the milestone changed meanwhile; retry')
    await setBit(tx, row.revocationListId, row.revocationIndex, true)
    await audit(tx, by, { action: 'milestone.revoke', caseId: row.caseId, subjectId: row.id })
  })
  return { id: row.id, state: 'revoked' }
}

/** Suspends (suspend = true) or lifts a suspension; a revoked credential cannot be reinstated. */
export async function setSuspended(ctx: IssuerContext, by: Principal, milestoneId: string, suspend: boolean) {
  const row = await ownMilestone(ctx, by, milestoneId)
  if (row.state === 'revoked')
    throw new TransitionNotAllowed('a revoked credential is final and cannot be reinstated')
  if (row.state !== 'issued') throw new TransitionNotAllowed('only an issued credential can be suspended')
  if (row.suspended === suspend)
    throw new TransitionNotAllowed(suspend ? 'already suspended' : 'not suspended')
  await ctx.db.$transaction(async (tx) => {
    await tx.milestoneRecord.update({ where: { id: row.id }, data: { suspended: suspend } })
    await setBit(tx, row.suspensionListId, row.suspensionIndex, suspend)
    await audit(tx, by, {
      action: suspend ? 'milestone.suspend' : 'milestone.unsuspend',
      caseId: row.caseId,
      subjectId: row.id,
    })
  })
  return { id: row.id, state: row.state, suspended: suspend }
}

/** Correction: revokes the issued credential and offers a new one whose subject `supersedes` it. */
export async function correctMilestone(
  ctx: IssuerContext,
  by: Principal,
  milestoneId: string,
  input: Omit<RecordMilestoneInput, 'caseId' | 'type'>,
  idempotencyKey?: string,
) {
  const row = await ownMilestone(ctx, by, milestoneId)
  const request = { op: 'correct', milestoneId, ...input }
  if (row.state !== 'issued' || !row.credentialHash) {
    const replayed = idempotencyKey ? await storedResponse(ctx, by, idempotencyKey, request) : undefined
    if (replayed) return replayed
    throw new TransitionNotAllowed('only an issued credential can be corrected')
  }
  const kase = await getGrantedCase(ctx, by, row.caseId)
  const prepared = await prepareSubject(
    ctx,
    by,
    kase.holderDid,
    { ...input, caseId: row.caseId, type: row.type },
    row.credentialHash,
  )
  prepared.claims.supersedes = row.credentialHash
  let created: CachedOffer | undefined
  const result = await idempotent(ctx, by, idempotencyKey, request, async (tx) => {
    const { count } = await tx.milestoneRecord.updateMany({
      where: { id: row.id, state: 'issued' },
      data: { state: 'revoked', revokedAt: ctx.now(), ...withoutCredentialCopy },
    })
    if (count === 0) throw new TransitionNotAllowed('the credential was revoked meanwhile')
    await setBit(tx, row.revocationListId, row.revocationIndex, true)
    await audit(tx, by, { action: 'milestone.correct', caseId: row.caseId, subjectId: row.id })
    const body = await insertOffer(ctx, tx, by, row.caseId, prepared, {
      supersedesId: row.id,
      delivery: input.delivery,
    })
    created = offerOf(ctx, body, row.caseId, kase.holderDid, by.authorityId, prepared, input.delivery)
    return { status: 201, body: { ...body, supersedes: row.credentialHash } }
  })
  if (!result.replayed && created) rememberOffer(created)
  return result
}

/** Group-commit statistics of this context's recordings (tests, diagnostics). */
export const recordGroupStats = (ctx: IssuerContext) => recordCommitters.get(ctx)?.stats
