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
      dataDir: expect.stringMatching(/\/data$/),
      trustedOrigins: {
        issuer: ['http://localhost:4200'],
        verifier: ['http://localhost:4300'],
        ledger: ['http://localhost:4100'],
      },
      outbound: { timeoutMs: 10_000, maxBytes: 1024 * 1024 },
      trustAnchors: [],
      partyNames: {},
      signInLimits: { window: 900, client: 20, 'account-client': 5 },
    })
  })

  it('extends the trusted origins per role, exactly (localhost and 127.0.0.1 differ), and reads the trust settings', () => {
    const config = loadWalletConfig({
      FLORA_ISSUER_URL: 'http://localhost:4200/',
      FLORA_WALLET_TRUSTED_ISSUER_ORIGINS: 'https://issuer.other.example/path, http://127.0.0.1:4200',
      FLORA_WALLET_TRUSTED_VERIFIER_ORIGINS: 'http://verifier.example:8080',
      FLORA_WALLET_OUTBOUND_TIMEOUT_MS: '2500',
      FLORA_WALLET_OUTBOUND_MAX_BYTES: '65536',
      FLORA_WALLET_TRUST_ANCHORS: 'did:ebsi:zRoot1, did:ebsi:zRoot2',
      FLORA_WALLET_PARTY_NAMES: '{"did:ebsi:zVerifier":"Pôle Dublin"}',
    })
    expect(config.trustedOrigins).toEqual({
      issuer: ['http://localhost:4200', 'https://issuer.other.example', 'http://127.0.0.1:4200'],
      verifier: ['http://localhost:4300', 'http://verifier.example:8080'],
      ledger: ['http://localhost:4100'],
    })
    expect(config.outbound).toEqual({ timeoutMs: 2500, maxBytes: 65536 })
    expect(config.trustAnchors).toEqual(['did:ebsi:zRoot1', 'did:ebsi:zRoot2'])
    expect(config.partyNames).toEqual({ 'did:ebsi:zVerifier': 'Pôle Dublin' })
  })

  it('refuses trust settings it cannot read', () => {
    expect(() =>
      loadWalletConfig({
        FLORA_WALLET_TRUSTED_ISSUER_ORIGINS: 'ftp://x, not a url',
        FLORA_WALLET_TRUST_ANCHORS: 'root',
        FLORA_WALLET_PARTY_NAMES: '{"x":1}',
      }),
    ).toThrow(ConfigInvalid)
  })

  it('reads sign-in limits as name=value pairs and refuses unknown ones', () => {
    expect(loadWalletConfig({ FLORA_WALLET_SIGNIN_THROTTLE: 'client=12' }).signInLimits).toEqual({
      window: 900,
      client: 12,
      'account-client': 5,
    })
    expect(() => loadWalletConfig({ FLORA_WALLET_SIGNIN_THROTTLE: 'account=3' })).toThrow(/FLORA_WALLET_SIGNIN_THROTTLE/)
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
