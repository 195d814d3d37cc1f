import type { ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { relative } from 'node:path'
import { type BootstrapResult, bootstrapPilotStack, pilotBootstrapped } from '../pilot/src/bootstrap/index.ts'
import { availableServices, bootstrapOptionsOf, portOf, spawnService, waitForHealth } from './stack.ts'

// `npm start`: every service of the stack on embedded defaults (SQLite under ./data, the embedded
// ledger node), each as its own process because each is a separate party; prints their URLs once
// every /health answers.
const startupBudgetMs = 60_000
const children = new Map<string, ChildProcess>()
let stopping = false

function stopAll(code: number): void {
  if (stopping) return
  stopping = true
  for (const child of children.values()) child.kill('SIGTERM')
  setTimeout(() => process.exit(code), 3000).unref()
  Promise.all(
    [...children.values()].map((child) => new Promise((resolve) => child.once('exit', resolve))),
  ).then(() => process.exit(code))
}

process.once('SIGINT', () => stopAll(0))
process.once('SIGTERM', () => stopAll(0))

const services = availableServices()
const deadline = Date.now() + startupBudgetMs
for (const service of services) {
  const child = spawnService(service)
  children.set(service.name, child)
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue
    createInterface({ input: stream }).on('line', (line) =>
      process.stdout.write(`[${service.name}] ${line}\n`),
    )
  }
  child.once('exit', (code, signal) => {
    if (stopping) return
    console.error(`[start] ${service.name} exited (${signal ?? code}); stopping the stack`)
    stopAll(1)
  })
  const url = `http://localhost:${portOf(service)}`
  // Start in order: the issuer and verifier read the ledger at start.
  if (!(await waitForHealth(url, deadline))) {
    console.error(
      `[start] ${service.name} did not become healthy at ${url}/health within ${startupBudgetMs / 1000} s`,
    )
    stopAll(1)
    break
  }
}

if (!stopping) {
  console.log('\nFLORA-VC is running:')
  for (const service of services)
    console.log(`  ${service.name.padEnd(9)} http://localhost:${portOf(service)}`)
  console.log('\nGET /health and /openapi.json on each. Ctrl-C stops everything.')
  await bootstrapPilot()
}

/**
 * First start: the pilot trust chain on the embedded ledger, the authorities onboarded as issuer
 * tenants, the anchoring identity and the verifier onboarded, demo accounts seeded — through the
 * services' HTTP APIs. Later starts check the same steps and change nothing. Runs after the health
 * gate; FLORA_PILOT_BOOTSTRAP=false skips it.
 */
async function bootstrapPilot(): Promise<void> {
  const names = new Set(services.map((s) => s.name))
  if (process.env.FLORA_PILOT_BOOTSTRAP === 'false' || !['ledger', 'issuer', 'verifier'].every((n) => names.has(n)))
    return
  const options = bootstrapOptionsOf()
  const first = !pilotBootstrapped(options.dataDir)
  console.log(first ? '\n[pilot] first start: bootstrapping the trust chain and demo accounts…' : '\n[pilot] checking the pilot bootstrap…')
  const started = Date.now()
  let result: BootstrapResult
  try {
    result = await bootstrapPilotStack({
      ...options,
      log: (line) => {
        if (first) console.log(`[pilot] ${line}`)
      },
    })
  } catch (error) {
    if (stopping) return
    console.error(`[pilot] bootstrap failed (the next start resumes it): ${(error as Error).message}`)
    return
  }
  if (stopping) return
  const accountsFile = relative(process.cwd(), result.accountsFile) || result.accountsFile
  console.log(
    `\nThe pilot is ready${result.actions.length ? ` (${result.actions.length} steps in ${((Date.now() - started) / 1000).toFixed(1)} s)` : ' (nothing to do: everything was in place)'}:`,
  )
  console.log(`  Root TAO        ${result.rootTao.did}`)
  console.log(`  authorities     ${Object.keys(result.authorities).length} issuer tenants, accredited on the TIR`)
  console.log(`  verifier        ${result.verifier.did}`)
  console.log(`  anchoring       ${result.anchoring.did}`)
  const { accounts } = JSON.parse(readFileSync(result.accountsFile, 'utf8')) as {
    accounts: { service: string; username: string; role: string; authorityName?: string }[]
  }
  console.log(`\nDemo accounts (passwords in ${accountsFile}, mode 0600):`)
  for (const account of accounts.filter((a) => a.role !== 'admin'))
    console.log(`  ${account.service.padEnd(9)} ${account.username.padEnd(34)} ${account.authorityName ?? 'French Dublin unit'}`)
  console.log(`  (each authority also has <name>.admin@…; the verifier has dublin.admin)`)
  console.log(`\nAdd a site: npm run onboard -- --name "BAMF Außenstelle Bochum" --role BAMF_BRANCH_OFFICE --jurisdiction DE-NW`)
}
