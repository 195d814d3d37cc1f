import { htmlContentSecurityPolicy } from '@flora/service-kit'
import type { StepResult } from '../pipeline/types.ts'
import {
  deadlineLabels,
  type Lang,
  labels,
  outcomeLabels,
  reasonLabels,
  sourceLabels,
  stepLabels,
  t,
  unusedReasonLabels,
} from './i18n.ts'
import type { ReportFact, VerificationReport } from './report.ts'

const esc = (value: unknown) =>
  String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

function stepRows(steps: readonly StepResult[], lang: Lang): string {
  return steps
    .map(
      (s) =>
        `<tr class="${esc(s.outcome)}"><th scope="row">${esc(t(stepLabels, s.step, lang))}</th><td>${esc(
          t(outcomeLabels, s.outcome, lang),
        )}</td><td>${esc(t(reasonLabels, s.reason, lang))}</td><td><code>${esc(JSON.stringify(s.details))}</code></td></tr>`,
    )
    .join('')
}

/**
 * The shared evidence, numbered as the steps refer to it (`chain`, `list`, `anchor`: index from 0,
 * shown as #0, #1, …). Reports stored before evidence was shared have none: their steps hold it.
 */
function evidenceSection(report: VerificationReport, L: (key: string) => string): string {
  const evidence = report.evidence
  if (!evidence) return ''
  const rows = (items: readonly unknown[]) =>
    items.map((item, i) => `<tr><th scope="row">#${i}</th><td><code>${esc(JSON.stringify(item))}</code></td></tr>`).join('')
  return `<section><h2>${L('evidence')}</h2><h3>${L('accreditationChains')}</h3><table>${rows(evidence.accreditationChains)}</table>
<h3>${L('statusLists')}</h3><table>${rows(evidence.statusLists)}</table>
<h3>${L('anchors')}</h3><table>${rows(evidence.anchors)}</table></section>`
}

const fill = (text: string, values: Record<string, string>) => text.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? '')

/** Where a fact comes from, in words: credential n, an absence up to a day, the chain, the officer. */
function sourceOf(fact: ReportFact, report: VerificationReport, lang: Lang): string {
  const n = fact.credentials.map((i) => `#${i + 1}`).join(', ')
  const issuer = (fact.attestedBy ?? fact.credentials.map((i) => report.credentials[i]?.issuer ?? '')).join(', ')
  const source = fact.source ?? 'credential'
  return fill(t(sourceLabels, source, lang), {
    n,
    issuer,
    day: fact.absentThrough ?? '',
    state: report.dublin?.verifierState ?? '',
  })
}

/** The Dublin section: as-of day, status, deadlines, each fact with its source, the missing facts. */
function dublinSection(report: VerificationReport, lang: Lang, L: (key: string) => string): string {
  const d = report.dublin
  const head = d
    ? `<p>${L('asOf')}: <strong>${esc(d.asOf)}</strong> (${L('timeZone')} ${esc(d.timeZone)}${
        d.asOfFixedAt ? `; ${L('asOfFixedAt')} ${esc(d.asOfFixedAt)}` : ''
      }) · ${L('dublinStatus')}: <strong>${esc(
        d.status ?? '—',
      )}</strong>${d.statusAsOf ? ` (${L('statusAsOf')} ${esc(d.statusAsOf)})` : ''} · ${L('responsibleState')}: ${esc(d.responsibleState ?? '—')}</p>
<p>${L('verifierParty')}: ${esc(d.verifierState ?? '—')} — ${L(`role-${d.verifierRole ?? 'none'}`)} · ${L('completeChain')}: ${
        d.completeChain.policy.length === 0
          ? L('completeChainOff')
          : d.completeChain.chainUnbroken
            ? `${L('completeChainApplied')} (${esc(d.completeChain.policy.map((p) => `${p.state}:${p.recordingDelayDays}`).join(', '))})`
            : L('completeChainBroken')
      }</p>
<h3>${L('deadlines')}</h3><table>${
        d.deadlines.length
          ? d.deadlines.map((x) => `<tr><th scope="row">${esc(t(deadlineLabels, x.name, lang))}</th><td>${esc(x.date)}</td></tr>`).join('')
          : `<tr><td>${L('none')}</td></tr>`
      }</table>`
    : ''
  const facts = `<h3>${L('facts')}</h3><table>${report.facts
    .map(
      (f) =>
        `<tr><th scope="row">${esc(f.fact)}</th><td>${esc(JSON.stringify(f.value))}</td><td>${esc(sourceOf(f, report, lang))}</td></tr>`,
    )
    .join('')}</table>`
  const missing = d
    ? `<h3>${L('missingFacts')}</h3><p>${d.missingFacts.length ? d.missingFacts.map(esc).join(', ') : L('none')}</p>`
    : ''
  // facts resting on a complete chain rest on the deployment's commitment, not on a credential
  const commitment = d?.completeChainCommitment ? `<p class="commitment">${L('completeChainCommitment')}</p>` : ''
  // valid credentials whose facts were not used: listed with the reason (reports stored before have none)
  const unused = d?.unusedAttestations?.length
    ? `<h3>${L('unusedAttestations')}</h3><table><tr><th>${L('credential')}</th><th>${L('issuer')}</th><th>${L('issuerState')}</th><th>${L(
        'requestingState',
      )}</th><th>${L('reason')}</th></tr>${d.unusedAttestations
        .map(
          (u) =>
            `<tr><th scope="row">#${esc(u.credential + 1)} ${esc(u.type)}</th><td><code>${esc(
              report.credentials[u.credential]?.issuer ?? '',
            )}</code></td><td>${esc(u.issuerState ?? '—')}</td><td>${esc(u.requestingState ?? '—')}</td><td>${esc(
              t(unusedReasonLabels, u.reason, lang),
            )}</td></tr>`,
        )
        .join('')}</table>`
    : ''
  return `<section><h2>${L('dublin')}</h2>${head}${commitment}${facts}${unused}${missing}`
}

