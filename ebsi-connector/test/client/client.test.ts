import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  EbsiClient,
  EbsiJsonRpcError,
  EbsiNotFound,
  EbsiProblem,
  pageParams,
  signTransaction,
} from '../../src/client/index.ts'
import {
  buildUnsignedTransaction,
  checkSignedTransaction,
  encodeRegistryCall,
  ethereumAddressFromPublicKey,
  REGISTRY_ADDRESSES,
} from '../../src/core/index.ts'
import { LocalSigner, publicJwkFromPrivate, jwkThumbprint } from '../../src/keys/index.ts'

const secpSigner = () => {
  const priv = randomBytes(32)
  const jwk = publicJwkFromPrivate('Secp256k1', priv)
  return new LocalSigner(jwkThumbprint(jwk), 'Secp256k1', jwk, priv)
}

const stubFetch = (status: number, body: unknown, type = 'application/problem+json'): typeof fetch =>
  (async () =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': type } })) as typeof fetch

describe('EBSI client (offline parts)', () => {
  it("signs an unsigned EBSI transaction so that the node's checks accept it", async () => {
    const signer = secpSigner()
    const from = ethereumAddressFromPublicKey(signer.publicKeyJwk)
    const unsigned = buildUnsignedTransaction({
      from,
      to: REGISTRY_ADDRESSES['did-registry'],
      data: encodeRegistryCall('did-registry', 'updateBaseDocument', {
        did: 'did:ebsi:zx',
        baseDocument: '0x7b7d',
      }),
      nonce: 3,
      chainId: 0x181f,
    })
    const signed = await signTransaction(unsigned, signer)
    expect(checkSignedTransaction(signed).from).toBe(from)
    const tampered = { ...signed, unsignedTransaction: { ...unsigned, nonce: '0x4' } }
    expect(() => checkSignedTransaction(tampered)).toThrow(/nonce/)
  })

  it('maps problem+json answers to typed errors', async () => {
    const notFound = new EbsiClient({
      baseUrl: 'http://localhost:1',
      fetch: stubFetch(404, { title: 'Not Found', status: 404, detail: 'no DID' }),
    })
    await expect(notFound.didRegistry.resolve('did:ebsi:zx')).rejects.toBeInstanceOf(EbsiNotFound)
    const bad = new EbsiClient({
      baseUrl: 'http://localhost:1',
      fetch: stubFetch(400, {
        title: 'Bad Request',
        status: 400,
        detail: 'PageSize should not be greater than 50',
      }),
    })
    await expect(bad.trustedIssuersRegistry.listIssuers()).rejects.toMatchObject({
      status: 400,
      problem: { detail: /PageSize/ },
    })
    await expect(bad.trustedIssuersRegistry.listIssuers()).rejects.toBeInstanceOf(EbsiProblem)
    const rpc = new EbsiClient({
      baseUrl: 'http://localhost:1',
      fetch: stubFetch(
        200,
        { jsonrpc: '2.0', id: 1, error: { code: -32602, message: 'Invalid params' } },
        'application/json',
      ),
    })
    await expect(rpc.ledger.getTransactionReceipt('0x00')).rejects.toBeInstanceOf(EbsiJsonRpcError)
  })

  it('refuses page sizes above 50 before asking', () => {
    expect(pageParams({ size: 50, after: 'x' })).toEqual({ 'page[after]': 'x', 'page[size]': 50 })
    expect(() => pageParams({ size: 51 })).toThrow(/50/)
  })
})
