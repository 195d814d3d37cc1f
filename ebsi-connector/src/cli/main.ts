#!/usr/bin/env -S npx tsx
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { createDb } from '@flora/db'
import { EbsiClient } from '../client/index.ts'
import { PrismaKeyStore } from '../keys/index.ts'
import {
  bootstrap,
  type CliContext,
  onboard,
  operatorFromFile,
  readState,
  registerSchemas,
  revoke,
  rollKey,
} from './commands.ts'
import { loadCatalogue } from './trust-chain-config.ts'

export const HELP = `flora-ledger — manage the FLORA trust chain on an EBSI-compatible ledger

Usage: flora-ledger <command> [options]

Commands:
  bootstrap --config <file>            Root TAO → TAOs → TIs with accreditedFor; registers the
                                       milestone schemas (from @flora/credentials)
  onboard --key <k> --accreditor <tao> --types <T1,T2> [--role TI|TAO] [--jurisdiction <uri>]
                                       onboard one new authority (e.g. BAMF Chemnitz, NRW)
  register-schema --types <T1,T2>      register milestone schemas in the TSR
  revoke-accreditation --key <k>       the accreditor marks the authority's attribute Revoked
  roll-key --key <k> [--which assertion|controller] [--duration <s>]
                                       rotate a key with rollVerificationMethod

Common options:
  --base-url <url>        EBSI API origin (default $FLORA_LEDGER_URL or http://localhost:4100)
  --operator <file>       the node's operator identity (default ./data/ledger-operator.json)
  --state <file>          CLI state: DIDs, attribute ids, schema URLs (default ./data/trust-chain-state.json)
  --keys-db <url>         database of the encrypted key store (default file:./data/flora-ledger-cli.db)
  --kek <hex>             32-byte key-encryption key (default $FLORA_CLI_KEK)
  -h, --help              show this help

Example:
  flora-ledger bootstrap --config config/pilot-trust-chain.json
  flora-ledger onboard --key bamf-chemnitz-2 --accreditor bamf-hq --types ArrivalCertificateMilestone
`

export async function main(argv: string[], log: (line: string) => void = console.log): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      config: { type: 'string' },
      key: { type: 'string' },
      accreditor: { type: 'string' },
      types: { type: 'string' },
      role: { type: 'string' },
      jurisdiction: { type: 'string' },
      which: { type: 'string' },
      duration: { type: 'string' },
      'base-url': { type: 'string' },
      operator: { type: 'string' },
      state: { type: 'string' },
      'keys-db': { type: 'string' },
      kek: { type: 'string' },
    },
  })
  const command = positionals[0]
  if (values.help || !command) {
    log(HELP)
    return command || values.help ? 0 : 1
  }
  const known = ['bootstrap', 'onboard', 'register-schema', 'revoke-accreditation', 'roll-key']
  if (!known.includes(command)) {
    log(`unknown command "${command}"\n\n${HELP}`)
    return 1
  }
  const kekHex = values.kek ?? process.env.FLORA_CLI_KEK
  if (!kekHex || !/^[0-9a-fA-F]{64}$/.test(kekHex))
    throw new Error('--kek or FLORA_CLI_KEK must be 64 hex digits')
  const db = await createDb({
    service: 'issuer',
    url: values['keys-db'] ?? 'file:./data/flora-ledger-cli.db',
  })
  try {
    const ctx: CliContext = {
      ebsi: new EbsiClient({
        baseUrl: values['base-url'] ?? process.env.FLORA_LEDGER_URL ?? 'http://localhost:4100',
      }),
      keys: new PrismaKeyStore({ db: db.client, kek: Buffer.from(kekHex, 'hex'), owner: 'cli' }),
      statePath: values.state ?? './data/trust-chain-state.json',
      log,
    }
    const types = (values.types ?? '')
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean)
    const need = (name: string, value: string | undefined): string => {
      if (!value) throw new Error(`--${name} is required for ${command}`)
      return value
    }
    switch (command) {
      case 'bootstrap': {
        const operator = await operatorFromFile(ctx.keys, values.operator ?? './data/ledger-operator.json')
        await bootstrap(ctx, operator, JSON.parse(readFileSync(need('config', values.config), 'utf8')))
        break
      }
      case 'onboard':
        await onboard(ctx, {
          key: need('key', values.key),
          accreditorKey: need('accreditor', values.accreditor),
          role: values.role === 'TAO' ? 'TAO' : 'TI',
          types: types.length ? types : [need('types', undefined)],
          limitJurisdiction: values.jurisdiction,
        })
        break
      case 'register-schema': {
        const operator = await operatorFromFile(ctx.keys, values.operator ?? './data/ledger-operator.json')
        await registerSchemas(
          ctx,
          operator,
          types.length ? types : [need('types', undefined)],
          await loadCatalogue(),
        )
        break
      }
      case 'revoke-accreditation':
        await revoke(ctx, need('key', values.key))
        break
      case 'roll-key':
        await rollKey(
          ctx,
          need('key', values.key),
          values.which === 'controller' ? 'controller' : 'assertion',
          Number(values.duration ?? 0),
        )
        break
    }
    log(JSON.stringify(readState(ctx.statePath).entities[values.key ?? ''] ?? { ok: true }))
    return 0
  } finally {
    await db.close()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error((error as Error).message)
      process.exit(1)
    },
  )
}
