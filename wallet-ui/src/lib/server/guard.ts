import { error, redirect } from '@sveltejs/kit'
import { type Language, t } from '$lib/i18n'
import { ServiceError } from './services.ts'
import type { Party, WalletSessionData } from './session.ts'

/** The signed-in session of `party`, or a redirect to sign-in (not signed in) / 403 (other party). */
export function requireParty(locals: App.Locals, url: URL, party: Party, roles?: string[]): WalletSessionData {
  const session = locals.session
  if (!session) redirect(303, `/signin?returnTo=${encodeURIComponent(url.pathname + url.search)}`)
  if (session.party !== party || (roles && !roles.includes(session.role)))
    error(403, { message: 'Forbidden', kind: 'forbidden' })
  return session
}

const serviceName = (lang: Language, service: ServiceError['service']) =>
  t(lang, service === 'issuer' ? 'serviceIssuer' : service === 'verifier' ? 'serviceVerifier' : 'serviceLedger')

/** A localized sentence for a failed service call (shown inline by a form action). */
export function serviceMessage(lang: Language, cause: unknown): string {
  if (cause instanceof ServiceError) {
    const service = serviceName(lang, cause.service)
    if (cause.kind === 'unreachable') return t(lang, 'serviceUnavailable', { service })
    if (cause.kind === 'timeout') return t(lang, 'serviceTimeout', { service })
    if (cause.kind === 'unauthenticated') return t(lang, 'sessionExpired')
    return t(lang, 'serviceRefused', { service, detail: cause.detail })
  }
  return t(lang, 'serviceRefused', { service: '–', detail: (cause as Error)?.message ?? String(cause) })
}

/** For loads: a failed service call becomes the right page (sign-in again, 404, 503). */
export function failLoad(cause: unknown, url: URL): never {
  if (cause instanceof ServiceError) {
    if (cause.kind === 'unauthenticated') redirect(303, `/signin?expired=1&returnTo=${encodeURIComponent(url.pathname)}`)
    if (cause.kind === 'not-found') error(404, { message: 'Not Found' })
    if (cause.kind === 'forbidden') error(403, { message: 'Forbidden', kind: 'forbidden' })
    error(503, { message: cause.message, kind: 'service' })
  }
  throw cause
}

const outboundKeys = {
  timeout: 'outboundTimeout',
  'redirect-off-origin': 'outboundRedirect',
  'too-many-redirects': 'outboundRedirect',
  'too-large': 'outboundTooLarge',
  unreachable: 'outboundUnreachable',
} as const
const untrustedKeys = {
  issuer: 'outboundUntrustedIssuer',
  verifier: 'outboundUntrustedVerifier',
  ledger: 'outboundUntrustedLedger',
} as const
const rejectionKeys = {
  malformed: 'rejectMalformed',
  'not-as-delivered': 'rejectNotAsDelivered',
  signature: 'rejectSignature',
  subject: 'rejectSubject',
  validity: 'rejectValidity',
  accreditation: 'rejectAccreditation',
  'trust-unavailable': 'rejectTrustUnavailable',
  conflict: 'rejectConflict',
} as const

/**
 * A localized sentence of our own for a refusal of the holder (an outbound request refused or given
 * up, a received credential refused, an issuer's OAuth error), or undefined for other errors.
 * Nothing a remote party wrote is shown: only the origin we asked and, for an issuer's refusal,
 * its OAuth error code when it is one.
 */
export function holderRefusalMessage(lang: Language, cause: unknown): string | undefined {
  const error = cause as {
    code?: unknown
    reason?: unknown
    role?: unknown
    origin?: unknown
    error?: unknown
    status?: unknown
    retryAfterSeconds?: unknown
  }
  if (error?.code === 'ERR_OUTBOUND_REFUSED') {
    const origin = String(error.origin)
    if (error.reason === 'untrusted-origin')
      return t(lang, untrustedKeys[error.role as keyof typeof untrustedKeys] ?? 'outboundUntrustedIssuer', { origin })
    const key = outboundKeys[error.reason as keyof typeof outboundKeys]
    return key ? t(lang, key, { origin }) : undefined
  }
  if (error?.code === 'ERR_CREDENTIAL_REJECTED') {
    const key = rejectionKeys[error.reason as keyof typeof rejectionKeys] ?? 'rejectMalformed'
    return t(lang, 'credentialRefused', { reason: t(lang, key) })
  }
  if (error?.code === 'ERR_ISSUER_REFUSED') {
    // the issuer asks this wallet server (one client for every case wallet) to wait
    if (error.status === 429) {
      const seconds = typeof error.retryAfterSeconds === 'number' ? error.retryAfterSeconds : 60
      return t(lang, 'issuerThrottled', { minutes: String(Math.max(1, Math.ceil(seconds / 60))) })
    }
    const code = typeof error.error === 'string' && /^[a-z_]{1,40}$/.test(error.error) ? error.error : 'invalid_response'
    return t(lang, 'issuerRefusedCode', { code })
  }
  return undefined
}
