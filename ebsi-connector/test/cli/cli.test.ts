import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { HELP, main } from '../../src/cli/main.ts'
import { loadCatalogue, trustChainConfig, typesOfChain, typesOfTi } from '../../src/cli/trust-chain-config.ts'

const pilot = JSON.parse(
  readFileSync(new URL('../../config/pilot-trust-chain.json', import.meta.url), 'utf8'),
) as unknown

describe('flora-ledger CLI', () => {
  it('prints help listing every command', async () => {
    const lines: string[] = []
    expect(await main(['--help'], (l) => lines.push(l))).toBe(0)
    for (const command of ['bootstrap', 'onboard', 'register-schema', 'revoke-accreditation', 'roll-key'])
      expect(lines.join('\n')).toContain(command)
    expect(lines[0]).toBe(HELP)
  })

  it('refuses an unknown command', async () => {
    const lines: string[] = []
    expect(await main(['frobnicate'], (l) => lines.push(l))).toBe(1)
    expect(lines[0]).toMatch(/unknown command/)
  })

  it('the committed pilot chain is valid and every TI is accredited only for its role’s milestone types', async () => {
    const config = trustChainConfig.parse(pilot)
    const catalogue = await loadCatalogue(config)
    expect(config.taos.map((t) => t.key)).toEqual(['bamf-hq', 'fr-ministry'])
    const germanTis = config.taos[0]!.tis.map((ti) => ti.key)
    expect(germanTis).toEqual(
      expect.arrayContaining([
        'bamf-dresden',
        'bamf-chemnitz',
        'bamf-leipzig',
        'bamf-dublin-unit',
        'landesdirektion-sachsen',
        'zab-sachsen',
        'bundespolizei',
      ]),
    )
    const frenchUnit = config.taos[1]!.tis[0]!
    expect(typesOfTi(frenchUnit, catalogue)).toEqual([
      'DublinReplyMilestone',
      'DublinReexaminationReplyMilestone',
    ])
    expect(typesOfTi(config.taos[0]!.tis[0]!, catalogue)).toContain('FormalApplicationMilestone')
    expect(typesOfChain(config, catalogue).length).toBeGreaterThan(10)
    for (const type of typesOfChain(config, catalogue))
      expect(catalogue.schemaFor(type)).toHaveProperty('type', 'object')
  })

  it('rejects a TI narrowed to a type its role may not issue', async () => {
    const catalogue = await loadCatalogue()
    expect(() =>
      typesOfTi(
        { key: 'x-y', name: 'x', role: 'FOREIGN_DUBLIN_UNIT', types: ['FormalApplicationMilestone'] },
        catalogue,
      ),
    ).toThrow(/may not issue/)
  })
})
