import type { Db } from '@flora/db'
import { walletConfig } from './config.ts'
import { dbPackage } from './deps.ts'
import { resolveWalletKek } from './kek.ts'

export type WalletDb = Db<'wallet'>
export type WalletClient = WalletDb['client']

let opened: Promise<{ db: WalletDb; kek: Uint8Array }> | undefined

/**
 * The wallet's own database (migrated on first use, at server start) and its key-encryption key,
 * kept outside it (see resolveWalletKek).
 */
export function walletDb(): Promise<{ db: WalletDb; kek: Uint8Array }> {
  opened ??= (async () => {
    const config = walletConfig()
    const { createDb } = await dbPackage()
    const db = await createDb({ service: 'wallet', url: config.databaseUrl })
    try {
      return { db, kek: await resolveWalletKek(db, config.kek, config.dataDir) }
    } catch (error) {
      await db.close().catch(() => {})
      throw error
    }
  })()
  opened.catch(() => {
    opened = undefined
  })
  return opened
}