/** The page's only style, inline so that the page stays one self-contained file. */
const REPORT_STYLE =
  'body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.3rem;text-align:left;vertical-align:top}tr.failed{background:#fde8e8}tr.pending,tr.not-established{background:#fff6dd}code{font-size:.8em;word-break:break-all}.statement{border:2px solid #333;padding:1rem}'

/**
 * The Content-Security-Policy served with the page: its one inline style (by hash) and nothing
 * else. Claims of a presented credential end up in the page (escaped); should markup ever slip
 * through, it could neither run a script nor load anything.
 */
export const reportContentSecurityPolicy = htmlContentSecurityPolicy({ inlineStyles: [REPORT_STYLE] })

/** The report as a self-contained HTML page in French, German or English. */
export function renderReportHtml(report: VerificationReport, lang: Lang): string {
  const L = (key: string) => t(labels, key, lang)
  const credentials = report.credentials
    .map(
      (c) => `<section><h2>${L('credential')} ${c.index + 1}: ${esc(c.milestoneType ?? c.types.join(', '))} — ${esc(
        L(c.verdict),
      )}</h2><p>${L('issuer')}: <code>${esc(c.issuer ?? '')}</code></p><table>${stepRows(c.steps, lang)}</table></section>`,
    )
    .join('')
  const assessment = report.assessment
    ? `<table>${report.assessment.explanation
        .map(
          (e) =>
            `<tr><th scope="row">${esc(e.subject)}</th><td>${esc(e.date ?? e.value ?? '')}</td><td>${esc(e.basis)}</td><td>${esc(
              e.calculation ? `${e.calculation.startEvent} ${e.calculation.start} → ${e.calculation.rule} → ${e.calculation.result}` : (e.note ?? ''),
            )}</td></tr>`,
        )
        .join('')}</table><p>${esc(report.assessment.status ?? '')} · ${esc(report.assessment.ruleSet ?? '')}</p>`
    : `<p>${L('noAssessment')}</p>`
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${L('title')} ${esc(report.id)}</title>
<style>${REPORT_STYLE}</style></head><body>
<h1>${L('title')}</h1>
<p><strong>${L('verdict')}: ${esc(L(report.verdict))}</strong>${report.failingStep ? ` — ${L('failingStep')}: ${esc(t(stepLabels, report.failingStep, lang))}` : ''}</p>
<p>${L('checkedAt')}: ${esc(report.checkedAt)} · ${L('statusAge')}: ${report.statusAgeSeconds ?? '—'} ${L('seconds')} (max ${report.statusMaxAgeSeconds} ${L('seconds')})</p>
<p class="statement">${esc(report.statement[lang])}</p>
${credentials}
<section><h2>${L('presentation')}</h2><table>${stepRows(report.presentationSteps, lang)}</table></section>
${evidenceSection(report, L)}
${dublinSection(report, lang, L)}${assessment}</section>
</body></html>`
}
