// The flora-dublin command line: facts JSON on stdin, assessment JSON on stdout. The argument
// parsing and the run are pure (strings in, strings out) so tests need no subprocess; bin/ only
// wires them to the process.
import { assessDublinCase } from './assess.ts'
import { DublinError } from './errors.ts'
import type { DublinAssessmentOptions } from './options.ts'

export const USAGE = `usage: flora-dublin assess [--roll-forward] [--implicit-anchor replyDeadline|dayAfter]
                           [--cut-off YYYY-MM-DD] [--transition-procedure DUBLIN_III|AMMR]
                           [--holiday-region DE-xx]
  reads the facts of one Dublin case as JSON on stdin, writes the assessment as JSON on stdout`

export type CliResult = { code: number; stdout: string; stderr: string }

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): { options: DublinAssessmentOptions; batch: boolean } {
  const [command, ...rest] = argv
  if (command !== 'assess') throw new UsageError(command ? `unknown command "${command}"` : 'missing command')
  const options: DublinAssessmentOptions = {}
  let batch = false
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!
    const value = () => {
      const v = rest[++i]
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${arg} needs a value`)
      return v
    }
    if (arg === '--roll-forward') options.rollForward = true
    else if (arg === '--implicit-anchor') {
      const v = value()
      if (v !== 'replyDeadline' && v !== 'dayAfter')
        throw new UsageError(`--implicit-anchor must be replyDeadline or dayAfter, not "${v}"`)
      options.implicitAnchor = v
    } else if (arg === '--cut-off') options.cutOff = value()
    else if (arg === '--transition-procedure') {
      const v = value()
      if (v !== 'DUBLIN_III' && v !== 'AMMR')
        throw new UsageError(`--transition-procedure must be DUBLIN_III or AMMR, not "${v}"`)
      options.transitionProcedure = v
    } else if (arg === '--holiday-region') options.holidayRegions = { DE: value() }
    // Undocumented: an array of {facts, options?} in, an array of results out (one process for many
    // cases, used by the time-zone tests).
    else if (arg === '--batch') batch = true
    else throw new UsageError(`unknown option "${arg}"`)
  }
  return { options, batch }
}

function describe(error: unknown): string {
  if (error instanceof DublinError) return `${error.code}: ${error.message}`
  return error instanceof Error ? error.message : String(error)
}

/** Runs the CLI on arguments and stdin text. Exit codes: 0 ok, 1 invalid input, 2 usage. */
export function runDublinCli(argv: readonly string[], stdin: string): CliResult {
  let parsed: ReturnType<typeof parseArgs>
  try {
    parsed = parseArgs(argv)
  } catch (error) {
    return { code: 2, stdout: '', stderr: `flora-dublin: ${describe(error)}\n${USAGE}\n` }
  }
  let input: unknown
  try {
    input = JSON.parse(stdin)
  } catch (error) {
    return { code: 1, stdout: '', stderr: `flora-dublin: stdin is not JSON: ${describe(error)}\n` }
  }
  try {
    if (parsed.batch) {
      if (!Array.isArray(input)) throw new TypeError('--batch expects a JSON array of {facts, options?}')
      const results = input.map((item: { facts: unknown; options?: DublinAssessmentOptions }) => {
        try {
          return { assessment: assessDublinCase(item.facts, { ...item.options, ...parsed.options }) }
        } catch (error) {
          return { error: describe(error) }
        }
      })
      return { code: 0, stdout: `${JSON.stringify(results)}\n`, stderr: '' }
    }
    return {
      code: 0,
      stdout: `${JSON.stringify(assessDublinCase(input, parsed.options), null, 2)}\n`,
      stderr: '',
    }
  } catch (error) {
    return { code: 1, stdout: '', stderr: `flora-dublin: ${describe(error)}\n` }
  }
}
