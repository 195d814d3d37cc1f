import { call, callRaw } from './services.ts'
import type { WalletSessionData } from './session.ts'

/** A verification report as the verifier stores it (the parts the wallet shows). */
export interface ReportStep {
  step: string
  outcome: 'passed' | 'failed' | 'pending' | 'not-established'
  reason: string
  details: Record<string, unknown>
}
export interface VerificationReport {
  id: string
  createdAt: string
  source: 'direct' | 'oid4vp'
  verifier: { did: string; name: string }
  verdict: 'valid' | 'invalid' | 'indeterminate'
  failingStep: string | null
  credentials: {
    index: number
    hash: string
    milestoneType: string | null
    issuer: string | null
    verdict: 'valid' | 'invalid' | 'indeterminate'
    failingStep: string | null
    steps: ReportStep[]
  }[]
  presentationSteps: ReportStep[]
  /** Each fact with where it comes from (credential, absence attestation, complete chain, declaration). */
  facts: { fact: string; value: unknown; source?: unknown; credentials?: number[]; absentThrough?: string; basis?: string }[]
  /** The Dublin section: the as-of day, the verifier's role, the status and the deadlines. */
  dublin?: {
    asOf?: string
    timeZone?: string
    verifierState?: string | null
    verifierRole?: string | null
    status?: string | null
    statusAsOf?: string | null
    responsibleState?: string | null
    deadlines?: { name: string; date: string }[]
    missingFacts?: string[]
  }
  assessment: (Record<string, unknown> & { explanation?: { subject: string; date?: string; basis: string; note?: string }[]; status?: string; responsibleState?: string | null; ruleSet?: string | null; missingFacts?: string[] }) | undefined
  statusMaxAgeSeconds: number
  statusAgeSeconds: number | null
  subjectBindingRequested: boolean
  statement: Record<'fr' | 'de' | 'en', string>
}

export interface ReportListItem {
  id: string
  createdAt: string
  verdict: string
  source?: string
  credentials?: number
}

function requireVerifier(session: WalletSessionData) {
  if (session.party !== 'verifier') throw new Error('verifier staff only')
}

/** What the officer asks for besides the evidence: the as-of day and the facts its own state declares. */
export interface PresentationRequestOptions {
  eurodacReference?: string
  /** YYYY-MM-DD; the verifier's default (today in its time zone) when absent. */
  asOf?: string
  /** Facts about the verifying state's own acts (docs/DUBLIN-ABSENCE.md §3(c)). */
  declaredFacts?: { fact: string; value: unknown }[]
}

export async function createPresentationRequest(session: WalletSessionData, options: PresentationRequestOptions = {}) {
  requireVerifier(session)
  const { eurodacReference, asOf, declaredFacts } = options
  return call<{ id: string; authorizationRequest: string; requestUri: string; expiresAt: string; asOf?: string }>(
    'verifier',
    '/presentation-requests',
    {
      token: session.serviceToken,
      body: {
        definition: 'dublin',
        ...(eurodacReference ? { eurodacReference } : {}),
        ...(asOf ? { asOf } : {}),
        ...(declaredFacts?.length ? { declaredFacts } : {}),
      },
    },
  )
}

export async function requestStatus(session: WalletSessionData, id: string) {
  requireVerifier(session)
  return call<{ id: string; status: string; reportId: string | null; error: string | null; createdAt: string; answeredAt: string | null; asOf?: string }>(
    'verifier',
    `/presentation-requests/${encodeURIComponent(id)}`,
    { token: session.serviceToken },
  )
}

export async function listReports(session: WalletSessionData) {
  requireVerifier(session)
  return (await call<{ items: ReportListItem[] }>('verifier', '/reports?limit=20', { token: session.serviceToken })).items
}

export async function readReport(session: WalletSessionData, id: string) {
  requireVerifier(session)
  return call<VerificationReport>('verifier', `/reports/${encodeURIComponent(id)}?format=json`, { token: session.serviceToken })
}

/** The HTML export of a report, for download through the wallet (the token stays server-side). */
export async function reportHtml(session: WalletSessionData, id: string, lang: string) {
  requireVerifier(session)
  return callRaw('verifier', `/reports/${encodeURIComponent(id)}/export?format=html&lang=${lang}`, {
    token: session.serviceToken,
    text: true,
  })
}
