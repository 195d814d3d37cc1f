import { createHmac, timingSafeEqual } from 'node:crypto'
import { createNonce, verifyProofJwt } from '../domain/proof.ts'
import { hashToken, randomToken } from '../domain/tokens.ts'
import { CredentialAlreadyIssued, OAuthError, UnknownPreAuthorizedCode } from '../errors.ts'
import { type InclusionProof, inclusionProofFor, inclusionProofOf } from '../anchoring/anchoring.ts'
import type { IssuerContext } from '../services/context.ts'
import type { CachedOffer } from '../services/hot-cache.ts'
import { offerFacts, signRedeemedMilestone } from '../services/issuance.ts'
import { type DeliveredCredential, isRedeliverable, redeliverCredential } from '../services/redelivery.ts'
import { issuerIdentifier, PRE_AUTHORIZED_GRANT, type Profile } from './profiles.ts'

const MAX_TX_CODE_ATTEMPTS = 5
const ACCESS_TOKEN_TTL = 600

/** Access tokens are self-contained and MAC'd: milestone, profile, authority, expiry. */
function createAccessToken(ctx: IssuerContext, claims: { m: string; p: Profile; a: string }) {
  const body = Buffer.from(
    JSON.stringify({ ...claims, e: Math.floor(ctx.now().getTime() / 1000) + ACCESS_TOKEN_TTL }),
  ).toString('base64url')
  return `${body}.${createHmac('sha256', ctx.secret).update(`access_token:${body}`).digest('base64url')}`
}

function readAccessToken(
  ctx: IssuerContext,
  authorization: string | undefined,
  authorityId: string,
  profile: Profile,
) {
  const token = authorization?.match(/^(?:Bearer|DPoP) (.+)$/)?.[1]
  if (!token) throw new OAuthError('invalid_token', 'access token missing', 401)
  const [body, mac] = token.split('.')
  const expected = createHmac('sha256', ctx.secret).update(`access_token:${body}`).digest('base64url')
  if (
    !body ||
    !mac ||
    mac.length !== expected.length ||
    !timingSafeEqual(Buffer.from(mac), Buffer.from(expected))
  )
    throw new OAuthError('invalid_token', 'access token invalid', 401)
  const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as {
    m: string
    p: Profile
    a: string
    e: number
  }
  if (claims.e * 1000 < ctx.now().getTime())
    throw new OAuthError('invalid_token', 'access token expired', 401)
  if (claims.a !== authorityId || claims.p !== profile)
    throw new OAuthError('invalid_token', 'access token is for another issuer', 401)
  return claims
}

/**
 * Token endpoint: pre-authorised code + transaction code (tx_code, or draft-11 user_pin).
 *
 * Wrong transaction codes are counted per offer by one conditional UPDATE (`… + 1 WHERE attempts <
 * 5`): a wrong code is answered as wrong only if that UPDATE counted it, so a burst of parallel
 * guesses on any number of instances gets at most five evaluated. A right code is accepted on the
 * counter read in the same request, before any other step: it then stands where five counted wrong
 * ones would have stopped it in a sequential run.
 *
 * The code stays usable after the credential is issued, for the re-delivery window only (see
 * services/redelivery.ts): a wallet that lost the credential response redeems the offer again.
 */
