import { randomBytes } from 'node:crypto'
import type { Db } from '@flora/db'
import { walletConfig } from './config.ts'
import { dbPackage } from './deps.ts'

export type WalletDb = Db<'wallet'>
export type WalletClient = WalletDb['client']

let opened: Promise<{ db: WalletDb; kek: Uint8Array }> | undefined

/**
 * The wallet's own database (migrated on first use) and its key-encryption key: from
 * FLORA_WALLET_KEK, or generated once and kept in ServiceSetting (the single-site default).
 */
export function walletDb(): Promise<{ db: WalletDb; kek: Uint8Array }> {
  opened ??= (async () => {
    const config = walletConfig()
    const { createDb } = await dbPackage()
    const db = await createDb({ service: 'wallet', url: config.databaseUrl })
    let kek: Uint8Array
    if (config.kek) kek = Buffer.from(config.kek, 'hex')
    else {
      const key = 'wallet.kek'
      const existing = await db.client.serviceSetting.findUnique({ where: { key } })
      if (!existing)
        await db.client.serviceSetting
          .create({ data: { key, value: randomBytes(32).toString('base64') } })
          .catch(() => undefined) // another process won the race
      const row = await db.client.serviceSetting.findUniqueOrThrow({ where: { key } })
      kek = Buffer.from(row.value, 'base64')
    }
    return { db, kek }
  })()
  opened.catch(() => {
    opened = undefined
  })
  return opened
}
