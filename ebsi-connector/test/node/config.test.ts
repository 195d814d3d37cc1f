import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { isDidEbsi } from '../../src/core/index.ts'
import { loadLedgerConfig } from '../../src/node/config.ts'

describe('ledger node configuration', () => {
  const dirs: string[] = []
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  })
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'flora-ledger-config-'))
    dirs.push(dir)
    return dir
  }

  it('generates a 0600 key-encryption key and an operator identity on embedded defaults, once', () => {
    const dir = tempDir()
    const first = loadLedgerConfig({ FLORA_LEDGER_DATA_DIR: dir })
    expect(first.warnings).toHaveLength(2)
    expect(statSync(join(dir, 'ledger.kek')).mode & 0o777).toBe(0o600)
    expect(statSync(join(dir, 'ledger-operator.json')).mode & 0o777).toBe(0o600)
    expect(first.config.databaseUrl).toBe(`file:${join(dir, 'ledger.db')}`)
    expect(isDidEbsi(first.config.operator?.did)).toBe(true)
    const second = loadLedgerConfig({ FLORA_LEDGER_DATA_DIR: dir })
    expect(second.warnings).toEqual([])
    expect(second.config.keyEncryptionKey.equals(first.config.keyEncryptionKey)).toBe(true)
    expect(second.config.operator).toEqual(first.config.operator)
    expect(
      JSON.parse(readFileSync(join(dir, 'ledger-operator.json'), 'utf8')).secp256k1PrivateKeyHex,
    ).toMatch(/^0x[0-9a-f]{64}$/)
  })

  it('takes a configured KEK and operator, and reports every invalid variable', () => {
    const dir = tempDir()
    const { config, warnings } = loadLedgerConfig({
      FLORA_LEDGER_DATA_DIR: dir,
      FLORA_LEDGER_KEY_ENCRYPTION_KEY: 'ab'.repeat(32),
      FLORA_LEDGER_OPERATOR_DID: 'did:ebsi:zZeKyEJfUTGwajhNyNX928z',
      FLORA_LEDGER_OPERATOR_PUBLIC_KEY: '0x02' + '11'.repeat(32),
      FLORA_LEDGER_OUTBOUND_ALLOWLIST: 'status.example, 127.0.0.1',
    })
    expect(warnings).toEqual([])
    expect(config.operator?.did).toBe('did:ebsi:zZeKyEJfUTGwajhNyNX928z')
    expect(config.outboundAllowlist).toEqual(['status.example', '127.0.0.1'])
    expect(() =>
      loadLedgerConfig({
        FLORA_LEDGER_PORT: 'x',
        FLORA_LEDGER_KEY_ENCRYPTION_KEY: 'short',
        FLORA_LEDGER_DATA_DIR: dir,
      }),
    ).toThrow(/FLORA_LEDGER_PORT[\s\S]*FLORA_LEDGER_KEY_ENCRYPTION_KEY/)
  })
})
