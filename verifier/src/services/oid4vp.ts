import { randomBytes, randomUUID } from 'node:crypto'
import { checkPresentationSubmission, type PresentationDefinition } from '@flora/ebsi-connector/holder'
import type { Db } from '@flora/db'
import type { Logger } from '@flora/service-kit'
import type { VerifierConfig } from '../config.ts'
import { AssessmentInputInvalid, PresentationRequestInvalid, TokenMalformed } from '../errors.ts'
import { type DeclaredFact, declaredFactsSchema } from '../pipeline/declared-facts.ts'
import { decodeJws } from '../pipeline/jws.ts'
import type { VerifierIdentity } from './identity.ts'
import type { NoncePurpose } from './nonces.ts'
import type { VerificationService } from './verification.ts'

/** EBSI conformance v3's fixed verifier definition: three VerifiableAttestation descriptors. */
export const ebsiConformanceDefinition: PresentationDefinition = {
  id: 'ebsi-conformance-vp',
  format: { jwt_vc: { alg: ['ES256'] }, jwt_vp: { alg: ['ES256'] } },
  input_descriptors: ['a', 'b', 'c'].map((suffix) => ({
    id: `verifiable-attestation-${suffix}`,
    format: { jwt_vc: { alg: ['ES256'] } },
    constraints: { fields: [{ path: ['$.vc.type'], filter: { type: 'array', contains: { const: 'VerifiableAttestation' } } }] },
  })),
}

/** The Dublin evidence request: every milestone credential of the case. */
export const dublinEvidenceDefinition: PresentationDefinition = {
  id: 'flora-dublin-evidence',
  name: 'Dublin evidence',
  purpose: 'Determine the member state responsible and the Dublin deadlines (Reg. 604/2013, 2024/1351).',
  format: { jwt_vc: { alg: ['ES256'] }, jwt_vp: { alg: ['ES256'] } },
  input_descriptors: [
    {
      id: 'asylum-procedure-milestones',
      'x-flora-cardinality': 'all',
      constraints: {
        fields: [{ path: ['$.vc.type'], filter: { type: 'array', contains: { type: 'string', pattern: 'Milestone$' } } }],
      },
    },
  ],
}

/** The states in which a request may still be answered (and keeps the officer's Eurodac reference). */
const OPEN_STATES = ['created', 'fetched']

/**
 * OpenID4VP in EBSI conformance v3's profile: the officer creates a request; the wallet fetches the
 * signed request object by reference, answers by direct_post; the verifier answers with a redirect
 * carrying a code (or an error) and keeps the report under the request.
 *
 * The Eurodac reference the officer may enter serves only the subject binding of the answer: every
 * transition out of an open state erases it — answered, failed, or expired ({@link expireOverdue},
 * run periodically, and the reads below, which close an expired request they meet).
 */
export class Oid4vpService {
  constructor(
    private readonly deps: {
      config: VerifierConfig
      db: Db<'verifier'>
      identity: VerifierIdentity
      verification: VerificationService
      /** Where an unexpected failure of an answer's verification is logged. */
      logger?: Logger
    },
  ) {}

  async createRequest(args: {
    createdBy: string
    definition?: 'dublin' | 'ebsi-conformance'
    eurodacReference?: string
    redirectUri?: string
    /** The day of the Dublin assessment; absent: today in FLORA_VERIFIER_TIME_ZONE, fixed now. */
    asOf?: string
    declaredFacts?: DeclaredFact[]
  }) {
    const { config, db, identity, verification } = this.deps
    // refused now rather than when the wallet answers: the officer is still there to correct it.
    // Without an explicit day, today is fixed here, not when the answer arrives: otherwise the
    // wallet would choose the assessment day by answering before or after midnight.
    const asOf = verification.assessmentDay(args.asOf, args.declaredFacts)
    const id = randomUUID()
    const state = randomBytes(16).toString('base64url')
    const nonce = randomBytes(24).toString('base64url')
    const definition = args.definition === 'ebsi-conformance' ? ebsiConformanceDefinition : dublinEvidenceDefinition
    const expiresAt = new Date(Date.now() + config.FLORA_VERIFIER_REQUEST_TTL_SECONDS * 1000)
    await db.client.presentationRequest.create({
      data: {
        id,
        state,
        nonce,
        createdBy: args.createdBy,
        status: 'created',
        definitionJson: JSON.stringify(definition),
        redirectUri: args.redirectUri ?? config.FLORA_VERIFIER_WALLET_REDIRECT_URI,
        eurodacReference: args.eurodacReference ?? null,
        asOf,
        declaredFactsJson: args.declaredFacts?.length ? JSON.stringify(args.declaredFacts) : null,
        expiresAt,
      },
    })
    // The nonce is consumed when the answer is verified (holder binding), once, and only there: its
    // purpose keeps the direct API from spending it.
    const purpose: NoncePurpose = 'oid4vp'
    await db.client.verifierNonce.create({ data: { nonce, purpose, expiresAt } })
    const requestUri = `${config.FLORA_VERIFIER_PUBLIC_URL}/oid4vp/requests/${id}`
    const query = new URLSearchParams({ client_id: identity.did, request_uri: requestUri })
    return { id, state, requestUri, authorizationRequest: `openid4vp://?${query}`, expiresAt: expiresAt.toISOString(), asOf }
  }

