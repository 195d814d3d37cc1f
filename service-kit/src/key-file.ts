import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs'
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
    // written aside and linked into place: the file appears whole or not at all, and when another
    // process of the same service creates it first, link fails and theirs is used
    const aside = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`
    writeFileSync(aside, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' })
    try {
      linkSync(aside, file)
      created = true
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    } finally {
      unlinkSync(aside)
    }
  }
  chmodSync(file, 0o600)
  const key = decodeKey(readFileSync(file, 'utf8').trim())
  if (!key) throw new Error(`${file} does not hold a 32-byte key (hex or base64)`)
  return { key, created }
}
