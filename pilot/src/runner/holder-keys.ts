import { createHmac } from 'node:crypto'
import { jwkThumbprint, LocalSigner, publicJwkFromPrivate } from '@flora/ebsi-connector'
import { type HolderIdentity, holderIdentityOf } from '@flora/ebsi-connector/holder'

/**
 * The case wallet's holder identity derived from a seed (the generator's `holderKeySeed`), so that
 * the same pilot seed gives the same holder did:key. Pilot-only: a real wallet draws its key from a
 * CSPRNG (the holder module's `createHolderIdentity`).
 */
export async function seededHolderIdentity(keySeed: string): Promise<HolderIdentity> {
  for (let counter = 0; counter < 16; counter++) {
    const privateKey = createHmac('sha256', Buffer.from(keySeed, 'hex')).update(`p256:${counter}`).digest()
    let jwk: ReturnType<typeof publicJwkFromPrivate>
    try {
      jwk = publicJwkFromPrivate('Secp256r1', privateKey)
    } catch {
      continue // not in [1, n-1]: draw again
    }
    const kid = jwkThumbprint(jwk)
    return holderIdentityOf(new LocalSigner(kid, 'Secp256r1', jwk, privateKey))
  }
  throw new Error('could not derive a P-256 key')
}
