import { relative, resolve } from 'node:path'
import { parsePilotArgs, type PilotCliOptions, usage } from './cli-args.ts'
import { stderrProgress } from './progress.ts'
import type { PilotReport } from './report/model.ts'
import { runPilot } from './runner/run-pilot.ts'

// `npm run pilot -- …` (run from the repository root; paths are relative to it).

function summary(report: PilotReport, out: string): string {
  const s = report.summary
  const b = report.benchmark
  const lines = [
    '',
    `FLORA-VC France pilot — ${s.cases} synthetic cases, seed ${report.generator.seed}, assessed as of ${report.runDate}`,
    '',
    'scenario                                    cases  as expected',
    ...Object.entries(s.byScenario).map(([id, v]) => `  ${id.padEnd(42)}${String(v.cases).padStart(5)}  ${v.matched === v.cases ? 'yes' : `NO (${v.cases - v.matched} differ)`}`),
    '',
    `verdicts: ${Object.entries(s.verdicts).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    `Dublin:   ${Object.entries(s.statuses).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    `as expected: ${s.matched}/${s.cases}${s.mismatched ? `  — ${s.mismatched} DIFFER` : ''}`,
    '',
    `throughput: ${b.casesPerSecond} cases/s end to end (${b.credentials} credentials, ${b.credentialsPerSecond}/s; concurrency ${b.concurrency}; ${b.totalMs} ms)`,
    `  per case: ${Object.entries(b.stages).map(([k, v]) => `${k} ${v.meanMsPerCase} ms (${Math.round(v.share * 100)} %)`).join(', ')}`,
    `  phases:   issue+deliver ${b.phases.issueAndDeliverMs} ms, anchoring wait ${b.phases.anchoringWaitMs} ms, present+verify ${b.phases.presentAndVerifyMs} ms`,
    `  stack start ${report.stack.startMs} ms, bootstrap ${report.stack.bootstrapMs} ms`,
    '',
    `report: ${out}/report.html, ${out}/report.json; credentials: ${out}/credentials/`,
  ]
  for (const c of report.cases.filter((x) => !x.matched))
    lines.push(`  ${c.label} (${c.scenarioId}): ${c.error ?? c.mismatches.map((m) => `${m.field} expected ${JSON.stringify(m.expected)} got ${JSON.stringify(m.actual)}`).join('; ')}`)
  return lines.join('\n')
}

async function main(): Promise<number> {
  let options: PilotCliOptions
  try {
    options = parsePilotArgs(process.argv.slice(2))
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`)
    return 2
  }
  if (options.help) {
    console.log(usage)
    return 0
  }
  const started = performance.now()
  const { report, outDir } = await runPilot({
    cases: options.cases,
    seed: options.seed,
    scenarioFiles: options.scenarioFiles.map((f) => resolve(f)),
    out: options.out,
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    portBase: options.portBase,
    concurrency: options.concurrency,
    addAuthorities: options.addAuthorities,
    progress: stderrProgress(),
    log: (line) => console.error(`[pilot] ${line}`),
  })
  console.log(summary(report, relative(process.cwd(), outDir) || '.'))
  console.log(`\ntotal ${((performance.now() - started) / 1000).toFixed(1)} s`)
  return report.summary.mismatched === 0 ? 0 : 1
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`[pilot] failed: ${(error as Error).stack ?? error}`)
    process.exit(2)
  },
)