export async function exchangePreAuthorizedCode(
  ctx: IssuerContext,
  authorityId: string,
  profile: Profile,
  form: Record<string, unknown>,
) {
  if (form.grant_type !== PRE_AUTHORIZED_GRANT)
    throw new OAuthError('unsupported_grant_type', 'only the pre-authorised code grant is supported')
  const code = form['pre-authorized_code']
  if (typeof code !== 'string' || code.length === 0)
    throw new OAuthError('invalid_request', '"pre-authorized_code" missing')
  const txCode =
    typeof form.tx_code === 'string'
      ? form.tx_code
      : typeof form.user_pin === 'string'
        ? form.user_pin
        : undefined
  // Always the row, never a cache: the counter is shared by every instance on this database.
  const row = await ctx.store.offerByCodeHash(hashToken(code))
  if (!row || row.authorityId !== authorityId) throw new UnknownPreAuthorizedCode()
  const now = ctx.now()
  if (row.state === 'revoked')
    throw new OAuthError('invalid_grant', 'the offer was withdrawn or its credential revoked')
  if (row.state === 'offered' && row.offerExpiresAt < now)
    throw new OAuthError('invalid_grant', 'pre-authorised code expired')
  if (row.state !== 'offered' && !isRedeliverable(row, now))
    throw new OAuthError('invalid_grant', 'pre-authorised code already used')
  if (row.txCodeAttempts >= MAX_TX_CODE_ATTEMPTS) throw tooManyWrongCodes()
  if (txCode === undefined)
    throw new OAuthError('invalid_request', profile === 'v1' ? '"tx_code" missing' : '"user_pin" missing')
  if (!timingSafeEqual(Buffer.from(row.txCodeHash, 'hex'), Buffer.from(hashToken(txCode), 'hex'))) {
    if (!(await ctx.store.countWrongTxCode(row.id, MAX_TX_CODE_ATTEMPTS))) throw tooManyWrongCodes()
    throw new OAuthError('invalid_grant', profile === 'v1' ? 'tx_code is wrong' : 'user_pin is wrong')
  }
  const response: Record<string, unknown> = {
    access_token: createAccessToken(ctx, { m: row.id, p: profile, a: authorityId }),
    token_type: 'Bearer',
    expires_in: ACCESS_TOKEN_TTL,
  }
  if (profile === 'ebsi-v3') {
    const { nonce } = createNonce(ctx.secret, ctx.config.FLORA_ISSUER_NONCE_TTL_SECONDS, ctx.now().getTime())
    response.c_nonce = nonce
    response.c_nonce_expires_in = ctx.config.FLORA_ISSUER_NONCE_TTL_SECONDS
  }
  return response
}

const tooManyWrongCodes = () =>
  new OAuthError('invalid_grant', 'too many wrong transaction codes; the authority must issue a new offer')

/** Nonce endpoint (OpenID4VCI 1.0). */
export function issueNonce(ctx: IssuerContext) {
  const { nonce } = createNonce(ctx.secret, ctx.config.FLORA_ISSUER_NONCE_TTL_SECONDS, ctx.now().getTime())
  return { c_nonce: nonce, c_nonce_expires_in: ctx.config.FLORA_ISSUER_NONCE_TTL_SECONDS }
}

function proofJwtOf(body: Record<string, unknown>): string {
  const proof = body.proof as { proof_type?: unknown; jwt?: unknown } | undefined
  if (proof && proof.proof_type === 'jwt' && typeof proof.jwt === 'string') return proof.jwt
  const proofs = body.proofs as { jwt?: unknown } | undefined
  if (proofs && Array.isArray(proofs.jwt) && proofs.jwt.length === 1 && typeof proofs.jwt[0] === 'string')
    return proofs.jwt[0]
  throw new OAuthError('invalid_proof', 'a single proof of type jwt is required')
}

/** The request must ask for the offered type, in the profile's terms. */
function assertRequestMatchesOffer(profile: Profile, body: Record<string, unknown>, type: string) {
  if (profile === 'v1') {
    if (body.credential_configuration_id !== type)
      throw new OAuthError('unknown_credential_configuration', `this offer is for ${type}`)
    return
  }
  if (body.format !== 'jwt_vc' && body.format !== 'jwt_vc_json')
    throw new OAuthError('unsupported_credential_format', 'format must be jwt_vc or jwt_vc_json')
  const types = Array.isArray(body.types)
    ? body.types
    : (body.credential_definition as { type?: unknown } | undefined)?.type
  if (!Array.isArray(types) || !types.includes(type))
    throw new OAuthError('unsupported_credential_type', `this offer is for ${type}`)
}

/**
 * The offer's credential: signed now, or — when it was signed before (the wallet lost the response
 * and redeems again, or a parallel request won) — the credential signed then, never a second one.
 */
async function credentialOf(
  ctx: IssuerContext,
  offer: CachedOffer,
  proof: { nonce: string; nonceExpiresAt: Date },
): Promise<DeliveredCredential> {
  if (offer.issued) return redeliverCredential(ctx, offer, proof)
  try {
    return await signRedeemedMilestone(ctx, { offer, ...proof })
  } catch (error) {
    if (error instanceof CredentialAlreadyIssued) return redeliverCredential(ctx, offer, proof)
    throw error
  }
}

/**
 * Credential endpoint. Checks the request matches the offered type and the proof (typ, alg, aud,
 * nonce freshness and single use, key = the case's holder did:key), then signs — or re-delivers what
 * was signed for this offer before.
 */
