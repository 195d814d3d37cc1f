import { decodeJwt, decodeProtectedHeader, type JWTPayload } from 'jose'
import { z } from 'zod'
import { isDidEbsi } from '../../core/index.ts'
import { controllingAddresses } from '../did-registry-v5/state.ts'
import { InvalidRequest, PresentationInvalid } from '../errors.ts'
import type { NodeContext } from '../state/context.ts'
import { isAccreditor, isAdminDid } from '../state/trust.ts'
import { checkValidityWindow, verifyDidSignedJwt } from './did-jwt-verify.ts'
import { consumeNonce } from './nonce-store.ts'
import { verifyInvitePresentation } from './onboarding-binding.ts'
import { checkPresentationLifetime } from './presentation-lifetime.ts'
import { definitionIdOf, parseScope, requiredCredentialTypes, type Scope } from './scopes.ts'

/** The authorisation API's base URL: VP `aud` and token `iss`. */
export const authorisationUrl = (ctx: NodeContext) => `${ctx.publicUrl()}/authorisation/v4`

const tokenRequest = z.object({
  grant_type: z.literal('vp_token'),
  scope: z.string().max(200),
  vp_token: z.string().min(1).max(200_000),
  presentation_submission: z.string().min(2).max(50_000),
})

const submissionSchema = z.object({
  id: z.string().min(1),
  definition_id: z.string().min(1),
  descriptor_map: z.array(z.object({ id: z.string(), format: z.string(), path: z.string() }).passthrough()),
})

interface TokenRequest {
  scope: Scope
  vpToken: string
  submission: z.output<typeof submissionSchema>
}

interface Presentation {
  jwt: string
  header: { alg?: string; kid?: string }
  payload: JWTPayload & { nonce?: unknown; vp?: { verifiableCredential?: unknown; holder?: unknown } }
  holder: string
  credentials: string[]
}

/**
 * POST /authorisation/v4/token: the steps of EBSI's createAccessToken, each one check.
 */
export async function createAccessToken(ctx: NodeContext, body: unknown) {
  const request = parseTokenRequest(body)
  const presentation = decodePresentation(request.vpToken)
  const nonce = requireNonce(presentation)
  checkSubmission(request, presentation)
  checkAudience(ctx, presentation)
  checkValidityWindow(presentation.payload, ctx.now(), 'vp_token')
  checkPresentationLifetime(presentation.payload, ctx.now())
  let binding: { jkt: string } | undefined
  if (request.scope === 'didr_invite') {
    // The holder is not registered yet: its VP is verified against the controller key its
    // authorisation to onboard names, and the token is bound to that key.
    binding = await checkInvite(ctx, presentation)
  } else {
    await verifyDidSignedJwt(ctx, request.vpToken, ['authentication', 'capabilityInvocation'], 'vp_token')
    await scopeChecks[request.scope](ctx, presentation)
  }
  await consumeNonce(ctx.db, nonce, ctx.now())
  const issued = await ctx.tokens.issue(presentation.holder, request.scope, nonce, binding)
  return { ...issued, token_type: 'Bearer', scope: `openid ${request.scope}` }
}

function parseTokenRequest(body: unknown): TokenRequest {
  const parsed = tokenRequest.safeParse(body)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new InvalidRequest(
      `Invalid token request: ${issue ? `${issue.path.join('.') || 'body'} ${issue.message}` : 'rejected'}`,
    )
  }
  const scope = parseScope(parsed.data.scope)
  if (!scope) throw new InvalidRequest(`scope must be "openid" and one of the supported scopes`)
  let submission: unknown
  try {
    submission = JSON.parse(parsed.data.presentation_submission)
  } catch {
    throw new InvalidRequest('"presentation_submission" is not JSON')
  }
  const checked = submissionSchema.safeParse(submission)
  if (!checked.success) throw new InvalidRequest('"presentation_submission" is not a presentation submission')
  return { scope, vpToken: parsed.data.vp_token, submission: checked.data }
}

function decodePresentation(vpToken: string): Presentation {
  let payload: Presentation['payload']
  let header: ReturnType<typeof decodeProtectedHeader>
  try {
    header = decodeProtectedHeader(vpToken)
    if (header.alg !== 'ES256' && header.alg !== 'ES256K') throw new Error('alg')
    payload = decodeJwt(vpToken) as Presentation['payload']
  } catch {
    throw new PresentationInvalid('"vp_token" is not an ES256 JWT')
  }
  if (!payload.vp || typeof payload.vp !== 'object')
    throw new PresentationInvalid('"vp_token" has no "vp" claim')
  const holder = payload.iss
  if (typeof holder !== 'string' || !isDidEbsi(holder))
    throw new PresentationInvalid('"vp_token" "iss" must be the holder did:ebsi')
  if (payload.vp.holder !== undefined && payload.vp.holder !== holder)
    throw new PresentationInvalid('"vp.holder" differs from "iss"')
  const raw = payload.vp.verifiableCredential ?? []
  if (!Array.isArray(raw) || raw.some((vc) => typeof vc !== 'string')) {
    throw new PresentationInvalid('"vp.verifiableCredential" must be an array of JWTs')
  }
  return { jwt: vpToken, header, payload, holder, credentials: raw as string[] }
}

function requireNonce(presentation: Presentation): string {
  const nonce = presentation.payload.nonce
  if (typeof nonce !== 'string' || nonce.length < 1 || nonce.length > 200)
    throw new PresentationInvalid('"vp_token" must carry a "nonce"')
  return nonce
}

