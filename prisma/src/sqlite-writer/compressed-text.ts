import { deflateRawSync, inflateRawSync } from 'node:zlib'

/**
 * Large text values (reports of a whole case) stored deflated: `z:` + base64 of raw deflate at
 * level 1, which shrinks a JSON report about tenfold for a fraction of the cost of higher levels.
 * Values without the prefix are stored as they are, so a column may hold both.
 */
const PREFIX = 'z:'

export function compressText(text: string): string {
  return `${PREFIX}${deflateRawSync(text, { level: 1 }).toString('base64')}`
}

/** The text of a value stored by {@link compressText}, or the value itself when stored plain. */
export function readStoredText(stored: string): string {
  return stored.startsWith(PREFIX)
    ? inflateRawSync(Buffer.from(stored.slice(PREFIX.length), 'base64')).toString('utf8')
    : stored
}
