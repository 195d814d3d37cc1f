#!/usr/bin/env -S npx tsx
import { readFileSync, realpathSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { createDb, type ServiceName } from '@flora/db'
import { EbsiClient } from '../client/index.ts'
import { PrismaKeyStore } from '../keys/index.ts'
import {
  acceptOnboarding,
  bootstrap,
  type CliContext,
  check,
  exportPublicKeys,
  type OnboardingBundle,
  onboard,
  operatorFromFile,
  parsePublicKeys,
  readState,
  registerSchemas,
  revoke,
  rollKey,
} from './commands.ts'
import { loadCatalogue } from './trust-chain-config.ts'

export const HELP = `flora-ledger — manage the FLORA trust chain on an EBSI-compatible ledger
(the embedded node, or EBSI itself with --base-url https://api-pilot.ebsi.eu)

Usage: flora-ledger <command> [options]

Commands (run by the chain's operator/accreditors; keys in the CLI's encrypted store):
  bootstrap --config <file>
      Root TAO (authorised by the operator) → TAOs → TIs, each TI accredited for its catalogue
      role's milestone types; registers every milestone schema on the TSR.
  onboard --key <k> --accreditor <tao> (--authority-role <ROLE> | --types <T1,T2>)
          [--name <text>] [--role TI|TAO|LE] [--jurisdiction <uri>]
      Onboard one new authority (e.g. BAMF Chemnitz, an NRW office): new keys + DID, accredited by
      the TAO. --role LE: onboarded in the DID Registry only (e.g. a verifier), no accreditation.
  onboard ... --public-keys <file> [--bundle <out>]
      Same for an authority that holds its own keys ({"did"?, "controllerKey": secp256k1 JWK,
      "assertionKey": P-256 JWK}): the CLI does the accreditor's part and writes a bundle the
      subject completes with accept-onboarding.
  register-schema --types <T1,T2>
      Register milestone schemas (from @flora/credentials) on the TSR (tsr_write via the TPR).
  revoke-accreditation --key <k>
      The accreditor marks the authority's TIR attribute Revoked.
  roll-key --key <k> [--which assertion|controller] [--duration <s>]
      Rotate a key with rollVerificationMethod (old and new overlap for --duration seconds).
  check --key <k> [--types <T1,T2>]
      DID document keys, attribute issuerType and the accreditation-chain walk up to the Root TAO.

Commands run by an authority that holds its own keys (with ITS key database):
  export-public-keys --key-owner <owner> --out <file> [--did <did>] [--create]
                     [--controller-kid <kid>] [--assertion-kid <kid>]
  accept-onboarding --bundle <file> --key-owner <owner>
      Sign and send its own onboarding (didr_invite/didr_write) and accreditation (tir_invite).

Common options:
  --base-url <url>        EBSI API origin (default $FLORA_LEDGER_URL or http://localhost:4100)
  --operator <file>       the node's operator identity (default ./data/ledger-operator.json)
  --state <file>          CLI state: DIDs, attribute ids, schema URLs (default ./data/trust-chain-state.json)
  --keys-db <url>         key database (default file:./data/flora-ledger-cli.db)
  --keys-service <name>   schema of that database: ledger|issuer|verifier|wallet (default ledger)
  --kek <hex>             32-byte key-encryption key of that database (default $FLORA_CLI_KEK)
  -h, --help              show this help

Examples:
  flora-ledger bootstrap --config config/pilot-trust-chain.json
  flora-ledger onboard --key bamf-bochum --name "BAMF Außenstelle Bochum (NRW)" \\
      --accreditor bamf-hq --authority-role BAMF_BRANCH_OFFICE
  flora-ledger roll-key --key bamf-dresden --which assertion
  flora-ledger revoke-accreditation --key bamf-leipzig
  flora-ledger check --key bamf-dresden --types FormalApplicationMilestone
`

const COMMANDS = [
  'bootstrap',
  'onboard',
  'register-schema',
  'revoke-accreditation',
  'roll-key',
  'check',
  'export-public-keys',
  'accept-onboarding',
] as const

export async function main(argv: string[], log: (line: string) => void = console.log): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      config: { type: 'string' },
      key: { type: 'string' },
      name: { type: 'string' },
      accreditor: { type: 'string' },
      types: { type: 'string' },
      role: { type: 'string' },
      'authority-role': { type: 'string' },
      jurisdiction: { type: 'string' },
      'public-keys': { type: 'string' },
      bundle: { type: 'string' },
      which: { type: 'string' },
      duration: { type: 'string' },
      'key-owner': { type: 'string' },
      out: { type: 'string' },
      did: { type: 'string' },
      create: { type: 'boolean' },
      'controller-kid': { type: 'string' },
      'assertion-kid': { type: 'string' },
      'base-url': { type: 'string' },
      operator: { type: 'string' },
      state: { type: 'string' },
      'keys-db': { type: 'string' },
      'keys-service': { type: 'string' },
      kek: { type: 'string' },
    },
  })
  const command = positionals[0]
  if (values.help || !command) {
    log(HELP)
    return command || values.help ? 0 : 1
  }
  if (!(COMMANDS as readonly string[]).includes(command)) {
    log(`unknown command "${command}"\n\n${HELP}`)
    return 1
  }
  const need = (name: string, value: string | undefined): string => {
    if (!value) throw new Error(`--${name} is required for ${command}`)
    return value
  }
  const list = (value: string | undefined) =>
    (value ?? '')
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean)
  const kekHex = values.kek ?? process.env.FLORA_CLI_KEK
  if (!kekHex || !/^[0-9a-fA-F]{64}$/.test(kekHex))
    throw new Error('--kek or FLORA_CLI_KEK must be 64 hex digits')
  const service = (values['keys-service'] ?? 'ledger') as ServiceName
  if (!['ledger', 'issuer', 'verifier', 'wallet'].includes(service))
    throw new Error('--keys-service must be ledger, issuer, verifier or wallet')
  // any service schema carries the StoredKey model; the CLI's own file uses the ledger's
  const db = await createDb({ service, url: values['keys-db'] ?? 'file:./data/flora-ledger-cli.db' })
  try {
    const keys = new PrismaKeyStore({ db: db.client, kek: Buffer.from(kekHex, 'hex'), owner: 'cli' })
    const bundle =
      command === 'accept-onboarding'
        ? (JSON.parse(readFileSync(need('bundle', values.bundle), 'utf8')) as OnboardingBundle)
        : undefined
    const ctx: CliContext = {
      ebsi: new EbsiClient({
        baseUrl:
          values['base-url'] ?? bundle?.ledger ?? process.env.FLORA_LEDGER_URL ?? 'http://localhost:4100',
      }),
      keys,
      statePath: values.state ?? './data/trust-chain-state.json',
      log,
    }
    const operator = () => operatorFromFile(keys, values.operator ?? './data/ledger-operator.json')
    switch (command) {
      case 'bootstrap':
        await bootstrap(
          ctx,
          await operator(),
          JSON.parse(readFileSync(need('config', values.config), 'utf8')),
        )
        log(JSON.stringify(readState(ctx.statePath), null, 2))
        return 0
      case 'onboard': {
        const role = (values.role ?? 'TI').toUpperCase()
        if (role !== 'TI' && role !== 'TAO' && role !== 'LE') throw new Error('--role must be TI, TAO or LE')
        const authorityRole = values['authority-role']
        let types = list(values.types)
        if (authorityRole) {
          const catalogue = await loadCatalogue()
          const allowed = catalogue.typesForRole(authorityRole)
          const refused = types.filter((t) => !allowed.includes(t))
          if (refused.length) throw new Error(`${authorityRole} may not issue ${refused.join(', ')}`)
          if (types.length === 0) types = allowed
        }
        if (role !== 'LE' && types.length === 0) throw new Error('--authority-role or --types is required')
        const record = await onboard(ctx, {
          key: need('key', values.key),
          name: values.name,
          accreditorKey: need('accreditor', values.accreditor),
          role,
          authorityRole,
          types,
          limitJurisdiction: values.jurisdiction,
          publicKeys: values['public-keys']
            ? parsePublicKeys(JSON.parse(readFileSync(values['public-keys'], 'utf8')))
            : undefined,
          bundlePath: values.bundle,
        })
        log(JSON.stringify(record, null, 2))
        return 0
      }
      case 'register-schema': {
        const types = list(values.types)
        if (types.length === 0) need('types', undefined)
        const schemas = await registerSchemas(ctx, await operator(), types, await loadCatalogue())
        log(JSON.stringify(Object.fromEntries(types.map((t) => [t, schemas[t]])), null, 2))
        return 0
      }
      case 'revoke-accreditation':
        await revoke(ctx, need('key', values.key))
        return 0
      case 'roll-key': {
        const result = await rollKey(
          ctx,
          need('key', values.key),
          values.which === 'controller' ? 'controller' : 'assertion',
          Number(values.duration ?? 0),
        )
        log(JSON.stringify(result))
        return 0
      }
      case 'check': {
        const types = list(values.types)
        const result = await check(ctx, need('key', values.key), types.length ? types : undefined)
        log(JSON.stringify(result, null, 2))
        return result.keysMatch && result.chains.every((c) => c.ok) ? 0 : 2
      }
      case 'export-public-keys': {
        const publicKeys = await exportPublicKeys(keys.forOwner(need('key-owner', values['key-owner'])), {
          did: values.did,
          controllerKid: values['controller-kid'],
          assertionKid: values['assertion-kid'],
          create: values.create,
        })
        writeFileSync(need('out', values.out), `${JSON.stringify(publicKeys, null, 2)}\n`)
        log(`wrote the public keys of ${values['key-owner']} to ${values.out}`)
        return 0
      }
      case 'accept-onboarding': {
        const subject = await acceptOnboarding(
          ctx.ebsi,
          keys.forOwner(need('key-owner', values['key-owner'])),
          bundle!,
          log,
        )
        log(JSON.stringify({ did: subject.did }))
        return 0
      }
    }
    return 1
  } finally {
    await db.close()
  }
}

const invokedDirectly = (() => {
  try {
    return realpathSync(process.argv[1] ?? '') === realpathSync(fileURLToPath(import.meta.url))
  } catch {
    return false
  }
})()

if (invokedDirectly) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error((error as Error).message)
      process.exit(1)
    },
  )
}
