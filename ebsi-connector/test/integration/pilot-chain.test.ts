import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { createDb } from '@flora/db'
import { type TestDatabase, tempSqliteDatabase } from '@flora/db/testing'
import { credentialSchemaFor, milestonesIssuableBy } from '@flora/credentials'
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type CheckResult, type CliState, readState } from '../../src/cli/commands.ts'
import { main } from '../../src/cli/main.ts'
import { trustChainConfig } from '../../src/cli/trust-chain-config.ts'
import type { EbsiClient } from '../../src/client/index.ts'
import { schemaIdOf } from '../../src/core/index.ts'
import { PrismaKeyStore } from '../../src/keys/index.ts'
import {
  AccreditationRevoked,
  AccreditationSchemaNotCovered,
  AccreditationTypeNotCovered,
  httpAccreditationReader,
  walkAccreditationChain,
} from '../../src/trust/index.ts'
import { type RunningLedger, startLedger } from './helpers/ledger.ts'

const CONFIG = new URL('../../config/pilot-trust-chain.json', import.meta.url)
const DEU = 'https://publications.europa.eu/resource/authority/atu/DEU'
const FRA = 'https://publications.europa.eu/resource/authority/atu/FRA'
const BASE = ['VerifiableCredential', 'VerifiableAttestation']

