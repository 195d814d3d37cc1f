export {
  catalogue,
  defaultLanguage,
  type Language,
  languageNames,
  languages,
  type MessageKey,
  type Messages,
  t,
} from './messages.ts'
export {
  isLanguage,
  LANGUAGE_COOKIE,
  LANGUAGE_COOKIE_MAX_AGE,
  parseAcceptLanguage,
  resolveLanguage,
} from './resolve.ts'
