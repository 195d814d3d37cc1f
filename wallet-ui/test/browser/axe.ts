import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { AxeResults, Result } from 'axe-core'
import type { Page } from 'playwright-core'

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

/**
 * Runs axe-core in the page. Evaluated through the DevTools protocol, so the app's strict CSP
 * (no inline scripts) stays on while we test.
 */
export async function axeViolations(page: Page): Promise<Result[]> {
  await page.evaluate(axeSource)
  const results = await page.evaluate(() =>
    (
      window as unknown as { axe: { run: (context: Document, options: object) => Promise<AxeResults> } }
    ).axe.run(document, { resultTypes: ['violations'] }),
  )
  return results.violations
}

export const isSeriousOrWorse = (violation: Result) =>
  violation.impact === 'serious' || violation.impact === 'critical'

export const describeViolations = (violations: Result[]) =>
  violations
    .map(
      (v) => `${v.id} (${v.impact}): ${v.help}\n    at ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`,
    )
    .join('\n')
