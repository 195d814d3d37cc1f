import { randomUUID } from 'node:crypto'
import { decodeProtectedHeader, jwtVerify, SignJWT } from 'jose'
import type { NodeKey } from '../chain/node-key.ts'
import { InvalidToken } from '../errors.ts'
import type { Scope } from './scopes.ts'

/** Claims of a verified access token. */
export interface AccessTokenClaims {
  sub: string
  /** The custom scope, e.g. "tir_write" (the token's `scp` is "openid tir_write"). */
  scope: Scope
  exp: number
  /** Thumbprint of the key the token is bound to (`cnf.jkt`; didr_invite: the controller key to insert). */
  jkt?: string
}

/**
 * ES256 access tokens signed by the node key: `{iss, sub, aud: iss, scp: "openid <scope>", jti,
 * iat, exp}` with header `{alg: ES256, kid, typ: JWT}`, plus `cnf: {jkt}` (RFC 9449's key-bound
 * form) when the token is bound to a key. Verified tokens are cached until expiry.
 */
export class AccessTokens {
  private readonly cache = new Map<string, AccessTokenClaims>()
  constructor(
    private readonly key: NodeKey,
    private readonly issuer: () => string,
    private readonly ttl: number,
  ) {}

  async issue(
    sub: string,
    scope: Scope,
    nonce: string,
    binding?: { jkt: string },
  ): Promise<{ access_token: string; id_token: string; expires_in: number }> {
    const iss = this.issuer()
    const now = Math.floor(Date.now() / 1000)
    const header = { alg: 'ES256', kid: this.key.kid, typ: 'JWT' }
    const accessToken = await new SignJWT({
      scp: `openid ${scope}`,
      ...(binding ? { cnf: { jkt: binding.jkt } } : {}),
    })
      .setProtectedHeader(header)
      .setIssuer(iss)
      .setSubject(sub)
      .setAudience(iss)
      .setJti(randomUUID())
      .setIssuedAt(now)
      .setExpirationTime(now + this.ttl)
      .sign(this.key.privateKey)
    const idToken = await new SignJWT({ nonce })
      .setProtectedHeader(header)
      .setIssuer(iss)
      .setSubject(sub)
      .setAudience(sub)
      .setJti(randomUUID())
      .setIssuedAt(now)
      .setExpirationTime(now + this.ttl)
      .sign(this.key.privateKey)
    return { access_token: accessToken, id_token: idToken, expires_in: this.ttl }
  }

  /** Verifies a bearer token. @throws InvalidToken */
  async verify(token: string): Promise<AccessTokenClaims> {
    const cached = this.cache.get(token)
    const now = Math.floor(Date.now() / 1000)
    if (cached && cached.exp > now) return cached
    try {
      const header = decodeProtectedHeader(token)
      if (header.kid !== this.key.kid) throw new Error('unknown kid')
      const { payload } = await jwtVerify(token, this.key.publicKey, {
        issuer: this.issuer(),
        audience: this.issuer(),
        algorithms: ['ES256'],
      })
      const scp = typeof payload.scp === 'string' ? payload.scp.split(' ')[1] : undefined
      if (!payload.sub || !scp || typeof payload.exp !== 'number') throw new Error('claims missing')
      const jkt = (payload.cnf as { jkt?: unknown } | undefined)?.jkt
      const claims: AccessTokenClaims = {
        sub: payload.sub,
        scope: scp as Scope,
        exp: payload.exp,
        ...(typeof jkt === 'string' ? { jkt } : {}),
      }
      if (this.cache.size > 10_000) this.cache.clear()
      this.cache.set(token, claims)
      return claims
    } catch (error) {
      throw new InvalidToken('Invalid access token', { cause: error })
    }
  }
}

/** Reads `Authorization: Bearer <token>`. @throws InvalidToken */
export function bearerOf(header: string | undefined): string {
  const match = /^Bearer\s+([A-Za-z0-9_.-]+)$/i.exec(header ?? '')
  if (!match?.[1]) throw new InvalidToken('Authorization header with a Bearer access token required')
  return match[1]
}
