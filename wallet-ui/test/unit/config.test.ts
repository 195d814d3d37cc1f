import { describe, expect, it } from 'vitest'
import { ConfigInvalid, loadWalletConfig } from '../../src/lib/server/config.ts'

describe('wallet-ui config', () => {
  it('has the documented defaults', () => {
    expect(loadWalletConfig({})).toEqual({
      host: '127.0.0.1',
      port: 4400,
      publicUrl: 'http://localhost:4400',
      services: {
        issuer: 'http://localhost:4200',
        verifier: 'http://localhost:4300',
        ledger: 'http://localhost:4100',
      },
      databaseUrl: expect.stringMatching(/^file:.*wallet\.db$/),
      kek: undefined,
    })
  })

  it('reads every variable, coerces the port and trims trailing slashes', () => {
    const config = loadWalletConfig({
      FLORA_WALLET_HOST: '0.0.0.0',
      FLORA_WALLET_PORT: '8443',
      FLORA_WALLET_PUBLIC_URL: 'https://wallet.pilot.example/',
      FLORA_ISSUER_URL: 'http://issuer:4200//',
      FLORA_VERIFIER_URL: 'http://verifier:4300',
      FLORA_LEDGER_URL: 'http://ledger:4100',
    })
    expect(config).toMatchObject({ host: '0.0.0.0', port: 8443, publicUrl: 'https://wallet.pilot.example' })
    expect(config.services).toEqual({
      issuer: 'http://issuer:4200',
      verifier: 'http://verifier:4300',
      ledger: 'http://ledger:4100',
    })
  })

  it('treats an empty variable as unset', () => {
    expect(loadWalletConfig({ FLORA_WALLET_PORT: '', FLORA_ISSUER_URL: '' })).toMatchObject({
      port: 4400,
      services: { issuer: 'http://localhost:4200' },
    })
  })

  it('reports every problem at once', () => {
    let caught: unknown
    try {
      loadWalletConfig({
        FLORA_WALLET_PORT: '70000',
        FLORA_VERIFIER_URL: 'not a url',
        FLORA_LEDGER_URL: 'ftp://x',
      })
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(ConfigInvalid)
    const problems = (caught as ConfigInvalid).problems.join('\n')
    expect(problems).toMatch(/FLORA_WALLET_PORT/)
    expect(problems).toMatch(/FLORA_VERIFIER_URL/)
    expect(problems).toMatch(/FLORA_LEDGER_URL/)
  })
})
