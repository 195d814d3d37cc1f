import type { ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { availableServices, portOf, spawnService, waitForHealth } from './stack.ts'

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
}
