import { join } from 'node:path'
import { stderrProgress } from '../src/progress.ts'
import { runPilot } from '../src/runner/run-pilot.ts'

// `npm run bench -w @flora/pilot [-- --cases 50 --concurrency 8]`: cases/s end to end on a fresh
// pilot stack, with the split per stage (issue, deliver, present, verify).
const arg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`)
  return at > 0 ? Number(process.argv[at + 1]) : fallback
}
const cases = arg('cases', 50)
const concurrency = arg('concurrency', 8)
const { report } = await runPilot({
  cases,
  seed: 7,
  concurrency,
  out: join(process.cwd(), '../data/pilot-bench'),
  portBase: 4650,
  progress: stderrProgress(),
})
const b = report.benchmark
console.log(`pilot benchmark: ${cases} cases, ${b.credentials} credentials, concurrency ${concurrency}, ${report.summary.matched}/${cases} as expected`)
console.log(`  end to end: ${b.casesPerSecond} cases/s, ${b.credentialsPerSecond} credentials/s (${b.totalMs} ms)`)
console.log(
  `  phases: issue+deliver ${b.phases.issueAndDeliverMs} ms | anchoring wait ${b.phases.anchoringWaitMs} ms | present+verify ${b.phases.presentAndVerifyMs} ms`,
)
for (const [stage, s] of Object.entries(b.stages))
  console.log(`  ${stage.padEnd(8)} ${String(s.meanMsPerCase).padStart(8)} ms/case  ${String(Math.round(s.share * 100)).padStart(3)} %  (sum ${s.totalMs} ms)`)
console.log(`  stack start ${report.stack.startMs} ms, bootstrap ${report.stack.bootstrapMs} ms (not counted)`)
process.exit(report.summary.mismatched === 0 ? 0 : 1)
