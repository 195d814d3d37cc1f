import { defaultLanguage, type Language, languages } from './messages.ts'

/** The cookie that keeps a reader's explicit choice; it wins over the browser's preference. */
export const LANGUAGE_COOKIE = 'flora_lang'
export const LANGUAGE_COOKIE_MAX_AGE = 60 * 60 * 24 * 365

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (languages as readonly string[]).includes(value)
}

/**
 * The best supported language in an Accept-Language header (RFC 9110 §12.5.4): highest q first,
 * header order among equals, matched on the primary subtag (de-AT → de). q=0 means "not this one".
 */
export function parseAcceptLanguage(header: string | null | undefined): Language | undefined {
  if (!header) return undefined
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';')
      const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='))
      const q = qParam === undefined ? 1 : Number(qParam.slice(2))
      return { primary: tag.trim().toLowerCase().split('-')[0] ?? '', q: Number.isFinite(q) ? q : 0, index }
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
  return ranked.map((entry) => entry.primary).find(isLanguage)
}

/** Server-side resolution: the cookie if it holds a supported language, then the header, then German. */
export function resolveLanguage(input: {
  cookie?: string | null | undefined
  acceptLanguage?: string | null | undefined
}): Language {
  if (isLanguage(input.cookie)) return input.cookie
  return parseAcceptLanguage(input.acceptLanguage) ?? defaultLanguage
}
