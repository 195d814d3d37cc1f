import { type DeclaredFact, isIsoDate } from '@flora/credentials'
import type { MessageKey } from './i18n/messages.ts'

// Today in a time zone is the monitor's helper, so the workspace and the issuer count days alike.
export { todayIn } from '@flora/credentials'
export type { DeclaredFact }

/**
 * The verifier workspace's request form: the as-of day of the assessment and, when the verifying
 * state is a party to the case, what its officer declares about the reply (docs/DUBLIN-ABSENCE.md
 * §3(c), §4). Pure, so the page's action and the unit tests share it.
 */

/** What the officer may declare about the reply to the Dublin request. */
export const declaredReplyChoices = ['', 'none', 'acceptance', 'rejection'] as const
export type DeclaredReplyChoice = (typeof declaredReplyChoices)[number]

export interface VerifyFormValues {
  eurodacReference: string
  asOf: string
  declaredReply: DeclaredReplyChoice
  declaredReplyDate: string
}

export interface VerifyFormResult {
  values: VerifyFormValues
  /** Message key per field in error. */
  errors: Partial<Record<keyof VerifyFormValues, MessageKey>>
  /** What to send to the verifier (only when there is no error). */
  request?: { eurodacReference?: string; asOf: string; declaredFacts?: DeclaredFact[] }
}

/** A calendar date YYYY-MM-DD that exists. */
export const isCalendarDate = (value: string): boolean => isIsoDate(value)

/**
 * Reads and checks the form. The as-of day defaults to `today` and may not lie after it; a declared
 * day may not lie after the as-of day. `none` declares that no reply was sent or received up to the
 * day given (`reply: { notBy }`); acceptance or rejection declares the reply of that day.
 */
export function parseVerifyForm(form: FormData, today: string): VerifyFormResult {
  const text = (name: string) => String(form.get(name) ?? '').trim()
  const reply = text('declaredReply')
  const values: VerifyFormValues = {
    eurodacReference: text('eurodacReference'),
    asOf: text('asOf') || today,
    declaredReply: (declaredReplyChoices as readonly string[]).includes(reply)
      ? (reply as DeclaredReplyChoice)
      : '',
    declaredReplyDate: text('declaredReplyDate'),
  }
  const errors: VerifyFormResult['errors'] = {}
  if (values.eurodacReference && !/^[A-Za-z0-9 ]{1,40}$/.test(values.eurodacReference))
    errors.eurodacReference = 'errPattern'
  if (!isCalendarDate(values.asOf)) errors.asOf = 'errDate'
  else if (values.asOf > today) errors.asOf = 'errAsOfFuture'
  if (reply && !values.declaredReply) errors.declaredReply = 'errPattern'
  if (values.declaredReply) {
    if (!values.declaredReplyDate) errors.declaredReplyDate = 'errRequired'
    else if (!isCalendarDate(values.declaredReplyDate)) errors.declaredReplyDate = 'errDate'
    else if (!errors.asOf && values.declaredReplyDate > values.asOf)
      errors.declaredReplyDate = 'errDeclaredAfterAsOf'
  }
  if (Object.keys(errors).length) return { values, errors }
  const declaredFacts =
    values.declaredReply === 'none'
      ? [{ fact: 'reply', value: { notBy: values.declaredReplyDate } }]
      : values.declaredReply
        ? [{ fact: 'reply', value: { type: values.declaredReply, received: values.declaredReplyDate } }]
        : undefined
  return {
    values,
    errors,
    request: {
      ...(values.eurodacReference ? { eurodacReference: values.eurodacReference } : {}),
      asOf: values.asOf,
      ...(declaredFacts ? { declaredFacts } : {}),
    },
  }
}