describe('flora-ledger CLI against the embedded node: the pilot trust chain (config/pilot-trust-chain.json)', () => {
  let ledger: RunningLedger
  let ebsi: EbsiClient
  let dir: string
  let cliKeys: TestDatabase
  let common: string[]
  const kek = randomBytes(32).toString('hex')

  /** Runs one CLI command in process; returns its exit code and output. */
  const cli = async (...args: string[]) => {
    const lines: string[] = []
    const code = await main([...args, ...common], (line) => lines.push(line))
    // progress lines first, the command's JSON result last
    return { code, out: lines.at(-1) ?? '', log: lines.join('\n') }
  }
  const state = (): CliState => readState(join(dir, 'state.json'))
  const checkOf = async (key: string, ...types: string[]) => {
    const { code, out } = await cli(
      'check',
      '--key',
      key,
      ...(types.length ? ['--types', types.join(',')] : []),
    )
    return { code, result: JSON.parse(out) as CheckResult }
  }
  const walk = (key: string, type: string, jurisdiction?: string) => {
    const s = state()
    const record = s.entities[key]!
    return walkAccreditationChain(
      {
        issuer: record.did,
        types: [...BASE, type],
        schemaId:
          s.schemas[type] ??
          ebsi.trustedSchemasRegistry.schemaUrl(schemaIdOf(credentialSchemaFor(type)).multibase),
        termsOfUse: ebsi.trustedIssuersRegistry.attributeUrl(record.did, record.attributeId!),
        ...(jurisdiction ? { jurisdiction } : {}),
      },
      httpAccreditationReader({ allowedOrigins: [ledger.url] }),
      { trustAnchors: [s.entities[s.rootTao!]!.did] },
    )
  }

  beforeAll(async () => {
    ledger = await startLedger()
    ebsi = ledger.client()
    dir = mkdtempSync(join(tmpdir(), 'flora-cli-'))
    cliKeys = tempSqliteDatabase()
    common = [
      '--base-url',
      ledger.url,
      '--operator',
      ledger.operatorFile,
      '--state',
      join(dir, 'state.json'),
      '--keys-db',
      cliKeys.url,
      '--kek',
      kek,
    ]
  }, 30_000)

  afterAll(async () => {
    await ledger?.stop()
    await cliKeys?.dispose()
    rmSync(dir, { recursive: true, force: true })
  })

  it('register-schema puts a catalogue schema on the TSR under its derived id', async () => {
    const { code, out } = await cli('register-schema', '--types', 'FormalApplicationMilestone')
    expect(code).toBe(0)
    const url = (JSON.parse(out) as Record<string, string>).FormalApplicationMilestone!
    const { multibase } = schemaIdOf(credentialSchemaFor('FormalApplicationMilestone'))
    expect(url).toBe(`${ledger.url}/trusted-schemas-registry/v3/schemas/${multibase}`)
    expect(await ebsi.trustedSchemasRegistry.getSchema(multibase)).toEqual(
      JSON.parse(JSON.stringify(credentialSchemaFor('FormalApplicationMilestone'))),
    )
    // another operator's CLI (fresh state file) finds the schema on the ledger and reuses its id
    const lines: string[] = []
    const again = await main(
      [
        'register-schema',
        '--types',
        'FormalApplicationMilestone',
        ...common,
        '--state',
        join(dir, 'other-state.json'),
      ],
      (line) => lines.push(line),
    )
    expect(again).toBe(0)
    expect((JSON.parse(lines.at(-1)!) as Record<string, string>).FormalApplicationMilestone).toBe(url)
  })

  it('bootstrap builds Root TAO → TAO Germany / TAO France → the eight TIs, each accredited only for its types', async () => {
    const { code } = await cli('bootstrap', '--config', CONFIG.pathname)
    expect(code).toBe(0)
    const s = state()
    const config = trustChainConfig.parse(JSON.parse(readFileSync(CONFIG, 'utf8')))
    const root = s.entities[config.rootTao.key]!
    expect(s.rootTao).toBe(config.rootTao.key)
    expect(
      (await ebsi.trustedIssuersRegistry.getAttribute(root.did, root.attributeId!)).attribute,
    ).toMatchObject({
      issuerType: 'RootTAO',
      tao: ledger.operator.did,
    })
    for (const tao of config.taos) {
      const taoRecord = s.entities[tao.key]!
      const { attribute } = await ebsi.trustedIssuersRegistry.getAttribute(
        taoRecord.did,
        taoRecord.attributeId!,
      )
      expect(attribute).toMatchObject({ issuerType: 'TAO', tao: root.did, rootTao: root.did })
      for (const ti of tao.tis) {
        const record = s.entities[ti.key]!
        const expected = ti.types ?? milestonesIssuableBy(ti.role).map((m) => m.type)
        const { attribute: tiAttribute } = await ebsi.trustedIssuersRegistry.getAttribute(
          record.did,
          record.attributeId!,
        )
        expect(tiAttribute).toMatchObject({ issuerType: 'TI', tao: taoRecord.did, rootTao: root.did })
        const vc = (
          decodeJwt(tiAttribute.body) as {
            vc: {
              type: string[]
              issuer: string
              credentialSubject: {
                accreditedFor: { schemaId: string; types: string[]; limitJurisdiction: string }[]
              }
            }
          }
        ).vc
        expect(vc.type).toContain('VerifiableAccreditationToAttest')
        expect(vc.issuer).toBe(taoRecord.did)
        expect(vc.credentialSubject.accreditedFor.map((a) => a.types.at(-1)).sort()).toEqual(
          [...expected].sort(),
        )
        for (const entry of vc.credentialSubject.accreditedFor) {
          expect(entry.limitJurisdiction).toBe(tao.limitJurisdiction)
          const type = entry.types.at(-1)!
          expect(entry.schemaId).toBe(
            ebsi.trustedSchemasRegistry.schemaUrl(schemaIdOf(credentialSchemaFor(type)).multibase),
          )
        }
      }
    }
    expect(Object.keys(s.entities)).toHaveLength(1 + 2 + 8)
    // every accredited type's catalogue schema is on the TSR
    const types = new Set(Object.values(s.entities).flatMap((e) => (e.role === 'TI' ? (e.types ?? []) : [])))
    for (const type of types)
      expect(
        await ebsi.trustedSchemasRegistry.getSchema(schemaIdOf(credentialSchemaFor(type)).multibase),
      ).toHaveProperty('title')
    // idempotent: a second run changes nothing
    expect((await cli('bootstrap', '--config', CONFIG.pathname)).code).toBe(0)
    expect(state()).toEqual(s)
  })

  it('trust walk over the node’s TIR: valid for an accredited TI/type, fails for a type outside its accreditedFor', async () => {
    const chain = await walk('bamf-dresden', 'FormalApplicationMilestone', DEU)
    expect(chain.links.map((l) => l.issuerType)).toEqual(['TI', 'TAO', 'RootTAO'])
    expect(chain.links.map((l) => l.did)).toEqual(
      ['bamf-dresden', 'bamf-hq', 'pilot-root-tao'].map((k) => state().entities[k]!.did),
    )
    expect((await walk('fr-dublin-unit', 'DublinReplyMilestone', FRA)).trustAnchor).toBe(
      state().entities['pilot-root-tao']!.did,
    )
    // Dresden (BAMF_BRANCH_OFFICE) is not accredited for Dublin requests; the French unit's role
    // could issue Dublin requests, but the pilot narrows it to replies
    await expect(walk('bamf-dresden', 'DublinRequestMilestone')).rejects.toBeInstanceOf(
      AccreditationSchemaNotCovered,
    )
    await expect(walk('fr-dublin-unit', 'DublinRequestMilestone')).rejects.toBeInstanceOf(
      AccreditationSchemaNotCovered,
    )
    // same schema, a type the credential claims beyond it
    await expect(
      walkAccreditationChain(
        {
          issuer: state().entities['bamf-dresden']!.did,
          types: [...BASE, 'FormalApplicationMilestone', 'DublinRequestMilestone'],
          schemaId: state().schemas.FormalApplicationMilestone!,
          termsOfUse: ebsi.trustedIssuersRegistry.attributeUrl(
            state().entities['bamf-dresden']!.did,
            state().entities['bamf-dresden']!.attributeId!,
          ),
        },
        httpAccreditationReader(),
        { trustAnchors: [state().entities['pilot-root-tao']!.did] },
      ),
    ).rejects.toBeInstanceOf(AccreditationTypeNotCovered)
    // the CLI's check runs the same walk for every accredited type
    const { code, result } = await checkOf('bamf-dublin-unit')
    expect(code).toBe(0)
    expect(result.keysMatch).toBe(true)
    expect(result.chains.length).toBe(milestonesIssuableBy('BAMF_DUBLIN_UNIT').length)
    expect(result.chains.every((c) => c.ok)).toBe(true)
    expect((await checkOf('bamf-dresden', 'DublinRequestMilestone')).code).toBe(2)
  })

  it('onboard adds "BAMF Außenstelle Bochum (NRW)" with its accreditation — one command, no code change', async () => {
    const { code } = await cli(
      'onboard',
      '--key',
      'bamf-bochum',
      '--name',
      'BAMF Außenstelle Bochum (NRW)',
      '--accreditor',
      'bamf-hq',
      '--authority-role',
      'BAMF_BRANCH_OFFICE',
    )
    expect(code).toBe(0)
    const record = state().entities['bamf-bochum']!
    expect(record).toMatchObject({
      name: 'BAMF Außenstelle Bochum (NRW)',
      role: 'TI',
      accreditor: 'bamf-hq',
      limitJurisdiction: DEU,
      types: milestonesIssuableBy('BAMF_BRANCH_OFFICE').map((m) => m.type),
    })
    const { code: checked, result } = await checkOf('bamf-bochum')
    expect(checked).toBe(0)
    expect(result).toMatchObject({ keysMatch: true, issuerType: 'TI' })
    expect((await walk('bamf-bochum', 'ArrivalCertificateMilestone', DEU)).links).toHaveLength(3)
  })

  it('roll-key: the DID resolves with the old key before the roll and the new one after (valid-at)', async () => {
    const did = state().entities['bamf-bochum']!.did
    const oldKid = state().entities['bamf-bochum']!.assertionKid
    const before = new Date()
    await new Promise((r) => setTimeout(r, 1100))
    const { code, out } = await cli('roll-key', '--key', 'bamf-bochum', '--which', 'assertion')
    expect(code).toBe(0)
    const { newKid } = JSON.parse(out) as { oldKid: string; newKid: string }
    await new Promise((r) => setTimeout(r, 1100))
    const after = new Date()
    const then = await ebsi.didRegistry.resolve(did, { validAt: before })
    const now = await ebsi.didRegistry.resolve(did, { validAt: after })
    expect(then.assertionMethod).toEqual([`${did}#${oldKid}`])
    expect(now.assertionMethod).toEqual([`${did}#${newKid}`])
    expect(now.verificationMethod?.map((vm) => vm.id)).not.toContain(`${did}#${oldKid}`)
    expect(state().entities['bamf-bochum']!.assertionKid).toBe(newKid)
    // the state follows the ledger: the recorded keys are the DID document's
    expect((await checkOf('bamf-bochum')).result.keysMatch).toBe(true)

    const controllerRoll = await cli('roll-key', '--key', 'bamf-bochum', '--which', 'controller')
    expect(controllerRoll.code).toBe(0)
    expect((await checkOf('bamf-bochum')).result.keysMatch).toBe(true)
  })

  it('revoke-accreditation: the trust walk fails for that TI (and only for it)', async () => {
    expect((await cli('revoke-accreditation', '--key', 'bamf-leipzig')).code).toBe(0)
    await expect(walk('bamf-leipzig', 'FormalApplicationMilestone', DEU)).rejects.toBeInstanceOf(
      AccreditationRevoked,
    )
    const { code, result } = await checkOf('bamf-leipzig')
    expect(code).toBe(2)
    expect(result.issuerType).toBe('Revoked')
    expect(result.chains.every((c) => !c.ok && c.error?.startsWith('ERR_ACCREDITATION_REVOKED'))).toBe(true)
    expect((await walk('bamf-dresden', 'FormalApplicationMilestone', DEU)).links).toHaveLength(3)
  })

  it('onboard --public-keys: a service that holds its own keys is onboarded and accredited; it signs its own steps', async () => {
    // the subjects' own key databases (a verifier's, an issuer authority's), with their own KEKs
    const services = [
      {
        key: 'fr-verifier',
        owner: 'verifier-identity',
        service: 'verifier',
        args: ['--accreditor', 'fr-ministry', '--role', 'LE'],
      },
      {
        key: 'bamf-essen',
        owner: 'bamf-essen',
        service: 'issuer',
        args: ['--accreditor', 'bamf-hq', '--authority-role', 'BAMF_BRANCH_OFFICE'],
      },
    ] as const
    for (const subject of services) {
      const database = tempSqliteDatabase()
      const subjectKek = randomBytes(32).toString('hex')
      const own = (...args: string[]) =>
        main(
          [...args, '--keys-db', database.url, '--keys-service', subject.service, '--kek', subjectKek],
          () => {},
        )
      try {
        const keysFile = join(dir, `${subject.key}-keys.json`)
        const bundleFile = join(dir, `${subject.key}-bundle.json`)
        // 1. the subject exports its public keys (creating them in its store)
        expect(
          await own('export-public-keys', '--key-owner', subject.owner, '--create', '--out', keysFile),
        ).toBe(0)
        expect(readFileSync(keysFile, 'utf8')).not.toMatch(/"d"/)
        // 2. the accreditor's CLI prepares: onboarding authorisation, pre-registration, bundle
        const prepared = await cli(
          'onboard',
          '--key',
          subject.key,
          ...subject.args,
          '--public-keys',
          keysFile,
          '--bundle',
          bundleFile,
        )
        expect(prepared.code).toBe(0)
        expect(state().entities[subject.key]).toMatchObject({ external: true, pending: true })
        expect((await checkOf(subject.key)).result.keysMatch).toBe(false)
        // 3. the subject signs and sends its own onboarding and accreditation, with its own keys
        expect(
          await main(
            [
              'accept-onboarding',
              '--bundle',
              bundleFile,
              '--key-owner',
              subject.owner,
              '--keys-db',
              database.url,
              '--keys-service',
              subject.service,
              '--kek',
              subjectKek,
            ],
            () => {},
          ),
        ).toBe(0)
        // 4. the accreditor checks: keys on the ledger are the subject's, the chain walks
        const { code, result } = await checkOf(subject.key)
        expect(code).toBe(0)
        expect(result.keysMatch).toBe(true)
        expect(state().entities[subject.key]!.pending).toBeUndefined()
        // the CLI never held a private key of the subject
        const cliDb = await createDb({ service: 'ledger', url: cliKeys.url })
        try {
          const store = new PrismaKeyStore({
            db: cliDb.client,
            kek: Buffer.from(kek, 'hex'),
            owner: subject.key,
          })
          expect(await store.listKeys()).toEqual([])
        } finally {
          await cliDb.close()
        }
        // and the CLI refuses to sign for it
        await expect(cli('roll-key', '--key', subject.key)).rejects.toThrow(/holds its own keys/)
      } finally {
        await database.dispose()
      }
    }
    expect(state().entities['bamf-essen']).toMatchObject({ role: 'TI', accreditor: 'bamf-hq' })
    expect((await walk('bamf-essen', 'FormalApplicationMilestone', DEU)).links).toHaveLength(3)
    const verifier = state().entities['fr-verifier']!
    expect(verifier.attributeId).toBeUndefined()
    expect((await ebsi.didRegistry.resolve(verifier.did)).assertionMethod).toEqual([
      `${verifier.did}#${verifier.assertionKid}`,
    ])
  })

  it('the flora-ledger binary runs as a separate process against the node', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        '--import',
        'tsx',
        new URL('../../src/cli/main.ts', import.meta.url).pathname,
        'check',
        '--key',
        'bamf-dresden',
        '--types',
        'FormalApplicationMilestone',
        ...common,
      ],
      { cwd: join(import.meta.dirname, '../..') },
    )
    expect((JSON.parse(stdout) as CheckResult).chains[0]).toMatchObject({
      type: 'FormalApplicationMilestone',
      ok: true,
    })
  })
})
