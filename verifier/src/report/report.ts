import type { EstablishedFact } from '../pipeline/dublin.ts'
import type { DublinSummary, PipelineOutcome } from '../pipeline/run.ts'
import { COMPLETE_CHAIN_PRECONDITION } from '../services/complete-chain.ts'
import { type ReportEvidence, shareEvidence } from './evidence.ts'
import { type Lang, langs, statement } from './i18n.ts'

/** The assessment's deadlines and dates the report lists, in procedure order. */
export const DEADLINE_FIELDS = [
  'requestDeadline',
  'replyDeadline',
  'deemedAcceptedFrom',
  'reexaminationRequestDeadline',
  'reexaminationReplyDeadline',
  'transferDecisionDeadline',
  'transferPeriodStart',
  'transferDeadline',
  'detentionTransferDeadline',
  'verifierTakeBackRequestDeadline',
  'requestingStateResponsibleFrom',
] as const

/** A fact as the report states it: for an absence attestation, also who attested it. */
export interface ReportFact extends EstablishedFact {
  /** For an absence attestation: the DIDs of the issuers of the credentials it rests on. */
  attestedBy?: string[]
}

/** The report's Dublin section: the day, the outcome and the deadlines, next to the facts. */
export interface ReportDublin extends DublinSummary {
  status: string | null
  /** The day the status rests on, when an absence is established only up to a day before asOf. */
  statusAsOf: string | null
  responsibleState: string | null
  deadlines: { name: (typeof DEADLINE_FIELDS)[number]; date: string }[]
  missingFacts: string[]
  /**
   * When asOf was fixed before the answer arrived: an OpenID4VP request's creation (the officer's
   * day, or today then). Absent for the direct API, where the day is fixed by the verification.
   */
  asOfFixedAt?: string
  /**
   * Present when a fact rests on a complete chain: the deployment commitment it rests on (the
   * chain cannot show a recorded event that was never delivered into it).
   */
  completeChainCommitment?: string
}

/** The stored report: every check with its outcome, the status age, the Dublin assessment. */
export interface VerificationReport extends Omit<PipelineOutcome, 'facts' | 'dublin'> {
  facts: ReportFact[]
  /** Absent in reports stored before the section existed. */
  dublin?: ReportDublin
  id: string
  createdAt: string
  source: 'direct' | 'oid4vp'
  verifier: { did: string; name: string }
  statusMaxAgeSeconds: number
  /** Largest age of the status data used, seconds (null when no status was checked). */
  statusAgeSeconds: number | null
  subjectBindingRequested: boolean
  statement: Record<Lang, string>
  /** Accreditation chains, status lists and anchors the credentials' steps refer to by index. */
  evidence: ReportEvidence
}

export function buildReport(
  outcome: PipelineOutcome,
  meta: {
    id: string
    source: 'direct' | 'oid4vp'
    verifier: { did: string; name: string }
    statusMaxAgeSeconds: number
    subjectBindingRequested: boolean
    asOfFixedAt?: string
  },
): VerificationReport {
  const ages = outcome.credentials
    .map(
      (c) =>
        c.steps.find((s) => s.step === 'status')?.details as
          | { ageSeconds?: unknown; entries?: { ageSeconds?: number }[] }
          | undefined,
    )
    .flatMap((d) =>
      typeof d?.ageSeconds === 'number'
        ? [d.ageSeconds]
        : (d?.entries ?? []).flatMap((e) => (typeof e.ageSeconds === 'number' ? [e.ageSeconds] : [])),
    )
  const shared = shareEvidence(outcome.credentials)
  const assessment = outcome.assessment as (PipelineOutcome['assessment'] & { statusAsOf?: string }) | undefined
  const dublin: ReportDublin = {
    ...outcome.dublin,
    status: assessment?.status ?? null,
    statusAsOf: assessment?.statusAsOf ?? null,
    responsibleState: assessment?.responsibleState ?? null,
    deadlines: DEADLINE_FIELDS.flatMap((name) => {
      const date = assessment?.[name]
      return typeof date === 'string' ? [{ name, date }] : []
    }),
    missingFacts: assessment?.missingFacts ?? [],
    ...(meta.asOfFixedAt ? { asOfFixedAt: meta.asOfFixedAt } : {}),
    ...(outcome.dublin.completeChain.absences.length ? { completeChainCommitment: COMPLETE_CHAIN_PRECONDITION } : {}),
  }
  const facts: ReportFact[] = outcome.facts.map((f) =>
    f.source === 'absence-attestation'
      ? { ...f, attestedBy: [...new Set(f.credentials.map((i) => outcome.credentials[i]?.issuer ?? ''))].filter(Boolean) }
      : f,
  )
  return {
    id: meta.id,
    createdAt: outcome.checkedAt,
    source: meta.source,
    verifier: meta.verifier,
    statusMaxAgeSeconds: meta.statusMaxAgeSeconds,
    statusAgeSeconds: ages.length ? Math.max(...ages) : null,
    subjectBindingRequested: meta.subjectBindingRequested,
    ...outcome,
    facts,
    dublin,
    credentials: shared.credentials,
    statement: Object.fromEntries(langs.map((lang) => [lang, statement[lang]])) as Record<Lang, string>,
    evidence: shared.evidence,
  }
}
