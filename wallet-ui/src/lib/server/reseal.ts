import type { WalletClient } from './db.ts'
import { connectorPackage } from './deps.ts'
import { seal, serviceTokenContext, unseal } from './seal.ts'

/** A Prisma interactive transaction on the wallet database. */
export type WalletTransaction = Parameters<Parameters<WalletClient['$transaction']>[0]>[0]

/**
 * The tables whose rows hold what the key-encryption key sealed (StoredKey: the holder keys and any
 * other tenant's private keys; WalletSession: the staff's service tokens) or, in an older database,
 * the key itself (ServiceSetting). A rotation rewrites their rows and then scrubs their files.
 */
export const SEALED_TABLES = ['StoredKey', 'WalletSession', 'ServiceSetting'] as const

/** How many sealed values a rotation found, by what became of them (counts only: nothing personal). */
export interface ResealReport {
  privateKeys: { resealed: number; alreadyUnderNewKey: number; unreadable: number }
  sessions: { resealed: number; alreadyUnderNewKey: number; dropped: number }
}

/**
 * Seals every value of the wallet database that `from` sealed again under `to`, in the caller's
 * transaction. A value that `from` does not open but `to` does is left as it is (sealed under `to`
 * already: an earlier configured key, or a rotation that did not finish).
 *
 * - A private key that neither opens is left untouched and counted: no key the wallet holds ever
 *   opened it, so keeping it exposes nothing, and deleting a case's holder key cannot be undone.
 * - A session that neither opens, or that has expired, is deleted: its staff member signs in again.
 */
export async function resealAll(tx: WalletTransaction, from: Uint8Array, to: Uint8Array, now = new Date()): Promise<ResealReport> {
  const { openPrivateKey, sealPrivateKey } = await connectorPackage()
  const report: ResealReport = {
    privateKeys: { resealed: 0, alreadyUnderNewKey: 0, unreadable: 0 },
    sessions: { resealed: 0, alreadyUnderNewKey: 0, dropped: 0 },
  }

  const keys = await tx.storedKey.findMany({ select: { kid: true, owner: true, encryptedPrivateKey: true } })
  for (const { kid, owner, encryptedPrivateKey } of keys) {
    const context = { kid, owner }
    const privateKey = attempt(() => openPrivateKey(from, encryptedPrivateKey, context))
    if (privateKey) {
      await tx.storedKey.update({
        where: { kid },
        data: { encryptedPrivateKey: sealPrivateKey(to, privateKey, context) },
      })
      privateKey.fill(0)
      report.privateKeys.resealed++
    } else if (attempt(() => openPrivateKey(to, encryptedPrivateKey, context)))
      report.privateKeys.alreadyUnderNewKey++
    else report.privateKeys.unreadable++
  }

  report.sessions.dropped += (await tx.walletSession.deleteMany({ where: { expiresAt: { lt: now } } })).count
  const sessions = await tx.walletSession.findMany({ select: { id: true, sealedServiceToken: true } })
  for (const { id, sealedServiceToken } of sessions) {
    const context = serviceTokenContext(id)
    const token = attempt(() => unseal(from, sealedServiceToken, context))
    if (token !== undefined) {
      await tx.walletSession.update({ where: { id }, data: { sealedServiceToken: seal(to, token, context) } })
      report.sessions.resealed++
    } else if (attempt(() => unseal(to, sealedServiceToken, context)) !== undefined)
      report.sessions.alreadyUnderNewKey++
    else {
      await tx.walletSession.delete({ where: { id } })
      report.sessions.dropped++
    }
  }
  return report
}

/** What `open` returns, or undefined when it throws (wrong key, tampered, malformed). */
function attempt<T>(open: () => T): T | undefined {
  try {
    return open()
  } catch {
    return undefined
  }
}
