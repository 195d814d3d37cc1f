import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { WalletDb } from './db.ts'
import { serviceKitPackage } from './deps.ts'

/** Where earlier versions kept the generated key-encryption key: in the database it protects. */
export const LEGACY_KEK_SETTING = 'wallet.kek'
export const KEK_FILE = 'wallet.kek'

/**
 * The wallet's key-encryption key, never from the database it protects: FLORA_WALLET_KEK, or the
 * key file `<data dir>/wallet.kek` (0600, generated on first start). A key an earlier version kept
 * in the database moves into the file (or must equal the configured one) and leaves the database,
 * so an existing data directory keeps opening its sealed keys and tokens.
 * @throws when the database holds a different key than the file or the configuration (fail closed:
 *   one of them would leave sealed data unreadable; an operator keeps one by hand)
 */
export async function resolveWalletKek(db: WalletDb, configuredHex: string | undefined, dataDir: string): Promise<Uint8Array> {
  const file = join(dataDir, KEK_FILE)
  const legacy = await db.client.serviceSetting.findUnique({ where: { key: LEGACY_KEK_SETTING } })
  const legacyKey = legacy ? Buffer.from(legacy.value, 'base64') : undefined
  let key: Buffer
  if (configuredHex) key = Buffer.from(configuredHex, 'hex')
  else {
    if (legacyKey && !existsSync(file)) {
      mkdirSync(dirname(file), { recursive: true })
      writeFileSync(file, legacyKey.toString('hex'), { mode: 0o600, flag: 'wx' })
    }
    const { loadOrCreateKeyFile } = await serviceKitPackage()
    key = loadOrCreateKeyFile(file).key
  }
  if (legacyKey) {
    if (!legacyKey.equals(key))
      throw new Error(
        `the wallet database holds a key-encryption key (ServiceSetting ${LEGACY_KEK_SETTING}) that differs from ${configuredHex ? 'FLORA_WALLET_KEK' : file}; keep one by hand`,
      )
    await db.client.serviceSetting.deleteMany({ where: { key: LEGACY_KEK_SETTING } })
  }
  return key
}
