import type { PipelineOutcome } from '../pipeline/run.ts'
import { type ReportEvidence, shareEvidence } from './evidence.ts'
import { type Lang, langs, statement } from './i18n.ts'

/** The stored report: every check with its outcome, the status age, the Dublin assessment. */
export interface VerificationReport extends PipelineOutcome {
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
  return {
    id: meta.id,
    createdAt: outcome.checkedAt,
    source: meta.source,
    verifier: meta.verifier,
    statusMaxAgeSeconds: meta.statusMaxAgeSeconds,
    statusAgeSeconds: ages.length ? Math.max(...ages) : null,
    subjectBindingRequested: meta.subjectBindingRequested,
    ...outcome,
    credentials: shared.credentials,
    statement: Object.fromEntries(langs.map((lang) => [lang, statement[lang]])) as Record<Lang, string>,
    evidence: shared.evidence,
  }
}
