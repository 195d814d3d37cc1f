import { createPublicKey, type KeyObject, randomBytes } from 'node:crypto'
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { jwkThumbprint } from '../../core/index.ts'
import { NodeKeyNotPinned } from '../errors.ts'
import type { NodeKey } from './node-key.ts'

/**
 * The node's public key as known outside its database: blocks verify only against it, so rows
 * added to the database (another key, re-signed blocks) cannot make a forged chain verify.
 */
export interface PinnedNodeKey {
  kid: string
  publicJwk: { kty: string; crv: string; x: string; y: string }
  publicKey: KeyObject
  /** Where the pin comes from (the variable or the file), for messages. */
  source: string
}

/** The pin file of a data directory (written on first start, beside ledger.kek). */
export const pinFileOf = (dataDir: string) => join(dataDir, 'ledger-node-key.json')

export function pinnedKeyOf(jwk: Record<string, unknown>, source: string): PinnedNodeKey {
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || typeof jwk.x !== 'string' || typeof jwk.y !== 'string')
    throw new Error(`${source} must hold the node's P-256 public JWK`)
  const publicJwk = { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y }
  return {
    kid: jwkThumbprint(publicJwk),
    publicJwk,
    publicKey: createPublicKey({ key: publicJwk, format: 'jwk' }),
    source,
  }
}

/** The pin: the configured JWK, else the pin file when it exists. */
export function readPin(options: {
  configured?: Record<string, unknown>
  file: string
}): PinnedNodeKey | undefined {
  if (options.configured) return pinnedKeyOf(options.configured, 'FLORA_LEDGER_NODE_PUBLIC_JWK')
  if (!existsSync(options.file)) return undefined
  const parsed = JSON.parse(readFileSync(options.file, 'utf8')) as { publicJwk?: Record<string, unknown> }
  return pinnedKeyOf(parsed.publicJwk ?? {}, options.file)
}

/**
 * Writes the pin file for `key`: aside and linked into place, so that it appears whole or not at
 * all and an existing pin is never overwritten.
 */
export function writePinFile(file: string, key: NodeKey): PinnedNodeKey {
  const { kty, crv, x, y } = key.publicJwk
  const publicJwk = { kty, crv, x, y }
  mkdirSync(dirname(file), { recursive: true })
  const aside = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`
  writeFileSync(aside, `${JSON.stringify({ kid: key.kid, publicJwk }, null, 2)}\n`, {
    mode: 0o600,
    flag: 'wx',
  })
  try {
    linkSync(aside, file)
  } finally {
    unlinkSync(aside)
  }
  return pinnedKeyOf(publicJwk, file)
}

/** @throws NodeKeyNotPinned when the key opened from the database is not the pinned one. */
export function requirePinned(key: NodeKey, pin: PinnedNodeKey): void {
  if (key.kid !== pin.kid)
    throw new NodeKeyNotPinned(
      `the node key in the database (${key.kid}) is not the pinned node key (${pin.kid}, ${pin.source}); ` +
        'if this database really is a new ledger for this data directory, remove the pin file',
    )
}
