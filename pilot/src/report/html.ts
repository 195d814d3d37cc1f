import type { PilotReport, ReportCase } from './model.ts'

/**
 * report.html: one self-contained page (inline CSS and SVG, no script, no external asset), in French
 * and German — a switch at the top shows one language; every label exists in both.
 */

const escapeHtml = (value: unknown) =>
  String(value ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;')

/** A label in both languages. */
const t = (fr: string, de: string) => `<span lang="fr">${escapeHtml(fr)}</span><span lang="de">${escapeHtml(de)}</span>`

const statusLabel: Record<string, [string, string]> = {
  AWAITING_REQUEST: ['requête à envoyer', 'Gesuch ausstehend'],
  AWAITING_REPLY: ['en attente de réponse', 'Antwort ausstehend'],
  REEXAMINATION_POSSIBLE: ['réexamen possible', 'Remonstration möglich'],
  REQUEST_TIME_BARRED: ['requête tardive (forclose)', 'Gesuch verfristet'],
  TRANSFER_PENDING: ['transfert en attente', 'Überstellung ausstehend'],
  TRANSFER_EXECUTED: ['transfert effectué', 'Überstellung durchgeführt'],
  TRANSFER_EXECUTED_LATE: ['transfert effectué hors délai', 'Überstellung verspätet'],
  TRANSFER_DEADLINE_EXPIRED: ['délai de transfert expiré', 'Überstellungsfrist abgelaufen'],
  REEXAMINATION_CLOSED_NO_REPLY: ['réexamen clos sans réponse', 'Remonstration ohne Antwort beendet'],
  REJECTED_FINAL: ['rejet définitif', 'endgültig abgelehnt'],
  INSUFFICIENT_EVIDENCE: ['preuves insuffisantes', 'Nachweise unzureichend'],
}
const verdictLabel: Record<string, [string, string]> = {
  valid: ['valide', 'gültig'],
  invalid: ['invalide', 'ungültig'],
  indeterminate: ['indéterminé', 'unbestimmt'],
  error: ['erreur', 'Fehler'],
}
const stageLabel: Record<string, [string, string]> = {
  issue: ['émission', 'Ausstellung'],
  deliver: ['remise (OpenID4VCI)', 'Zustellung (OpenID4VCI)'],
  present: ['présentation (OpenID4VP)', 'Vorlage (OpenID4VP)'],
  verify: ['vérification', 'Prüfung'],
}
const label = (table: Record<string, [string, string]>, key: string) => (table[key] ? t(...table[key]!) : escapeHtml(key))

const palette = ['#1d4ed8', '#059669', '#d97706', '#7c3aed', '#dc2626', '#0891b2', '#65a30d', '#be185d', '#475569']

/** Horizontal bar chart (SVG). */
function barChart(rows: { label: string; value: number; color?: string }[], unit = ''): string {
  const max = Math.max(1, ...rows.map((r) => r.value))
  const rowHeight = 22
  const labelWidth = 300
  const width = 640
  const height = rows.length * rowHeight + 10
  const bars = rows
    .map((r, i) => {
      const w = Math.max(1, ((width - labelWidth - 70) * r.value) / max)
      const y = 5 + i * rowHeight
      return `<text x="${labelWidth - 6}" y="${y + 14}" text-anchor="end">${escapeHtml(r.label)}</text><rect x="${labelWidth}" y="${y + 3}" width="${w.toFixed(1)}" height="${rowHeight - 6}" fill="${r.color ?? palette[0]}"/><text x="${labelWidth + w + 4}" y="${y + 14}">${escapeHtml(r.value)}${escapeHtml(unit)}</text>`
    })
    .join('')
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" class="chart">${bars}</svg>`
}

/** One stacked bar of the stage split plus its legend (SVG). */
function stackedStages(report: PilotReport): string {
  const stages = Object.entries(report.benchmark.stages)
  const width = 640
  let x = 0
  const parts = stages
    .map(([stage, s], i) => {
      const w = s.share * width
      const rect = `<rect x="${x.toFixed(1)}" y="0" width="${w.toFixed(1)}" height="28" fill="${palette[i]}"><title>${escapeHtml(stage)} ${s.meanMsPerCase} ms</title></rect>`
      x += w
      return rect
    })
    .join('')
  const legend = stages
    .map(
      ([stage, s], i) =>
        `<rect x="${i * 160}" y="40" width="12" height="12" fill="${palette[i]}"/><text x="${i * 160 + 16}" y="51">${escapeHtml(stage)} ${Math.round(s.share * 100)} %</text>`,
    )
    .join('')
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${width}" height="60" viewBox="0 0 ${width} 60" class="chart">${parts}${legend}</svg>`
}

/** Histogram of per-case end-to-end time (SVG). */
function histogram(values: number[]): string {
  if (!values.length) return ''
  const bins = 12
  const max = Math.max(...values)
  const size = max / bins || 1
  const counts = Array.from({ length: bins }, () => 0)
  for (const v of values) counts[Math.min(bins - 1, Math.floor(v / size))]!++
  const top = Math.max(...counts)
  const width = 640
  const height = 160
  const bw = width / bins
  const bars = counts
    .map((c, i) => {
      const h = (c / top) * (height - 40)
      return `<rect x="${(i * bw + 2).toFixed(1)}" y="${(height - 20 - h).toFixed(1)}" width="${(bw - 4).toFixed(1)}" height="${h.toFixed(1)}" fill="${palette[5]}"><title>${Math.round(i * size)}–${Math.round((i + 1) * size)} ms: ${c}</title></rect><text x="${(i * bw + bw / 2).toFixed(1)}" y="${height - 5}" text-anchor="middle">${Math.round((i + 1) * size)}</text>`
    })
    .join('')
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" class="chart">${bars}</svg>`
}

const status = (c: ReportCase) => String(c.verification?.assessment?.status ?? '—')

function caseDetail(c: ReportCase, scenarioTitle: { fr: string; de: string }): string {
  const a = (c.verification?.assessment ?? {}) as Record<string, unknown>
  const deadlines = Object.entries(a).filter(([k, v]) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && k !== 'asOf')
  const credentialRows = c.credentials
    .map((credential, i) => {
      const checks = c.verification?.credentials.find((v) => v.index === c.credentials.filter((x, j) => x.presented && j < i).length)
      const steps = credential.presented && checks ? checks.steps.map((s) => `<span class="step ${escapeHtml(s.outcome)}" title="${escapeHtml(s.reason)}">${escapeHtml(s.step)}</span>`).join(' ') : ''
      return `<tr><td>${credential.event + 1}</td><td>${escapeHtml(credential.type)}</td><td>${escapeHtml(credential.authority)}</td><td>${escapeHtml(credential.milestoneDate)}</td><td>${credential.presented ? t('oui', 'ja') : t('retenu', 'zurückgehalten')}${credential.fault ? ` <b>${escapeHtml(credential.fault)}</b>` : ''}</td><td>${steps}</td></tr>`
    })
    .join('')
  const presentation = (c.verification?.presentationSteps ?? [])
    .map((s) => `<span class="step ${escapeHtml(s.outcome)}" title="${escapeHtml(s.reason)}">${escapeHtml(s.step)}: ${escapeHtml(s.reason)}</span>`)
    .join(' ')
  const mismatches = c.mismatches.length
    ? `<p class="bad">${t('Écarts par rapport au scénario', 'Abweichungen vom Szenario')}: ${c.mismatches.map((m) => `${escapeHtml(m.field)} ${t('attendu', 'erwartet')} ${escapeHtml(JSON.stringify(m.expected))}, ${t('obtenu', 'erhalten')} ${escapeHtml(JSON.stringify(m.actual))}`).join('; ')}</p>`
    : ''
  return `<details id="${escapeHtml(c.label)}"><summary>${escapeHtml(c.label)} — ${t(scenarioTitle.fr, scenarioTitle.de)} ${c.matched ? '<span class="ok">✓</span>' : '<span class="bad">✗</span>'}</summary>
<p>${t('Antenne', 'Außenstelle')}: ${escapeHtml(c.office)} · ${t('Profil du portefeuille', 'Wallet-Profil')}: ${escapeHtml(c.walletProfile)} · ${t('Référence pseudonyme (did:key)', 'Pseudonyme Referenz (did:key)')}: <code>${escapeHtml(c.holderDid)}</code></p>
${c.error ? `<p class="bad">${escapeHtml(c.error)}</p>` : ''}
<table><thead><tr><th>#</th><th>${t('Jalon', 'Meilenstein')}</th><th>${t('Autorité', 'Behörde')}</th><th>${t('Date', 'Datum')}</th><th>${t('Présenté', 'Vorgelegt')}</th><th>${t('Contrôles', 'Prüfschritte')}</th></tr></thead><tbody>${credentialRows}</tbody></table>
<p>${t('Présentation', 'Vorlage')}: ${presentation}</p>
<p>${t('Résultat', 'Ergebnis')}: <b>${label(verdictLabel, c.verification?.verdict ?? 'error')}</b>${c.verification?.failingStep ? ` (${escapeHtml(c.verification.failingStep)})` : ''} · Dublin: <b>${label(statusLabel, status(c))}</b> · ${t('État responsable', 'Zuständiger Staat')}: ${escapeHtml(a.responsibleState ?? '—')} · ${t('Règlement', 'Regelwerk')}: ${escapeHtml(a.ruleSet ?? '—')} · ${t('Évalué au', 'Bewertet zum')}: ${escapeHtml(c.verification?.asOf ?? '—')}${a.statusAsOf ? ` (${t('statut au', 'Status zum')} ${escapeHtml(a.statusAsOf)})` : ''}</p>
<table class="deadlines"><tbody>${deadlines.map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td>${escapeHtml(v)}</td><td>${c.expected.dublin.deadlines[k as keyof typeof c.expected.dublin.deadlines] ? (c.expected.dublin.deadlines[k as keyof typeof c.expected.dublin.deadlines] === v ? '✓' : `✗ ${escapeHtml(c.expected.dublin.deadlines[k as keyof typeof c.expected.dublin.deadlines])}`) : ''}</td></tr>`).join('')}</tbody></table>
${mismatches}
<p class="muted">${t('Durées', 'Dauer')}: ${Object.entries(c.timings).map(([k, v]) => `${escapeHtml(k)} ${v} ms`).join(' · ')}</p>
</details>`
}

export function renderReportHtml(report: PilotReport): string {
  const titles = new Map(report.scenarios.map((s) => [s.id, s.title]))
  const title = (id: string) => titles.get(id) ?? { fr: id, de: id }
  const s = report.summary
  const b = report.benchmark
  const scenarioRows = report.scenarios
    .map((sc) => {
      const stats = s.byScenario[sc.id] ?? { cases: 0, matched: 0 }
      return `<tr><td><code>${escapeHtml(sc.id)}</code></td><td>${t(sc.title.fr, sc.title.de)}</td><td>${escapeHtml(sc.ruleSet)}</td><td>${sc.asOf ? escapeHtml(sc.asOf) : t('jour d’exécution', 'Ausführungstag')}</td><td>${label(verdictLabel, sc.expected.verdict)}${sc.expected.failingStep ? ` (${escapeHtml(sc.expected.failingStep)})` : ''}</td><td>${label(statusLabel, sc.expected.dublin.status)}</td><td>${sc.deferredUntil ? t(`reporté au ${sc.deferredUntil}`, `zurückgestellt bis ${sc.deferredUntil}`) : `${stats.matched}/${stats.cases}`}</td></tr>`
    })
    .join('')
  const caseRows = report.cases
    .map(
      (c) =>
        `<tr class="${c.matched ? '' : 'mismatch'}"><td><a href="#${escapeHtml(c.label)}">${escapeHtml(c.label)}</a></td><td><code>${escapeHtml(c.scenarioId)}</code></td><td>${escapeHtml(c.office)}</td><td>${label(verdictLabel, c.verification?.verdict ?? 'error')}</td><td>${escapeHtml(c.verification?.failingStep ?? '')}</td><td>${label(statusLabel, status(c))}</td><td>${escapeHtml(c.verification?.assessment?.responsibleState ?? '—')}</td><td>${c.matched ? '<span class="ok">✓</span>' : '<span class="bad">✗</span>'}</td></tr>`,
    )
    .join('')
  const outcomeChart = barChart(
    Object.entries(s.statuses).map(([key, value], i) => ({ label: `${statusLabel[key]?.[0] ?? key} / ${statusLabel[key]?.[1] ?? key}`, value, color: palette[i % palette.length] })),
  )
  const verdictChart = barChart(
    Object.entries(s.verdicts).map(([key, value]) => ({
      label: `${verdictLabel[key]?.[0] ?? key} / ${verdictLabel[key]?.[1] ?? key}`,
      value,
      color: key === 'valid' ? palette[1] : key === 'invalid' ? palette[4] : palette[2],
    })),
  )
  const stageChart = barChart(
    Object.entries(b.stages).map(([stage, st], i) => ({ label: `${stageLabel[stage]?.[0]} / ${stageLabel[stage]?.[1]}`, value: st.meanMsPerCase, color: palette[i] })),
    ' ms',
  )
  return `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>FLORA-VC — pilote France / Pilot Frankreich</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:1rem 1.5rem;color:#111}
