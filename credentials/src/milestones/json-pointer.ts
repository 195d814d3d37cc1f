/** RFC 6901 JSON pointers: the small subset the catalogue needs (internal, not exported publicly). */

/** Escapes one reference token (`~` → `~0`, `/` → `~1`). */
export function escapePointerToken(token: string): string {
  return token.replaceAll('~', '~0').replaceAll('/', '~1')
}

/** Splits a pointer into unescaped tokens; `''` is the whole document. */
export function pointerTokens(pointer: string): string[] {
  if (pointer === '') return []
  if (!pointer.startsWith('/')) throw new TypeError(`"${pointer}" is not a JSON pointer`)
  return pointer
    .slice(1)
    .split('/')
    .map((token) => token.replaceAll('~1', '/').replaceAll('~0', '~'))
}

/** Reads the value at `pointer` in plain JSON data; `undefined` when any step is missing. */
export function readPointer(document: unknown, pointer: string): unknown {
  let current: unknown = document
  for (const token of pointerTokens(pointer)) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined
    if (!Object.hasOwn(current, token)) return undefined
    current = (current as Record<string, unknown>)[token]
  }
  return current
}
