import { TokenMalformed } from '../errors.ts'
import { BoundedCache } from '@flora/service-kit/bounded-cache'
import { decodeJws } from './jws.ts'
import { type ParsedCredential, type StepResult, stepResult } from './types.ts'

const DID_EBSI = /^did:ebsi:z[1-9A-HJ-NP-Za-km-z]{20,30}$/

const fail = (reason: string, message: string) => ({
  result: stepResult('jwt-header', 'failed', reason, { message }),
  parsed: undefined,
})

/**
 * Step 1, JWT and header: a compact JWS, alg ES256 or ES256K, typ JWT, kid a DID URL of the issuer
 * (a did:ebsi legal entity), a `vc` object, and the JWT claims consistent with the `vc` members.
 */
export function checkJwtHeader(token: string, decoded?: ReturnType<typeof decodeJws>): { result: StepResult; parsed: ParsedCredential | undefined } {
  let jws: ReturnType<typeof decodeJws>
  try {
    jws = decoded ?? decodeJws(token)
  } catch (error) {
    if (error instanceof TokenMalformed) return fail('jwt-malformed', error.message)
    throw error
  }
  const { header, payload } = jws
  if (header.alg !== 'ES256' && header.alg !== 'ES256K')
    return fail('alg-unsupported', `alg ${String(header.alg)} is neither ES256 nor ES256K`)
  if (header.typ !== undefined && header.typ !== 'JWT') return fail('typ-invalid', `typ must be "JWT"`)
  const kid = header.kid
  if (typeof kid !== 'string' || !kid.includes('#')) return fail('kid-invalid', 'kid must be a DID URL')
  const vc = payload.vc
  if (vc === null || typeof vc !== 'object' || Array.isArray(vc)) return fail('vc-missing', 'no vc claim')
  const v = vc as Record<string, unknown>
  const issuer =
    typeof v.issuer === 'string'
      ? v.issuer
      : typeof (v.issuer as { id?: unknown } | undefined)?.id === 'string'
        ? (v.issuer as { id: string }).id
        : undefined
  if (!issuer || !DID_EBSI.test(issuer)) return fail('issuer-invalid', 'vc.issuer must be a did:ebsi')
  if (payload.iss !== issuer) return fail('claims-inconsistent', 'iss differs from vc.issuer')
  if (kid.split('#')[0] !== issuer) return fail('kid-invalid', 'kid is not a DID URL of the issuer')
  const subjectValue = v.credentialSubject as { id?: unknown } | undefined
  if (subjectValue === null || typeof subjectValue !== 'object' || Array.isArray(subjectValue))
    return fail('claims-inconsistent', 'credentialSubject must be an object')
  const subject = typeof subjectValue.id === 'string' ? subjectValue.id : undefined
  if (payload.sub !== undefined && payload.sub !== subject)
    return fail('claims-inconsistent', 'sub differs from credentialSubject.id')
  if (payload.jti !== undefined && payload.jti !== v.id) return fail('claims-inconsistent', 'jti differs from vc.id')
  const seconds = (value: unknown) => (typeof value === 'string' ? Math.floor(Date.parse(value) / 1000) : undefined)
  if (payload.nbf !== undefined && v.validFrom !== undefined && payload.nbf !== seconds(v.validFrom))
    return fail('claims-inconsistent', 'nbf differs from vc.validFrom')
  const expiry = v.expirationDate ?? v.validUntil
  if (payload.exp !== undefined && expiry !== undefined && payload.exp !== seconds(expiry))
    return fail('claims-inconsistent', 'exp differs from vc.expirationDate')
  for (const claim of ['nbf', 'exp', 'iat'] as const)
    if (payload[claim] !== undefined && !Number.isInteger(payload[claim]))
      return fail('claims-inconsistent', `${claim} must be an integer`)
  const types = Array.isArray(v.type) ? v.type.filter((t): t is string => typeof t === 'string') : []
  return {
    result: stepResult('jwt-header', 'passed', 'ok', { alg: header.alg, kid }),
    parsed: {
      token,
      header,
      payload,
      vc: v,
      issuer,
      kid,
      subject,
      types,
      signingInput: jws.signingInput,
      signature: jws.signature,
    },
  }
}

/**
 * {@link checkJwtHeader} for a credential met before, by the SHA-256 of its compact form: a Dublin
 * unit re-checks the same case's credentials whenever a milestone arrives, and this step's outcome
 * depends on the bytes alone. Its result and what it parsed are frozen: later verifications share them.
 */
export function checkJwtHeaderOnce(token: string, sha256Hex: string): ReturnType<typeof checkJwtHeader> {
  const known = checkedHeaders.get(sha256Hex)
  if (known) return known
  const checked = checkJwtHeader(token)
  deepFreeze(checked.result)
  if (checked.parsed) {
    deepFreeze(checked.parsed.header)
    deepFreeze(checked.parsed.payload)
    Object.freeze(checked.parsed.types)
    Object.freeze(checked.parsed)
  }
  checkedHeaders.set(sha256Hex, checked)
  return checked
}

const checkedHeaders = new BoundedCache<string, ReturnType<typeof checkJwtHeader>>(5_000)

function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return
  for (const member of Object.values(value)) deepFreeze(member)
  Object.freeze(value)
}
