import { createHmac } from 'node:crypto'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { basename, join, relative, resolve } from 'node:path'
import { bootstrapPilotStack, type NewAuthority, onboardAuthority } from '../bootstrap/index.ts'
import { defaultBranchOffices, generateCases, type PlannedCase } from '../generate.ts'
import { type Progress, silentProgress } from '../progress.ts'
import { renderReportHtml } from '../report/html.ts'
import { buildPilotReport, type PilotReport } from '../report/model.ts'
import { defaultScenarioFile, loadScenarios, runnableFrom, scenariosRunnableOn } from '../scenarios/load.ts'
import { pilotAccessFromAccounts } from './access.ts'
import { executeCases } from './execute.ts'
import { pilotStackUrls, type RunningPilotStack, stackIsRunning, startPilotStack } from './stack.ts'
import { ensureUnaccreditedAuthority, UNACCREDITED_AUTHORITY_ID } from './unaccredited.ts'

export interface RunPilotOptions {
  cases: number
  seed: number
  scenarioFiles?: string[]
  /** Output directory (report.json, report.html, credentials/). */
  out: string
  /** The stack's data directory (default `<out>/stack`; emptied first when the pilot starts the stack). */
  dataDir?: string
  portBase?: number
  concurrency?: number
  /** Authorities to onboard before the run; `BAMF_BRANCH_OFFICE` ones join the offices cases are spread across. */
  addAuthorities?: NewAuthority[]
  progress?: Progress
  log?: (line: string) => void
  /** Keep the stack running after the run (the caller stops it). */
  keepStack?: boolean
}

export interface RunPilotResult {
  report: PilotReport
  outDir: string
  stack: RunningPilotStack | undefined
  plans: PlannedCase[]
}

/**
 * `npm run pilot`: starts the pilot stack unless it already runs, bootstraps the trust chain,
 * generates the cases, runs them over the services' APIs and writes report.json, report.html and
 * the issued credentials.
 */
export async function runPilot(options: RunPilotOptions): Promise<RunPilotResult> {
  const log = options.log ?? (() => {})
  const progress = options.progress ?? silentProgress
  const outDir = resolve(options.out)
  const dataDir = resolve(options.dataDir ?? join(outDir, 'stack'))
  const loaded = loadScenarios(options.scenarioFiles?.length ? options.scenarioFiles : [defaultScenarioFile])
  const runDate = new Date().toISOString().slice(0, 10)
  if (runDate < loaded.settledBy)
    throw new Error(`the scenarios are settled from ${loaded.settledBy}; today (${runDate}) is earlier`)
  const { runnable, deferred } = scenariosRunnableOn(loaded.scenarios, runDate)
  for (const s of deferred) log(`scenario ${s.id} deferred until ${runnableFrom(s)} (today: ${runDate}): its as-of day or an absence it attests is not over yet`)
  if (!runnable.length) throw new Error(`no scenario can run on ${runDate}`)

  const urls = pilotStackUrls(options.portBase)
  const started = performance.now()
  let stack: RunningPilotStack | undefined
  const reuse = await stackIsRunning(urls)
  if (reuse) log(`using the pilot stack already running at ${urls.ledgerUrl}, ${urls.issuerUrl}, ${urls.verifierUrl}`)
  else {
    rmSync(dataDir, { recursive: true, force: true })
    log(`starting ledger, issuer and verifier (data: ${relative(process.cwd(), dataDir) || dataDir})`)
    stack = await startPilotStack({ dataDir, portBase: options.portBase })
  }
  const stackReadyAt = performance.now()
  try {
    const bootstrap = await bootstrapPilotStack({ dataDir, ...urls, log: (line) => log(`bootstrap: ${line}`) })
    const offices: string[] = [...defaultBranchOffices]
    for (const authority of options.addAuthorities ?? []) {
      const added = await onboardAuthority({ dataDir, ...urls }, authority)
      log(`onboarded ${added.name} (${added.id}) ${added.did}`)
      bootstrap.authorities[added.id] = added
      if (authority.role === 'BAMF_BRANCH_OFFICE' && !offices.includes(added.id)) offices.push(added.id)
    }
    const unaccredited = await ensureUnaccreditedAuthority({ dataDir, ...urls })
    const names = Object.fromEntries(Object.values(bootstrap.authorities).map((a) => [a.id, a.name]))
    names[UNACCREDITED_AUTHORITY_ID] = 'Testbehörde – Akkreditierung außerhalb der Pilot-Vertrauenskette (Fehlerfall)'
    const access = await pilotAccessFromAccounts(urls, bootstrap.accountsFile, names)
    access.issuerTokens[UNACCREDITED_AUTHORITY_ID] = unaccredited.token
    const bootstrappedAt = performance.now()

    const plans = generateCases({ cases: options.cases, seed: options.seed, scenarios: runnable, offices })
    // On a stack that already holds an earlier run's cases, the same holder keys would collide: salt them.
    const runKey = reuse ? `pilot-${options.seed}-${Date.now().toString(36)}` : `pilot-${options.seed}`
    const runPlans = reuse ? plans.map((p) => ({ ...p, holderKeySeed: saltedSeed(p.holderKeySeed, runKey) })) : plans
    const executed = await executeCases(access, runPlans, {
      progress,
      runKey,
      concurrency: options.concurrency ?? 8,
    })

    mkdirSync(outDir, { recursive: true })
    const credentialsDir = join(outDir, 'credentials')
    rmSync(credentialsDir, { recursive: true, force: true })
    const files = new Map<string, string>()
    for (const c of executed.cases) {
      if (!c.credentials.length) continue
      const dir = join(credentialsDir, c.label)
      mkdirSync(dir, { recursive: true })
      for (const credential of c.credentials) {
        const file = join(dir, `${String(credential.event + 1).padStart(2, '0')}-${credential.type}.jwt`)
        writeFileSync(file, `${credential.jwt}\n`)
        files.set(credential.credentialId, relative(outDir, file))
      }
    }
    const report = buildPilotReport({
      seed: options.seed,
      scenarioFiles: loaded.files.map((f) => basename(f)),
      settledBy: loaded.settledBy,
      offices,
      runDate,
      scenarios: loaded.scenarios,
      deferred: deferred.map((s) => s.id),
      executed,
      files,
      authorityNames: names,
      authorityDids: {
        ...Object.fromEntries(Object.values(bootstrap.authorities).map((a) => [a.id, a.did])),
        [UNACCREDITED_AUTHORITY_ID]: unaccredited.did,
      },
      stack: {
        ...urls,
        startedByPilot: !reuse,
        startMs: stackReadyAt - started,
        bootstrapMs: bootstrappedAt - stackReadyAt,
        trustAnchor: bootstrap.rootTao.did,
        verifierDid: bootstrap.verifier.did,
      },
      concurrency: options.concurrency ?? 8,
    })
    writeFileSync(join(outDir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`)
    writeFileSync(join(outDir, 'report.html'), renderReportHtml(report))
    if (!options.keepStack) await stack?.stop()
    return { report, outDir, stack: options.keepStack ? stack : undefined, plans }
  } catch (error) {
    await stack?.stop()
    throw error
  }
}

const saltedSeed = (seed: string, salt: string) => createHmac('sha256', Buffer.from(seed, 'hex')).update(salt).digest('hex')