export async function requestCredential(
  ctx: IssuerContext,
  authorityId: string,
  profile: Profile,
  authorization: string | undefined,
  body: Record<string, unknown>,
) {
  const token = readAccessToken(ctx, authorization, authorityId, profile)
  const offer = await offerFacts(ctx, token.m)
  if (!offer) throw new OAuthError('invalid_token', 'offer not found', 401)
  assertRequestMatchesOffer(profile, body, offer.type)
  const proof = verifyProofJwt(proofJwtOf(body), {
    audience: issuerIdentifier(ctx.config.FLORA_ISSUER_PUBLIC_URL, authorityId, profile),
    holderDid: offer.holderDid,
    secret: ctx.secret,
    now: ctx.now().getTime(),
  })
  const credential = await credentialOf(ctx, offer, proof)
  const next = createNonce(ctx.secret, ctx.config.FLORA_ISSUER_NONCE_TTL_SECONDS, ctx.now().getTime())
  const anchoringUri = `${ctx.config.FLORA_ISSUER_PUBLIC_URL}/anchoring/proofs/${encodeURIComponent(credential.credentialId)}`
  if (profile === 'ebsi-v3' && credential.delivery === 'deferred') {
    // a new acceptance token replaces one a lost response carried
    const acceptanceToken = randomToken('acc_')
    await ctx.db.milestoneRecord.update({
      where: { id: offer.id },
      data: { acceptanceTokenHash: hashToken(acceptanceToken) },
    })
    // acceptance_token is EBSI v3 / draft 11; transaction_id (the same value) is what later drafts
    // and generic wallets read. The deferred endpoint takes either.
    return {
      acceptance_token: acceptanceToken,
      transaction_id: acceptanceToken,
      interval: Math.ceil(ctx.config.FLORA_ISSUER_ANCHOR_INTERVAL_MS / 1000),
      c_nonce: next.nonce,
      c_nonce_expires_in: ctx.config.FLORA_ISSUER_NONCE_TTL_SECONDS,
    }
  }
  // A credential signed just now cannot be in an anchored batch yet: the wallet polls anchoring_uri
  // (or uses the deferred flow, which delivers the credential together with its proof).
  const extension = { anchoring_uri: anchoringUri }
  if (profile === 'v1') return { credentials: [{ credential: credential.jwt }], ...extension }
  return {
    format: body.format,
    credential: credential.jwt,
    c_nonce: next.nonce,
    c_nonce_expires_in: ctx.config.FLORA_ISSUER_NONCE_TTL_SECONDS,
    ...extension,
  }
}

/**
 * Deferred credential endpoint (draft 11 / EBSI v3): `Authorization: Bearer <acceptance_token>`. The
 * credential is delivered once its batch root is anchored, together with its inclusion proof.
 */
export async function requestDeferredCredential(
  ctx: IssuerContext,
  authorityId: string,
  authorization: string | undefined,
  body: Record<string, unknown> = {},
) {
  const bearer = authorization?.match(/^Bearer (.+)$/)?.[1]
  const token = typeof body.transaction_id === 'string' ? body.transaction_id : bearer
  if (!token) throw new OAuthError('invalid_token', 'acceptance token missing', 401)
  const row = await ctx.db.milestoneRecord.findUnique({ where: { acceptanceTokenHash: hashToken(token) } })
  if (!row || row.authorityId !== authorityId || !row.credentialJwt)
    throw new OAuthError('invalid_token', 'acceptance token unknown', 401)
  // the credential is kept for delivery only as long as the re-delivery window
  if (!isRedeliverable(row, ctx.now())) throw new OAuthError('invalid_token', 'acceptance token expired', 401)
  const anchoring = await inclusionProofFor(ctx, row.id)
  if (!anchoring)
    throw new OAuthError(
      'issuance_pending',
      'the credential is delivered once its hash is anchored; retry later',
      400,
      { interval: Math.ceil(ctx.config.FLORA_ISSUER_ANCHOR_INTERVAL_MS / 1000) },
    )
  return { format: 'jwt_vc', credential: row.credentialJwt, anchoring }
}

/** What the wallet polls for its inclusion proof (the credential id is its capability). */
export async function anchoringStatus(
  ctx: IssuerContext,
  credentialId: string,
): Promise<{ state: 'pending' } | ({ state: 'anchored' } & InclusionProof) | undefined> {
  const row = await ctx.store.proofByCredentialId(credentialId)
  if (!row) return undefined
  const proof = await inclusionProofOf(ctx, row)
  return proof ? { state: 'anchored', ...proof } : { state: 'pending' }
}
