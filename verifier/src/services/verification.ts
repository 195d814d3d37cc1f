import { randomUUID } from 'node:crypto'
import type { DublinAssessmentOptions } from '@flora/credentials'
import type { VerifierConfig } from '../config.ts'
import { AssessmentInputInvalid } from '../errors.ts'
import { dayIn } from '../pipeline/as-of.ts'
import { type DeclaredFact, declarationsAfter } from '../pipeline/declared-facts.ts'
import { runPipeline } from '../pipeline/run.ts'
import { buildReport, type VerificationReport } from '../report/report.ts'
import type { ReportStore } from '../store/report-store.ts'
import type { VerifierIdentity } from './identity.ts'
import type { NonceStore } from './nonces.ts'
import type { TrustService } from './trust.ts'

/** One verification request. */
export interface VerifyRequest {
  token: string
  actor: string
  source: 'direct' | 'oid4vp'
  eurodacReference?: string
  /** For a bare VC: its inclusion proof as the issuer delivered it. */
  anchoringProof?: unknown
  /** The nonce of the OpenID4VP request being answered (the direct API accepts any of its own nonces). */
  requestNonce?: string
  dublin?: DublinAssessmentOptions
  /** The day of the Dublin assessment; default: today in FLORA_VERIFIER_TIME_ZONE. */
  asOf?: string
  /** When `asOf` was fixed before the verification (an OpenID4VP request's creation), ISO instant. */
  asOfFixedAt?: string
  /** Facts the officer declares about the verifier's own state's acts (checked against its role). */
  declaredFacts?: DeclaredFact[]
}

/** Runs the pipeline, builds the report, stores it and logs the verification (without personal data). */
export class VerificationService {
  constructor(
    private readonly deps: {
      config: VerifierConfig
      identity: VerifierIdentity
      trust: TrustService
      nonces: NonceStore
      reports: ReportStore
      /** The verification clock, epoch ms (tests); default Date.now. */
      now?: () => number
    },
  ) {}

  /** Today in the verifier's time zone (FLORA_VERIFIER_TIME_ZONE). */
  today(at = this.#now()): string {
    return dayIn(this.deps.config.FLORA_VERIFIER_TIME_ZONE, at)
  }

  #now(): Date {
    return new Date(this.deps.now ? this.deps.now() : Date.now())
  }

  /**
   * The assessment day: the officer's asOf, else today. A later day is refused — a verification
   * cannot know what will have happened by then — and so is a declared event or `notBy` after it.
   * @throws {AssessmentInputInvalid}
   */
  assessmentDay(asOf: string | undefined, declaredFacts: readonly DeclaredFact[] = [], at = this.#now()): string {
    const today = this.today(at)
    if (asOf !== undefined && asOf > today)
      throw new AssessmentInputInvalid('/asOf', `(${asOf}) lies after today (${today} in ${this.deps.config.FLORA_VERIFIER_TIME_ZONE})`)
    const day = asOf ?? today
    const late = declarationsAfter(declaredFacts, day)[0]
    if (late)
      throw new AssessmentInputInvalid(
        `/declaredFacts/${declaredFacts.indexOf(late)}/value`,
        `(${late.fact}) names a day after asOf (${day})`,
      )
    return day
  }

  async verify(request: VerifyRequest): Promise<VerificationReport> {
    const started = performance.now()
    const { config, identity, trust, nonces, reports } = this.deps
    const now = this.#now()
    const asOf = this.assessmentDay(request.asOf, request.declaredFacts, now)
    const outcome = await runPipeline(
      {
        token: request.token,
        holderBinding: {
          audience: identity.did,
          ...(request.requestNonce ? { nonce: request.requestNonce } : {}),
          // a nonce counts only where it was handed out: the direct API, or this OpenID4VP request
          checkNonce: (nonce) => nonces.consume(nonce, request.source),
        },
        ...(request.eurodacReference ? { eurodacReference: request.eurodacReference } : {}),
        ...(request.anchoringProof ? { anchoringProofs: [request.anchoringProof] } : {}),
        verifierState: config.FLORA_VERIFIER_STATE,
        ...(request.dublin ? { dublin: request.dublin } : {}),
        asOf,
        declaredFacts: request.declaredFacts ?? [],
        completeChain: config.FLORA_VERIFIER_COMPLETE_CHAIN,
      },
      trust.context(now),
    )
    const report = buildReport(outcome, {
      id: randomUUID(),
      source: request.source,
      verifier: { did: identity.did, name: config.FLORA_VERIFIER_NAME },
      statusMaxAgeSeconds: config.FLORA_VERIFIER_STATUS_MAX_AGE_SECONDS,
      subjectBindingRequested: Boolean(request.eurodacReference),
      ...(request.asOfFixedAt ? { asOfFixedAt: request.asOfFixedAt } : {}),
    })
    const stepOutcomes: Record<string, number> = {}
    for (const step of [...outcome.credentials.flatMap((c) => c.steps), ...outcome.presentationSteps]) {
      const key = `${step.step}:${step.outcome}`
      stepOutcomes[key] = (stepOutcomes[key] ?? 0) + 1
    }
    await reports.save(report, request.actor, {
      actor: request.actor,
      action: `verify-${outcome.kind}`,
      reportId: report.id,
      verdict: report.verdict,
      stepOutcomes,
      durationMs: performance.now() - started,
    })
    return report
  }
}
