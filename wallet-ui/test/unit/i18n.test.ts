import { describe, expect, it } from 'vitest'
import { catalogue, defaultLanguage, languages, t } from '../../src/lib/i18n/messages.ts'
import { isLanguage, parseAcceptLanguage, resolveLanguage } from '../../src/lib/i18n/resolve.ts'

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()

describe('message catalogue', () => {
  const reference = Object.keys(catalogue.en).sort()

  it.each(languages)('%s has exactly the same keys as en', (lang) => {
    expect(Object.keys(catalogue[lang]).sort()).toEqual(reference)
  })

  it.each(languages)('%s has no empty message and the same {placeholders} as en', (lang) => {
    for (const key of reference) {
      const text = catalogue[lang][key as keyof typeof catalogue.en]
      expect(text.trim(), `${lang}.${key}`).not.toBe('')
      expect(placeholders(text), `${lang}.${key}`).toEqual(
        placeholders(catalogue.en[key as keyof typeof catalogue.en]),
      )
    }
  })

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(t('en', 'errorStatus', { status: 404 })).toBe('Error 404')
    expect(t('fr', 'errorReference', { id: 'abc' })).toBe('Référence\u00a0: abc')
    expect(t('de', 'errorStatus')).toBe('Fehler {status}')
  })
})

describe('language resolution', () => {
  it('prefers a valid cookie over Accept-Language', () => {
    expect(resolveLanguage({ cookie: 'fr', acceptLanguage: 'en-GB,en;q=0.9' })).toBe('fr')
  })

  it('ignores an unsupported or tampered cookie', () => {
    expect(resolveLanguage({ cookie: 'xx', acceptLanguage: 'en' })).toBe('en')
    expect(resolveLanguage({ cookie: 'EN', acceptLanguage: null })).toBe(defaultLanguage)
  })

  it('falls back to German without cookie or matching header', () => {
    expect(defaultLanguage).toBe('de')
    expect(resolveLanguage({})).toBe('de')
    expect(resolveLanguage({ acceptLanguage: 'it-IT,es;q=0.5' })).toBe('de')
  })

  it('ranks Accept-Language by q, then by order, on the primary subtag', () => {
    expect(parseAcceptLanguage('fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7')).toBe('fr')
    expect(parseAcceptLanguage('it, en;q=0.5, de;q=0.8')).toBe('de')
    expect(parseAcceptLanguage('de-AT')).toBe('de')
    expect(parseAcceptLanguage('EN-us')).toBe('en')
    expect(parseAcceptLanguage('en;q=0.5, fr;q=0.5')).toBe('en')
  })

  it('treats q=0 as a refusal and tolerates junk', () => {
    expect(parseAcceptLanguage('de;q=0, fr;q=0.1')).toBe('fr')
    expect(parseAcceptLanguage('*, en;q=0.1')).toBe('en')
    expect(parseAcceptLanguage(';;,,q=, de;q=abc, en')).toBe('en')
    expect(parseAcceptLanguage('')).toBeUndefined()
    expect(parseAcceptLanguage(undefined)).toBeUndefined()
  })

  it('recognises exactly the supported languages', () => {
    expect(languages.every(isLanguage)).toBe(true)
    for (const value of ['', 'it', 'de-DE', null, 1, undefined]) expect(isLanguage(value)).toBe(false)
  })
})
