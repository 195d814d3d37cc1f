import type { Db } from '@flora/db'
import { type WalletConfig, walletConfig } from './config.ts'
import { dbPackage } from './deps.ts'
import { type ResolveKekOptions, resolveWalletKek } from './kek.ts'

export type WalletDb = Db<'wallet'>
export type WalletClient = WalletDb['client']

let opened: Promise<{ db: WalletDb; kek: Uint8Array }> | undefined

/**
 * The wallet's own database (migrated on first use, at server start) and its key-encryption key,
 * kept outside it (see resolveWalletKek).
 */
export function walletDb(): Promise<{ db: WalletDb; kek: Uint8Array }> {
  opened ??= openWalletDb(walletConfig())
  opened.catch(() => {
    opened = undefined
  })
  return opened
}

/**
 * Opens and migrates the database and resolves its key-encryption key (replacing one an earlier
 * version kept inside). On SQLite, deleted rows are overwritten with zeros from now on
 * (secure_delete): an expired session's sealed token, a deleted case's credentials do not linger in
 * free pages. It does not reach copies of a page the WAL still holds from before the delete.
 */
export async function openWalletDb(
  settings: Pick<WalletConfig, 'databaseUrl' | 'kek' | 'dataDir'>,
  options: Omit<ResolveKekOptions, 'schema'> = {},
): Promise<{ db: WalletDb; kek: Uint8Array }> {
  const { createDb, parseDatabaseUrl } = await dbPackage()
  const db = await createDb({ service: 'wallet', url: settings.databaseUrl })
  try {
    if (db.provider === 'sqlite') await db.client.$queryRawUnsafe('PRAGMA secure_delete = ON')
    const { schema } = parseDatabaseUrl('wallet', settings.databaseUrl)
    const kek = await resolveWalletKek(db, settings.kek, settings.dataDir, {
      ...options,
      ...(schema ? { schema } : {}),
    })
    return { db, kek }
  } catch (error) {
    await db.close().catch(() => {})
    throw error
  }
}