  /**
   * Closes every open request past its expiry and erases its Eurodac reference; returns how many.
   * One guarded UPDATE on the (status, expiresAt) index: cheap, idempotent, and safe when several
   * processes run it at once (a row is closed by whichever gets there first, at most once).
   */
  async expireOverdue(now = new Date()): Promise<number> {
    const { count } = await this.deps.db.client.presentationRequest.updateMany({
      where: { status: { in: OPEN_STATES }, expiresAt: { lt: now } },
      data: { status: 'expired', eurodacReference: null },
    })
    return count
  }

  /** Closes one open request that has expired (the read that met it does not wait for the sweep). */
  async #expire(id: string, now = new Date()): Promise<void> {
    await this.deps.db.client.presentationRequest.updateMany({
      where: { id, status: { in: OPEN_STATES }, expiresAt: { lt: now } },
      data: { status: 'expired', eurodacReference: null },
    })
  }

  /** The signed request object (JWT), fetched by the wallet. */
  async requestObject(id: string): Promise<string> {
    const { config, db, identity } = this.deps
    const row = await db.client.presentationRequest.findUnique({ where: { id } })
    if (row && OPEN_STATES.includes(row.status) && row.expiresAt.getTime() < Date.now()) await this.#expire(row.id)
    if (!row || row.expiresAt.getTime() < Date.now() || !OPEN_STATES.includes(row.status))
      throw new PresentationRequestInvalid('unknown or closed presentation request')
    if (row.status === 'created')
      await db.client.presentationRequest.update({ where: { id }, data: { status: 'fetched' } })
    const now = Math.floor(Date.now() / 1000)
    return identity.assertion.signJwt(
      {
        iss: identity.did,
        aud: 'https://self-issued.me/v2',
        client_id: identity.did,
        client_id_scheme: 'did',
        response_type: 'vp_token',
        response_mode: 'direct_post',
        response_uri: `${config.FLORA_VERIFIER_PUBLIC_URL}/oid4vp/response`,
        scope: 'openid ver_test:vp_token',
        nonce: row.nonce,
        state: row.state,
        presentation_definition: JSON.parse(row.definitionJson) as unknown,
        client_metadata: { client_name: config.FLORA_VERIFIER_NAME, vp_formats: { jwt_vp: { alg: ['ES256'] } } },
        iat: now,
        exp: Math.floor(row.expiresAt.getTime() / 1000),
      },
      { typ: 'JWT', kid: identity.kid },
    )
  }

  /**
   * The direct_post endpoint: verifies the VP against the request and answers with the redirect
   * location (`code` + `state`, or `error` + `error_description`).
   */
  async handleResponse(form: Record<string, unknown>): Promise<{ location: string; reportId?: string }> {
    const { db } = this.deps
    const state = typeof form.state === 'string' ? form.state : undefined
    const row = state ? await db.client.presentationRequest.findUnique({ where: { state } }) : null
    if (!row) throw new PresentationRequestInvalid('unknown state')
    const redirect = (params: Record<string, string>) => {
      const url = `${row.redirectUri}${row.redirectUri.includes('?') ? '&' : '?'}${new URLSearchParams({ ...params, state: row.state })}`
      return url
    }
    if (row.status === 'answered' || row.status === 'failed')
      return { location: redirect({ error: 'invalid_request', error_description: 'this request was already answered' }) }
    if (row.expiresAt.getTime() < Date.now()) {
      await this.#expire(row.id)
      return { location: redirect({ error: 'invalid_request', error_description: 'the request has expired' }) }
    }
    const close = async (status: string, data: Record<string, unknown>) => {
      const { count } = await db.client.presentationRequest.updateMany({
        where: { id: row.id, status: { in: OPEN_STATES } },
        data: { status, answeredAt: new Date(), eurodacReference: null, ...data },
      })
      return count === 1
    }
    try {
      return await this.#answer(row, form, redirect, close)
    } catch (error) {
      // Whatever failed (a bug, a fault of a reader), the wallet gets an OAuth error redirect rather
      // than a 5xx, and the request is closed rather than left open for the same answer again. Only
      // if closing fails too (the database is gone) does the error reach the wallet as a 5xx.
      this.deps.logger?.error(
        { err: error, presentationRequest: row.id },
        'unexpected error while verifying an OpenID4VP answer; the request is closed as failed',
      )
      await close('failed', { error: 'internal error while verifying the answer' })
      return { location: redirect({ error: 'server_error', error_description: 'the verifier could not verify the answer' }) }
    }
  }

  /** The verification of an answer to an open request (closes it as answered or failed). */
  async #answer(
    row: {
      nonce: string
      definitionJson: string
      createdBy: string
      createdAt: Date
      eurodacReference: string | null
      asOf: string | null
      declaredFactsJson: string | null
    },
    form: Record<string, unknown>,
    redirect: (params: Record<string, string>) => string,
    close: (status: string, data: Record<string, unknown>) => Promise<boolean>,
  ): Promise<{ location: string; reportId?: string }> {
    const { verification } = this.deps
    if (typeof form.error === 'string') {
      await close('failed', { error: form.error.slice(0, 100) })
      return { location: redirect({ error: 'access_denied', error_description: 'the holder declined' }) }
    }
    const vpToken = form.vp_token
    let submission: unknown
    try {
      submission = JSON.parse(String(form.presentation_submission ?? ''))
    } catch {
      submission = undefined
    }
    let problems: string[]
    try {
      problems = checkPresentationSubmission(
        JSON.parse(row.definitionJson) as PresentationDefinition,
        submission,
        decodeJws(vpToken).payload,
      )
    } catch (error) {
      if (!(error instanceof TokenMalformed)) throw error
      await close('failed', { error: 'invalid vp_token' })
      return { location: redirect({ error: 'invalid_request', error_description: 'vp_token is not a JWT' }) }
    }
    if (problems.length) {
      await close('failed', { error: problems[0]!.slice(0, 200) })
      return { location: redirect({ error: 'invalid_request', error_description: problems[0]! }) }
    }
    let report: Awaited<ReturnType<VerificationService['verify']>>
    try {
      report = await verification.verify({
        token: String(vpToken),
        actor: row.createdBy,
        source: 'oid4vp',
        requestNonce: row.nonce,
        ...(row.eurodacReference ? { eurodacReference: row.eurodacReference } : {}),
        // requests made before the day was fixed at creation have none: assessed as of today
        ...(row.asOf ? { asOf: row.asOf, asOfFixedAt: row.createdAt.toISOString() } : {}),
        ...(row.declaredFactsJson ? { declaredFacts: storedDeclarations(row.declaredFactsJson) } : {}),
      })
    } catch (error) {
      if (!(error instanceof TokenMalformed) && !(error instanceof AssessmentInputInvalid)) throw error
      await close('failed', { error: error.message.slice(0, 200) })
      return { location: redirect({ error: 'invalid_request', error_description: error.message }) }
    }
    if (report.verdict !== 'valid') {
      await close('failed', { reportId: report.id, error: `verification ${report.verdict}` })
      return {
        location: redirect({
          error: 'invalid_request',
          error_description: `verification ${report.verdict}${report.failingStep ? `: ${report.failingStep}` : ''}`,
        }),
        reportId: report.id,
      }
    }
    const code = randomBytes(24).toString('base64url')
    if (!(await close('answered', { reportId: report.id, responseCode: code })))
      return { location: redirect({ error: 'invalid_request', error_description: 'this request was already answered' }) }
    return { location: redirect({ code }), reportId: report.id }
  }

  async status(id: string) {
    const row = await this.deps.db.client.presentationRequest.findUnique({ where: { id } })
    if (!row) return undefined
    let status = row.status
    if (OPEN_STATES.includes(status) && row.expiresAt.getTime() < Date.now()) {
      await this.#expire(row.id)
      status = 'expired'
    }
    return {
      id: row.id,
      status,
      reportId: row.reportId,
      error: row.error,
      createdAt: row.createdAt,
      answeredAt: row.answeredAt,
      asOf: row.asOf,
      declaredFacts: row.declaredFactsJson ? storedDeclarations(row.declaredFactsJson) : [],
    }
  }
}

/** Declarations as stored with a request (validated again: the row is not trusted blindly). */
function storedDeclarations(json: string): DeclaredFact[] {
  return declaredFactsSchema.parse(JSON.parse(json)) as DeclaredFact[]
}
