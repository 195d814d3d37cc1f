import { parseArgs } from 'node:util'
import type { NewAuthority } from './bootstrap/index.ts'

export interface PilotCliOptions {
  cases: number
  seed: number
  scenarioFiles: string[]
  out: string
  dataDir?: string
  portBase: number
  concurrency: number
  addAuthorities: NewAuthority[]
  help: boolean
}

export const usage = `Usage: npm run pilot -- [options]

  --cases N            synthetic cases to run (default 36; every scenario at least once when N ≥ scenarios)
  --seed S             seed of the generator (default 7): same seed, same cases and outcomes
  --scenario FILE      scenario file (JSON or YAML), repeatable (default pilot/scenarios/france-pilot.yaml)
  --out DIR            output directory (default data/pilot-<seed>): report.json, report.html, credentials/
  --data-dir DIR       the pilot stack's data directory (default <out>/stack)
  --port-base P        ledger on P, issuer on P+1, verifier on P+2 (default 4610)
  --concurrency C      cases in flight (default 8)
  --add-authority SPEC onboard an authority first, e.g. "BAMF Außenstelle Bochum (NRW)";
                       SPEC = name[;role=ROLE][;jurisdiction=DE-XX][;id=slug]. Branch offices
                       (default role BAMF_BRANCH_OFFICE) then receive cases like Dresden, Chemnitz, Leipzig.
  -h, --help

Exit code 0 when every case matches its scenario's expectation, 1 otherwise, 2 on bad usage.`

/** German Länder as written in parentheses after an office name (ISO 3166-2:DE). */
const laender: Record<string, string> = {
  NRW: 'DE-NW', NW: 'DE-NW', BW: 'DE-BW', BY: 'DE-BY', BB: 'DE-BB', BE: 'DE-BE', HB: 'DE-HB', HH: 'DE-HH',
  HE: 'DE-HE', MV: 'DE-MV', NI: 'DE-NI', RP: 'DE-RP', SH: 'DE-SH', SL: 'DE-SL', SN: 'DE-SN', ST: 'DE-ST', TH: 'DE-TH',
}

/** `"BAMF Außenstelle Bochum (NRW)"` or `"name;role=…;jurisdiction=…;id=…"` → the authority to onboard. */
export function parseAuthoritySpec(spec: string): NewAuthority {
  const [name, ...pairs] = spec.split(';').map((part) => part.trim())
  if (!name) throw new TypeError('--add-authority needs a name')
  const fields = Object.fromEntries(
    pairs.map((pair) => {
      const at = pair.indexOf('=')
      if (at < 1) throw new TypeError(`--add-authority: "${pair}" is not key=value`)
      return [pair.slice(0, at), pair.slice(at + 1)]
    }),
  )
  for (const key of Object.keys(fields))
    if (!['role', 'jurisdiction', 'id'].includes(key)) throw new TypeError(`--add-authority: unknown field "${key}"`)
  const land = /\(([A-Za-z]{2,3})\)\s*$/.exec(name)?.[1]?.toUpperCase()
  const jurisdiction = fields.jurisdiction ?? (land ? laender[land] : undefined)
  if (!jurisdiction) throw new TypeError(`--add-authority: give ;jurisdiction=DE-XX or a Land in parentheses, e.g. "(NRW)"`)
  return {
    name,
    role: (fields.role ?? 'BAMF_BRANCH_OFFICE') as NewAuthority['role'],
    jurisdiction,
    ...(fields.id ? { id: fields.id } : {}),
  }
}

const positiveInt = (name: string, value: string | undefined, fallback: number, min = 1) => {
  if (value === undefined) return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < min) throw new TypeError(`--${name} must be an integer ≥ ${min}`)
  return n
}

export function parsePilotArgs(argv: string[]): PilotCliOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      cases: { type: 'string' },
      seed: { type: 'string' },
      scenario: { type: 'string', multiple: true },
      out: { type: 'string' },
      'data-dir': { type: 'string' },
      'port-base': { type: 'string' },
      concurrency: { type: 'string' },
      'add-authority': { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  })
  const seed = positiveInt('seed', values.seed, 7, 0)
  return {
    cases: positiveInt('cases', values.cases, 36),
    seed,
    scenarioFiles: values.scenario ?? [],
    out: values.out ?? `data/pilot-${seed}`,
    ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
    portBase: positiveInt('port-base', values['port-base'], 4610, 1024),
    concurrency: positiveInt('concurrency', values.concurrency, 8),
    addAuthorities: (values['add-authority'] ?? []).map(parseAuthoritySpec),
    help: values.help ?? false,
  }
}
