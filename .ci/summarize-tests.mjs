// Adds up the vitest JSON reports every package wrote and prints the closing line CI reads.
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const workspaces = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).workspaces
let passed = 0
let failed = 0
let skipped = 0
const missing = []
for (const workspace of workspaces) {
  const report = join(root, workspace, '.vitest-report.json')
  if (!existsSync(report)) {
    missing.push(workspace)
    continue
  }
  const json = JSON.parse(readFileSync(report, 'utf8'))
  passed += json.numPassedTests
  failed += json.numFailedTests
  skipped += json.numPendingTests + json.numTodoTests
  // A suite that failed to load has no failed test but is still a failure.
  failed += json.testResults.filter((file) => file.status === 'failed' && file.assertionResults.length === 0).length
}
if (missing.length) console.log(`no test report from: ${missing.join(', ')}`)
console.log(`${passed} passed, ${failed + missing.length} failed${skipped ? `, ${skipped} skipped` : ''}`)
process.exit(failed + missing.length > 0 ? 1 : 0)
