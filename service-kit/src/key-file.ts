import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { decodeKey } from './config.ts'

/**
 * The key-encryption key of a service on embedded defaults: read from `file`, or generated into it
 * (mode 0600) on first start. It lives beside the database, never in it, so a copied database alone
 * does not open the private keys; production sets the key through the environment (or an HSM).
 */
export function loadOrCreateKeyFile(file: string): { key: Buffer; created: boolean } {
  let created = false
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' })
    created = true
  }
  chmodSync(file, 0o600)
  const key = decodeKey(readFileSync(file, 'utf8').trim())
  if (!key) throw new Error(`${file} does not hold a 32-byte key (hex or base64)`)
  return { key, created }
}