body:has(#lang-fr:checked) [lang=de]{display:none} body:has(#lang-de:checked) [lang=fr]{display:none}
.banner{background:#fef3c7;border:1px solid #d97706;padding:.5rem .8rem;border-radius:4px}
table{border-collapse:collapse;width:100%;margin:.5rem 0} th,td{border-bottom:1px solid #e5e7eb;padding:3px 6px;text-align:left;vertical-align:top}
tr.mismatch{background:#fee2e2} .ok{color:#059669;font-weight:bold} .bad{color:#dc2626;font-weight:bold} .muted{color:#6b7280}
.step{display:inline-block;border-radius:3px;padding:0 4px;margin:1px;font-size:12px;background:#e5e7eb}
.step.passed{background:#d1fae5} .step.failed{background:#fecaca} .step.pending,.step.not-established{background:#fde68a}
.chart text{font-size:12px} details{border:1px solid #e5e7eb;border-radius:4px;margin:.3rem 0;padding:.3rem .6rem} summary{cursor:pointer}
.switch{float:right} code{font-size:12px}
</style></head><body>
<div class="switch"><label><input type="radio" name="lang" id="lang-fr" checked> Français</label> <label><input type="radio" name="lang" id="lang-de"> Deutsch</label></div>
<h1>${t('FLORA-VC — pilote France : rapport', 'FLORA-VC — Pilot Frankreich: Bericht')}</h1>
<p class="banner">${t(
    'Données de test synthétiques : noms, dates de naissance, numéros de dossier, AZR et Eurodac sont générés et n’appartiennent à aucune personne réelle. Ce rapport étaye l’échange DubliNet mais ne le remplace pas.',
    'Synthetische Testdaten: Namen, Geburtsdaten, Aktenzeichen, AZR- und Eurodac-Nummern sind erzeugt und gehören keiner realen Person. Dieser Bericht unterstützt den DubliNet-Austausch, ersetzt ihn aber nicht.',
  )}</p>
<p>${t('Date d’évaluation', 'Bewertungsdatum')}: ${escapeHtml(report.runDate)} · ${t('graine', 'Seed')} ${escapeHtml(report.generator.seed)} · ${escapeHtml(report.generator.cases)} ${t('cas', 'Fälle')} · ${t('scénarios', 'Szenarien')}: ${escapeHtml(report.generator.scenarioFiles.join(', '))} · ${t('ancre de confiance', 'Vertrauensanker')}: <code>${escapeHtml(report.stack.trustAnchor)}</code></p>
<h2>${t('Synthèse', 'Zusammenfassung')}</h2>
<table><tbody>
<tr><th>${t('Cas', 'Fälle')}</th><td>${s.cases}</td></tr>
<tr><th>${t('Conformes au scénario', 'Wie im Szenario erwartet')}</th><td class="ok">${s.matched}</td></tr>
<tr><th>${t('Écarts', 'Abweichungen')}</th><td class="${s.mismatched ? 'bad' : ''}">${s.mismatched}</td></tr>
<tr><th>${t('Débit de bout en bout', 'Durchsatz Ende-zu-Ende')}</th><td>${b.casesPerSecond} ${t('cas/s', 'Fälle/s')} (${b.credentialsPerSecond} ${t('attestations/s', 'Nachweise/s')}, ${t('concurrence', 'Parallelität')} ${b.concurrency})</td></tr>
</tbody></table>
<h3>${t('Résultats de la vérification', 'Prüfergebnisse')}</h3>${verdictChart}
<h3>${t('Statut Dublin', 'Dublin-Status')}</h3>${outcomeChart}
<h2>${t('Scénarios', 'Szenarien')}</h2>
<table><thead><tr><th>id</th><th>${t('Scénario', 'Szenario')}</th><th>${t('Règlement', 'Regelwerk')}</th><th>${t('Évalué au', 'Bewertet zum')}</th><th>${t('Vérification attendue', 'Erwartete Prüfung')}</th><th>${t('Statut attendu', 'Erwarteter Status')}</th><th>${t('Conformes', 'Erwartungsgemäß')}</th></tr></thead><tbody>${scenarioRows}</tbody></table>
<h2>${t('Performances', 'Leistung')}</h2>
<p>${t('Durée totale', 'Gesamtdauer')} ${b.totalMs} ms — ${t('émission et remise', 'Ausstellung und Zustellung')} ${b.phases.issueAndDeliverMs} ms, ${t('attente de l’ancrage', 'Warten auf Verankerung')} ${b.phases.anchoringWaitMs} ms, ${t('présentation et vérification', 'Vorlage und Prüfung')} ${b.phases.presentAndVerifyMs} ms. ${t('Démarrage', 'Start')} ${report.stack.startMs} ms, ${t('amorçage de la chaîne de confiance', 'Aufbau der Vertrauenskette')} ${report.stack.bootstrapMs} ms.</p>
<h3>${t('Répartition par étape (moyenne par cas)', 'Aufteilung nach Schritt (Mittel je Fall)')}</h3>${stageChart}${stackedStages(report)}
<h3>${t('Durée par cas', 'Dauer je Fall')} (ms)</h3>${histogram(report.cases.map((c) => c.timings.totalMs))}
<h2>${t('Cas', 'Fälle')}</h2>
<table><thead><tr><th>${t('Cas', 'Fall')}</th><th>${t('Scénario', 'Szenario')}</th><th>${t('Antenne', 'Außenstelle')}</th><th>${t('Vérification', 'Prüfung')}</th><th>${t('Étape en échec', 'Fehlgeschlagener Schritt')}</th><th>Dublin</th><th>${t('Responsable', 'Zuständig')}</th><th>${t('Attendu', 'Erwartet')}</th></tr></thead><tbody>${caseRows}</tbody></table>
<h2>${t('Détail par cas', 'Einzelheiten je Fall')}</h2>
${report.cases.map((c) => caseDetail(c, title(c.scenarioId))).join('\n')}
</body></html>
`
}
