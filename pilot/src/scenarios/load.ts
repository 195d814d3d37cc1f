import { readFileSync } from 'node:fs'
import { dirname, extname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse as parseYaml } from 'yaml'
import type { z } from 'zod'
import { type Scenario, type ScenarioFile, scenarioFile } from './schema.ts'

/** A scenario file that does not validate; the message names every failing path. */
export class ScenarioFileInvalid extends Error {
  readonly code = 'ERR_SCENARIO_FILE_INVALID'
  constructor(
    readonly file: string,
    readonly issues: { path: string; message: string }[],
  ) {
    super(`${file}: ${issues.map((issue) => `${issue.path || '/'}: ${issue.message}`).join('; ')}`)
    this.name = 'ScenarioFileInvalid'
  }
}

/** The committed scenarios of the France pilot. */
export const defaultScenarioFile = join(dirname(fileURLToPath(import.meta.url)), '../../scenarios/france-pilot.yaml')

const pathOf = (issue: z.core.$ZodIssue) => `/${issue.path.map(String).join('/')}`

/** Parses and validates a scenario document (already read). */
export function parseScenarioFile(text: string, name: string): ScenarioFile {
  let data: unknown
  try {
    data = extname(name).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text)
  } catch (error) {
    throw new ScenarioFileInvalid(name, [{ path: '', message: `not ${extname(name) === '.json' ? 'JSON' : 'YAML'}: ${(error as Error).message}` }])
  }
  const result = scenarioFile.safeParse(data)
  if (!result.success)
    throw new ScenarioFileInvalid(
      name,
      result.error.issues.map((issue) => ({ path: pathOf(issue), message: issue.message })),
    )
  return result.data
}

/** Reads and validates scenario files; scenarios of several files are concatenated (ids must stay unique). */
export function loadScenarios(files: readonly string[] = [defaultScenarioFile]): {
  scenarios: Scenario[]
  settledBy: string
  files: string[]
} {
  const scenarios: Scenario[] = []
  let settledBy = '0000-01-01'
  for (const file of files) {
    const parsed = parseScenarioFile(readFileSync(file, 'utf8'), file)
    for (const s of parsed.scenarios) {
      if (scenarios.some((existing) => existing.id === s.id))
        throw new ScenarioFileInvalid(file, [{ path: '/scenarios', message: `scenario id "${s.id}" already loaded` }])
      scenarios.push(s)
    }
    if (parsed.settledBy > settledBy) settledBy = parsed.settledBy
  }
  return { scenarios, settledBy, files: [...files] }
}

/**
 * The first day a scenario can run: its as-of day (the verifier assesses no day after today), and
 * the day after each absence attestation's as-of day (its milestone date): an absence can only be
 * attested once the day it speaks of is over, so the issuer signs it from the next day on.
 */
export function runnableFrom(scenario: Scenario): string | undefined {
  const dayAfter = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)
  const days = [
    ...(scenario.asOf ? [scenario.asOf] : []),
    ...scenario.events.filter((e) => e.type.endsWith('AbsenceMilestone')).map((e) => dayAfter(e.date)),
  ].sort()
  return days.at(-1)
}

/** Splits scenarios into those that can run on `runDate` and those deferred until a later day. */
export function scenariosRunnableOn(scenarios: readonly Scenario[], runDate: string): { runnable: Scenario[]; deferred: Scenario[] } {
  const runnable: Scenario[] = []
  const deferred: Scenario[] = []
  for (const s of scenarios) ((runnableFrom(s) ?? runDate) > runDate ? deferred : runnable).push(s)
  return { runnable, deferred }
}