function checkSubmission(request: TokenRequest, presentation: Presentation): void {
  const expected = definitionIdOf(request.scope)
  if (request.submission.definition_id !== expected) {
    throw new InvalidRequest(`"presentation_submission.definition_id" must be ${expected}`)
  }
  const types = requiredCredentialTypes(request.scope)
  const map = request.submission.descriptor_map
  if (!types) {
    if (map.length > 0)
      throw new InvalidRequest('"presentation_submission.descriptor_map" must be empty for this scope')
    return
  }
  const descriptorId = `${request.scope}_credential`
  if (map.length === 0 || !map.some((entry) => entry.id === descriptorId)) {
    throw new InvalidRequest(`"presentation_submission.descriptor_map" must cover ${descriptorId}`)
  }
  if (map.some((entry) => entry.id !== descriptorId))
    throw new InvalidRequest('"descriptor_map" names an unknown input descriptor')
  if (presentation.credentials.length === 0)
    throw new PresentationInvalid('the presentation carries no credential')
}

function checkAudience(ctx: NodeContext, presentation: Presentation): void {
  const aud = presentation.payload.aud
  const expected = authorisationUrl(ctx)
  const ok = Array.isArray(aud) ? aud.includes(expected) : aud === expected
  if (!ok) throw new PresentationInvalid(`"vp_token" "aud" must be ${expected}`)
}

/** Finds, decodes and verifies the presentation's credential of one of `types`. */
async function requiredCredential(ctx: NodeContext, presentation: Presentation, types: string[]) {
  for (const jwt of presentation.credentials) {
    let payload: JWTPayload & { vc?: { type?: unknown; credentialSubject?: { id?: unknown } } }
    try {
      payload = decodeJwt(jwt)
    } catch {
      continue
    }
    const vcTypes = Array.isArray(payload.vc?.type) ? (payload.vc?.type as unknown[]) : []
    const type = types.find((t) => vcTypes.includes(t))
    if (!type) continue
    const subject = payload.vc?.credentialSubject?.id ?? payload.sub
    if (subject !== presentation.holder)
      throw new PresentationInvalid(`the ${type} credential is not about the holder`)
    checkValidityWindow(payload, ctx.now(), `the ${type} credential`)
    const { did: issuer } = await verifyDidSignedJwt(ctx, jwt, ['assertionMethod'], `the ${type} credential`)
    return { type, issuer, payload }
  }
  throw new PresentationInvalid(`the presentation must contain a ${types.join(' or ')} credential`)
}

async function requireRegistered(ctx: NodeContext, did: string): Promise<void> {
  if (!(await ctx.dids.current(did)))
    throw new PresentationInvalid(`${did} is not registered in the DID Registry`)
}

/**
 * didr_invite: the holder is not registered; the VerifiableAuthorisationToOnboard comes from a Root
 * TAO/TAO (or the operator) and names the controller key that signed the VP.
 * @returns the token's binding to that key
 */
async function checkInvite(ctx: NodeContext, presentation: Presentation): Promise<{ jkt: string }> {
  if (await ctx.dids.current(presentation.holder))
    throw new PresentationInvalid(`${presentation.holder} is already registered`)
  const { issuer, payload } = await requiredCredential(ctx, presentation, [
    'VerifiableAuthorisationToOnboard',
  ])
  if (!(await isAccreditor(ctx, issuer)) && !(await isAdminDid(ctx, issuer))) {
    throw new PresentationInvalid(`the onboarding credential's issuer ${issuer} is not a Root TAO or TAO`)
  }
  const jkt = verifyInvitePresentation({
    vpToken: presentation.jwt,
    header: presentation.header,
    payload: presentation.payload,
    holder: presentation.holder,
    authorisation: payload,
  })
  return { jkt }
}

const scopeChecks: Record<
  Exclude<Scope, 'didr_invite'>,
  (ctx: NodeContext, presentation: Presentation) => Promise<void>
> = {
  didr_write: async (ctx, presentation) => requireRegistered(ctx, presentation.holder),
  timestamp_write: async (ctx, presentation) => requireRegistered(ctx, presentation.holder),
  tir_invite: async (ctx, presentation) => {
    const attributes = await ctx.db.tirAttribute.findMany({ where: { did: presentation.holder } })
    if (attributes.length === 0)
      throw new PresentationInvalid(`${presentation.holder} is not pre-registered in the TIR`)
    if (!attributes.some((a) => a.body === '' && a.issuerType !== 4)) {
      throw new PresentationInvalid(
        `${presentation.holder} has no pre-registered attribute waiting for its accreditation`,
      )
    }
    const { type, issuer } = await requiredCredential(ctx, presentation, [
      'VerifiableAuthorisationForTrustChain',
      'VerifiableAccreditationToAttest',
      'VerifiableAccreditationToAccredit',
    ])
    const admin = await isAdminDid(ctx, issuer)
    if (
      type === 'VerifiableAuthorisationForTrustChain' ? !admin : !admin && !(await isAccreditor(ctx, issuer))
    ) {
      throw new PresentationInvalid(`the ${type} issuer ${issuer} may not accredit`)
    }
  },
  tir_write: async (ctx, presentation) => {
    const accredited = await ctx.db.tirAttribute.count({
      where: { did: presentation.holder, NOT: { body: '' } },
    })
    if (accredited === 0 && !(await isAdminDid(ctx, presentation.holder))) {
      throw new PresentationInvalid(`${presentation.holder} has no accreditation in the TIR`)
    }
  },
  tsr_write: async (ctx, presentation) => {
    const state = await ctx.dids.current(presentation.holder)
    if (!state) throw new PresentationInvalid(`${presentation.holder} is not registered in the DID Registry`)
    for (const address of controllingAddresses(state, ctx.now())) {
      if ((await ctx.tprAttributes(address))['TSR:insertSchema']) return
    }
    throw new PresentationInvalid(
      `${presentation.holder} holds no TSR:insertSchema attribute in the Trusted Policies Registry`,
    )
  },
}
