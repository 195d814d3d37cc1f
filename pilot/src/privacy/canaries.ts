import { createHash } from 'node:crypto'
import { keccak256 } from 'ethers'
import { base58btc } from 'multiformats/bases/base58'
import type { SyntheticPerson } from '../synthetic-people.ts'

/**
 * Canary values and their encodings: everything the issuer side knows about a person, each searched
 * in clear and as hex, base64, base64url, base58btc, SHA-256 and Keccak-256 (the digests as hex, as
 * base64/base64url and as raw bytes), so that neither a value nor its hash can hide on the ledger.
 */

export interface Canary {
  /** What the value is (e.g. `case-007 azrNumber`); never the value itself in test output. */
  name: string
  value: string
}

export interface CanaryNeedle {
  canary: string
  encoding: string
  /** Searched in text (JSON, rows): case-insensitive for hex encodings. */
  text: string
  caseInsensitive: boolean
  /** Searched in raw bytes (database file, binary columns). */
  bytes: Buffer
}

/** The canaries of one synthetic person and its case wallet. */
export function canariesOf(label: string, person: SyntheticPerson, holderDid: string): Canary[] {
  const [year, month, day] = person.birthDate.split('-')
  return [
    { name: `${label} givenName`, value: person.givenName },
    { name: `${label} familyName`, value: person.familyName },
    { name: `${label} fullName`, value: `${person.givenName} ${person.familyName}` },
    { name: `${label} birthDate`, value: person.birthDate },
    { name: `${label} birthDate (de)`, value: `${day}.${month}.${year}` },
    { name: `${label} bamfFileNumber`, value: person.bamfFileNumber },
    { name: `${label} azrNumber`, value: person.azrNumber },
    { name: `${label} eurodacReference`, value: person.eurodacReference },
    { name: `${label} holderDid`, value: holderDid },
    { name: `${label} holderDid multibase`, value: holderDid.replace(/^did:key:/, '') },
  ]
}

const hex = (bytes: Buffer) => bytes.toString('hex')

/** Every encoding of one canary. */
export function needlesOf(canary: Canary): CanaryNeedle[] {
  const raw = Buffer.from(canary.value, 'utf8')
  const sha = createHash('sha256').update(raw).digest()
  const keccak = Buffer.from(keccak256(raw).slice(2), 'hex')
  const text = (encoding: string, value: string, caseInsensitive = false): CanaryNeedle => ({
    canary: canary.name,
    encoding,
    text: caseInsensitive ? value.toLowerCase() : value,
    caseInsensitive,
    bytes: Buffer.from(value, 'utf8'),
  })
  const digest = (name: string, bytes: Buffer): CanaryNeedle[] => [
    text(`${name} hex`, hex(bytes), true),
    text(`${name} base64`, bytes.toString('base64')),
    text(`${name} base64url`, bytes.toString('base64url')),
    text(`${name} base58btc`, base58btc.baseEncode(bytes)),
    { canary: canary.name, encoding: `${name} raw`, text: '\u0000never-in-text\u0000', caseInsensitive: false, bytes },
  ]
  return [
    text('clear', canary.value),
    text('hex', hex(raw), true),
    text('base64', raw.toString('base64').replace(/=+$/, '')),
    text('base64url', raw.toString('base64url')),
    text('base58btc', base58btc.baseEncode(raw)),
    ...digest('sha-256', sha),
    ...digest('keccak-256', keccak),
  ]
}

export interface CanaryHit {
  canary: string
  encoding: string
  where: string
}

/** Searches a text (and its bytes) for every needle. */
export function searchText(haystack: string, needles: readonly CanaryNeedle[], where: string): CanaryHit[] {
  const lower = haystack.toLowerCase()
  const hits: CanaryHit[] = []
  for (const needle of needles) {
    const found = needle.caseInsensitive ? lower.includes(needle.text) : haystack.includes(needle.text)
    if (found) hits.push({ canary: needle.canary, encoding: needle.encoding, where })
  }
  return hits
}

/** Searches raw bytes for every needle's bytes (and hex needles case-insensitively via a lower-case copy). */
export function searchBytes(haystack: Buffer, needles: readonly CanaryNeedle[], where: string): CanaryHit[] {
  const lower = Buffer.from(haystack.toString('latin1').toLowerCase(), 'latin1')
  const hits: CanaryHit[] = []
  for (const needle of needles) {
    const found = needle.caseInsensitive ? lower.includes(needle.bytes) : haystack.includes(needle.bytes)
    if (found) hits.push({ canary: needle.canary, encoding: needle.encoding, where })
  }
  return hits
}
