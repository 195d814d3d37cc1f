import { randomBytes } from 'node:crypto'
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs'
import { dirname } from 'node:path'
import { serviceKitPackage } from './deps.ts'

/*
 * Key files a key rotation writes. A rotation is only as safe as the order in which its key reaches
 * the disk: these return once the file (and its directory entry) is flushed, so that "written, then
 * the database committed" still holds after a power cut, not only after a process crash.
 */

/** The 32-byte key in `file` (hex or base64, as service-kit's key files), or undefined when there is no file. */
export async function readKeyFile(file: string): Promise<Buffer | undefined> {
  if (!existsSync(file)) return undefined
  const { decodeKey } = await serviceKitPackage()
  const key = decodeKey(readFileSync(file, 'utf8').trim())
  if (!key) throw new Error(`${file} does not hold a 32-byte key (hex or base64)`)
  return key
}

/**
 * Writes `key` (hex, mode 0600) to `file`, replacing the file there: written aside and flushed,
 * renamed into place (the file is whole or absent, never half-written), the directory flushed.
 */
export function writeKeyFileDurably(file: string, key: Uint8Array): void {
  mkdirSync(dirname(file), { recursive: true })
  const aside = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`
  try {
    const fd = openSync(aside, 'wx', 0o600)
    try {
      writeSync(fd, Buffer.from(key).toString('hex'))
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    renameSync(aside, file)
  } catch (error) {
    if (existsSync(aside)) unlinkSync(aside)
    throw error
  }
  syncDirectory(dirname(file))
}

/** Removes `file` (nothing when it is not there) and flushes its directory. */
export function removeFileDurably(file: string): void {
  try {
    unlinkSync(file)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return
    throw error
  }
  syncDirectory(dirname(file))
}

function syncDirectory(directory: string): void {
  const fd = openSync(directory, 'r')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}
