/**
 * Where to send the reader back to after a form post (e.g. the language switch). Only a path on this
 * site is accepted: "//evil.example" or "/\evil.example" would be read by browsers as another host,
 * which would make the switch an open redirect.
 */
export function safeReturnPath(value: unknown): string {
  if (typeof value !== 'string' || value.length > 2048) return '/'
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/'
  // Control characters (incl. CR/LF) have no place in a Location header.
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0
    if (code < 0x20 || code === 0x7f) return '/'
  }
  return value
}
