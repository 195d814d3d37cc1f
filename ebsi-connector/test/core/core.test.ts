import {
  metadata as attestationSchemaMetadata,
  schema as attestationSchema,
} from '@cef-ebsi/vcdm1.1-attestation-schema'
import { Transaction, Wallet } from 'ethers'
import { describe, expect, it } from 'vitest'
import {
  buildUnsignedTransaction,
  checkSignedTransaction,
  decodeRegistryCall,
  encodeRegistryCall,
  ethereumAddressFromPublicKey,
  generateDidEbsi,
  hexToUtf8,
  isDidEbsi,
  jwkThumbprint,
  merkleInclusionProof,
  merkleNodeHash,
  merkleLeafHash,
  merkleRoot,
  parseDidEbsi,
  parseSchemaId,
  parseSignedRawTransaction,
  REGISTRY_ADDRESSES,
  schemaIdOf,
  secp256k1PublicKeyToJwk,
  signUnsignedTransaction,
  timestampIdOf,
  TransactionInvalid,
  utf8ToHex,
  verifyMerkleInclusion,
} from '../../src/core/index.ts'

describe('did:ebsi identifiers', () => {
  it('generates 17-byte v1 legal-entity DIDs that validate', () => {
    const did = generateDidEbsi()
    expect(did).toMatch(/^did:ebsi:z[1-9A-HJ-NP-Za-km-z]+$/)
    expect(parseDidEbsi(did).subjectBytes).toHaveLength(16)
    expect(isDidEbsi('did:ebsi:zZeKyEJfUTGwajhNyNX928z')).toBe(true)
  })
  it('rejects other methods, bad base58 and wrong versions', () => {
    expect(isDidEbsi('did:key:z6Mk')).toBe(false)
    expect(isDidEbsi('did:ebsi:z0OIl')).toBe(false)
    expect(isDidEbsi(42)).toBe(false)
    // version byte 0x02
    expect(isDidEbsi('did:ebsi:zBhBLmYmyihtomRdJJNEKzjPY')).toBe(false)
  })
})

describe('JWK thumbprints and addresses', () => {
  it('computes the RFC 7638 example thumbprint', () => {
    const jwk = {
      kty: 'RSA',
      e: 'AQAB',
      n: '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw',
    }
    expect(jwkThumbprint(jwk)).toBe('NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs')
  })
  it('derives the Ethereum address of a secp256k1 key from hex and from its JWK', () => {
    const wallet = Wallet.createRandom()
    const pub = wallet.signingKey.publicKey
    expect(ethereumAddressFromPublicKey(pub)).toBe(wallet.address)
    expect(ethereumAddressFromPublicKey(wallet.signingKey.compressedPublicKey)).toBe(wallet.address)
    expect(ethereumAddressFromPublicKey(secp256k1PublicKeyToJwk(pub))).toBe(wallet.address)
  })
})

describe('transaction codec', () => {
  const wallet = Wallet.createRandom()
  const data = encodeRegistryCall('did-registry', 'addVerificationMethod', {
    did: generateDidEbsi(),
    vMethodId: 'abc',
    publicKey: utf8ToHex('{"kty":"EC"}'),
    isSecp256k1: false,
  })
  const unsigned = buildUnsignedTransaction({
    from: wallet.address,
    to: REGISTRY_ADDRESSES['did-registry'],
    data,
    nonce: 3,
    chainId: 0x181f,
  })

  it('builds EBSI-shaped unsigned transactions', () => {
    expect(unsigned).toMatchObject({ value: '0x0', gasPrice: '0x0', nonce: '0x3', chainId: '0x181f' })
  })
  it('signs, checks and recovers the signer', () => {
    const signed = signUnsignedTransaction(unsigned, wallet.privateKey)
    const parsed = checkSignedTransaction(signed)
    expect(parsed.from).toBe(wallet.address)
    const call = decodeRegistryCall(parsed.to, parsed.data)
    expect(call.method).toBe('addVerificationMethod')
    expect(hexToUtf8(call.args.publicKey as string)).toBe('{"kty":"EC"}')
  })
  it('parses legacy transactions like ethers does (hash, signer, fields)', () => {
    for (let nonce = 0; nonce < 20; nonce += 1) {
      const signer = Wallet.createRandom()
      const tx = buildUnsignedTransaction({ from: signer.address, to: REGISTRY_ADDRESSES.timestamp, data, nonce: nonce * 977, chainId: 0x181f })
      const signed = signUnsignedTransaction(tx, signer.privateKey)
      const reference = Transaction.from(signed.signedRawTransaction)
      const parsed = parseSignedRawTransaction(signed.signedRawTransaction)
      expect(parsed).toMatchObject({ hash: reference.hash, from: reference.from, to: reference.to, data: reference.data, nonce: BigInt(reference.nonce), chainId: reference.chainId })
    }
  })
  it('refuses a raw tx that differs from the unsigned one or is signed by someone else', () => {
    const signed = signUnsignedTransaction(unsigned, wallet.privateKey)
    expect(() =>
      checkSignedTransaction({ ...signed, unsignedTransaction: { ...unsigned, nonce: '0x4' } }),
    ).toThrow(TransactionInvalid)
    const other = signUnsignedTransaction(unsigned, Wallet.createRandom().privateKey)
    expect(() => checkSignedTransaction(other)).toThrow(/signer/)
    expect(() => checkSignedTransaction({ ...signed, signedRawTransaction: '0x1234' })).toThrow(
      TransactionInvalid,
    )
  })
})

describe('RFC 9162 Merkle tree', () => {
  const leaves = Array.from({ length: 13 }, (_, i) => new TextEncoder().encode(`leaf-${i}`))
  it('matches the recursive definition and proves every leaf for every size', () => {
    for (let n = 1; n <= leaves.length; n += 1) {
      const subset = leaves.slice(0, n)
      const root = merkleRoot(subset)
      if (n === 2)
        expect(root).toEqual(merkleNodeHash(merkleLeafHash(subset[0]!), merkleLeafHash(subset[1]!)))
      for (let i = 0; i < n; i += 1) {
        const proof = merkleInclusionProof(subset, i)
        expect(verifyMerkleInclusion(subset[i]!, i, n, proof, root)).toBe(true)
        expect(verifyMerkleInclusion(new Uint8Array([1]), i, n, proof, root)).toBe(false)
      }
    }
  })
})

describe('EBSI derived identifiers', () => {
  it('derives schema ids from the canonical JSON and converts between hex and multibase', () => {
    const id = schemaIdOf(attestationSchema)
    expect(schemaIdOf(JSON.parse(JSON.stringify(attestationSchema, null, 2)))).toEqual(id)
    expect(parseSchemaId(id.hex).multibase).toBe(id.multibase)
    expect(parseSchemaId(id.multibase).hex).toBe(id.hex)
    // a published id converts as well (the value EBSI prints beside it)
    expect(parseSchemaId(attestationSchemaMetadata.id.multibase_base58btc).hex).toBe(
      attestationSchemaMetadata.id.base16,
    )
  })
  it('derives timestamp ids as u + base64url(multihash(sha256(hash)))', () => {
    expect(timestampIdOf(`0x${'12'.repeat(32)}`)).toMatch(/^uEi[A-Za-z0-9_-]{44}$/)
  })
})
