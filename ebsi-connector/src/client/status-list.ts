import { randomUUID } from 'node:crypto'
import { encodeStatusListBytes, STATUS_LIST_MIN_BITS } from '../core/status-list.ts'
import { type CredentialIssuer, EBSI_BUILTIN_SCHEMAS, isoSeconds, signCredentialJwt } from './credentials.ts'

export { STATUS_LIST_MIN_BITS }

/** A StatusList2021 bitstring (index 0 = left-most bit of byte 0). */
export class StatusListBits {
  readonly bytes: Uint8Array
  constructor(bits = STATUS_LIST_MIN_BITS) {
    if (bits < STATUS_LIST_MIN_BITS || bits % 8 !== 0)
      throw new TypeError('a status list holds at least 131072 bits, in whole bytes')
    this.bytes = new Uint8Array(bits / 8)
  }

  set(index: number, value: boolean): void {
    const byte = Math.floor(index / 8)
    if (byte < 0 || byte >= this.bytes.length) throw new RangeError(`status index ${index} out of range`)
    const mask = 0x80 >> (index % 8)
    this.bytes[byte] = value ? this.bytes[byte]! | mask : this.bytes[byte]! & ~mask
  }

  get(index: number): boolean {
    return ((this.bytes[Math.floor(index / 8)] ?? 0) & (0x80 >> (index % 8))) !== 0
  }

  /** `encodedList`: base64 (no padding) of the gzip-compressed bitstring. */
  encode(): string {
    return encodeStatusListBytes(this.bytes)
  }
}

/**
 * Signs a StatusList2021Credential JWT (EBSI profile: types [VerifiableCredential,
 * VerifiableAttestation, StatusList2021Credential], EBSI's StatusList2021 schema).
 * @param url - the public URL of this list (through the issuer's TIR proxy)
 */
export function issueStatusListCredential(args: {
  issuer: CredentialIssuer
  url: string
  schemasUrl: string
  bits: StatusListBits
  statusPurpose?: 'revocation' | 'suspension'
  validFrom?: Date
}): Promise<string> {
  const validFrom = isoSeconds(args.validFrom ?? new Date())
  return signCredentialJwt(args.issuer, {
    '@context': ['https://www.w3.org/2018/credentials/v1'],
    id: `urn:uuid:${randomUUID()}`,
    type: ['VerifiableCredential', 'VerifiableAttestation', 'StatusList2021Credential'],
    issuer: args.issuer.did,
    issuanceDate: validFrom,
    issued: validFrom,
    validFrom,
    credentialSubject: {
      id: `${args.url}#list`,
      type: 'StatusList2021',
      statusPurpose: args.statusPurpose ?? 'revocation',
      encodedList: args.bits.encode(),
    },
    credentialSchema: {
      id: `${args.schemasUrl}/${EBSI_BUILTIN_SCHEMAS.statusList2021Credential}`,
      type: 'FullJsonSchemaValidator2021',
    },
  })
}
