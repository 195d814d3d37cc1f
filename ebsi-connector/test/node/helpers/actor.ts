import {
  createPrivateKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  randomUUID,
  sign,
} from 'node:crypto'
import { Wallet } from 'ethers'
import { SignJWT } from 'jose'
import {
  base64urlDecode,
  generateDidEbsi,
  jwkThumbprint,
  secp256k1PublicKeyToJwk,
  signUnsignedTransaction,
  type UnsignedTransaction,
  utf8ToHex,
} from '../../../src/core/index.ts'

/**
 * A minimal test signer for one legal entity: did:ebsi, a secp256k1 key (ethers Wallet; signs
 * transactions, capabilityInvocation) and a P-256 key (signs VCs/VPs, ES256).
 */
export class Actor {
  readonly did: string
  readonly wallet: Wallet
  readonly p256: KeyObject
  readonly p256Jwk: { kty: string; crv: string; x: string; y: string }
  readonly secpJwk: ReturnType<typeof secp256k1PublicKeyToJwk>
  readonly secpKey: KeyObject
  /** Whether the P-256 key is registered as an authentication key (VPs switch to ES256). */
  p256Registered = false

  constructor(
    readonly name: string,
    did = generateDidEbsi(),
    keys: { secp256k1PrivateKeyHex?: string; p256PrivateJwk?: Record<string, unknown> } = {},
  ) {
    this.did = did
    this.wallet = new Wallet(keys.secp256k1PrivateKeyHex ?? `0x${randomBytes(32).toString('hex')}`)
    this.secpJwk = secp256k1PublicKeyToJwk(this.wallet.signingKey.publicKey)
    this.secpKey = createPrivateKey({
      key: { ...this.secpJwk, d: Buffer.from(this.wallet.privateKey.slice(2), 'hex').toString('base64url') },
      format: 'jwk',
    })
    const privateKey = keys.p256PrivateJwk
      ? createPrivateKey({ key: keys.p256PrivateJwk as never, format: 'jwk' })
      : generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey
    this.p256 = privateKey
    const jwk = privateKey.export({ format: 'jwk' }) as { kty: string; crv: string; x: string; y: string }
    this.p256Jwk = { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }
  }

  get address(): string {
    return this.wallet.address
  }
  get secpKid(): string {
    return jwkThumbprint(this.secpJwk)
  }
  get p256Kid(): string {
    return jwkThumbprint(this.p256Jwk)
  }

  /** A VC JWT issued by this actor (ES256, assertion key). */
  async issueVc(
    subject: string,
    types: string[],
    claims: Record<string, unknown> = {},
    options: { expired?: boolean; jwtClaims?: Record<string, unknown> } = {},
  ): Promise<string> {
    const now = Math.floor(Date.now() / 1000)
    const id = `urn:uuid:${randomUUID()}`
    const iat = options.expired ? now - 7200 : now
    const exp = options.expired ? now - 3600 : now + 365 * 86400
    const vc = {
      '@context': ['https://www.w3.org/2018/credentials/v1'],
      id,
      type: ['VerifiableCredential', 'VerifiableAttestation', ...types],
      issuer: this.did,
      issuanceDate: new Date(iat * 1000).toISOString(),
      issued: new Date(iat * 1000).toISOString(),
      validFrom: new Date(iat * 1000).toISOString(),
      expirationDate: new Date(exp * 1000).toISOString(),
      credentialSubject: { id: subject, ...claims },
      credentialSchema: {
        id: 'https://api-pilot.ebsi.eu/trusted-schemas-registry/v3/schemas/zDpWGUBenmqXzurskry9Nsk6vq2R8thh9VSeoRqguoyMD',
        type: 'FullJsonSchemaValidator2021',
      },
    }
    return new SignJWT({ ...options.jwtClaims, vc })
      .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: `${this.did}#${this.p256Kid}` })
      .setIssuer(this.did)
      .setSubject(subject)
      .setJti(id)
      .setIssuedAt(iat)
      .setNotBefore(iat)
      .setExpirationTime(exp)
      .sign(this.p256)
  }

  /**
   * A VerifiableAuthorisationToOnboard for `subject`, naming its secp256k1 controller key in `cnf`
   * (the key its didr_invite VP must be signed with and its insertDidDocument must insert).
   */
  issueOnboardingVc(subject: Actor): Promise<string> {
    return this.issueVc(subject.did, ['VerifiableAuthorisationToOnboard'], {}, {
      jwtClaims: { cnf: { jwk: subject.secpJwk } },
    })
  }

  /**
   * A VP JWT for the authorisation API (ES256 once the P-256 key is registered, else ES256K), valid
   * for 5 minutes unless `lifetimeSeconds` says otherwise (null: no `exp`).
   */
  async vp(
    audience: string,
    credentials: string[] = [],
    nonce: string = randomUUID(),
    options: { lifetimeSeconds?: number | null } = {},
  ): Promise<string> {
    const now = Math.floor(Date.now() / 1000)
    const lifetime = options.lifetimeSeconds === undefined ? 300 : options.lifetimeSeconds
    const useP256 = this.p256Registered
    const claims = {
      nonce,
      vp: {
        '@context': ['https://www.w3.org/2018/credentials/v1'],
        id: `urn:uuid:${randomUUID()}`,
        type: ['VerifiablePresentation'],
        holder: this.did,
        verifiableCredential: credentials,
      },
      iss: this.did,
      sub: this.did,
      aud: audience,
      jti: `urn:uuid:${randomUUID()}`,
      iat: now - 5,
      nbf: now - 5,
      ...(lifetime === null ? {} : { exp: now + lifetime }),
    }
    const header = {
      alg: useP256 ? 'ES256' : 'ES256K',
      typ: 'JWT',
      kid: `${this.did}#${useP256 ? this.p256Kid : this.secpKid}`,
    }
    return signCompactJws(header, claims, useP256 ? this.p256 : this.secpKey)
  }

  /** Signs an unsigned tx returned by a build method. */
  sign(unsigned: UnsignedTransaction) {
    return signUnsignedTransaction(unsigned, this.wallet.privateKey)
  }

  /** hex of the P-256 public JWK, as addVerificationMethod wants it. */
  p256PublicKeyHex(): string {
    return utf8ToHex(JSON.stringify(this.p256Jwk))
  }
}

export { base64urlDecode }

/** ES256/ES256K compact JWS with node crypto (jose 6 has no ES256K). */
export function signCompactJws(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  key: KeyObject,
): string {
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`
  const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }).toString(
    'base64url',
  )
  return `${input}.${signature}`
}
