import { type Language, type MessageKey, t } from './i18n/messages.ts'
import type { FieldError } from './schema-form.ts'

const keys: Record<FieldError['key'], MessageKey> = {
  required: 'errRequired',
  date: 'errDate',
  pattern: 'errPattern',
  enum: 'errEnum',
  maxLength: 'errMaxLength',
  integer: 'errInteger',
  minimum: 'errMinimum',
  maximum: 'errMaximum',
  boolean: 'errBoolean',
  notPast: 'errAsOfNotPast',
}

/** The localized inline message of a validation problem. */
export function fieldErrorMessage(lang: Language, error: FieldError): string {
  return t(lang, keys[error.key], error.params)
}
