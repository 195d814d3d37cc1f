import type { KeyStore, Signer } from '../keys/index.ts'
import { createDidKeyJwkJcs } from '../veramo/did-key-jwk-jcs.ts'

/** The case wallet's holder identity: a did:key (EBSI natural-person profile) and its signer. */
export interface HolderIdentity {
  did: string
  /** DID URL of the key: `did:key:z…#z…`. */
  kid: string
  signer: Signer
}

/**
 * Creates a new holder did:key in EBSI's natural-person profile (jwk_jcs-pub, P-256), its private key
 * sealed in the key store. The did:key is never written to the ledger.
 * @example const holder = await createHolderIdentity(keyStore, 'case-42')
 */
export async function createHolderIdentity(keys: KeyStore, alias?: string): Promise<HolderIdentity> {
  const info = await keys.createKey({ keyType: 'Secp256r1', ...(alias ? { alias } : {}) })
  return holderIdentityOf(await keys.getSigner(info.kid))
}

/** Loads a holder identity by key id or alias. */
export async function loadHolderIdentity(keys: KeyStore, kidOrAlias: string): Promise<HolderIdentity> {
  const byAlias = await keys.findKeyByAlias(kidOrAlias)
  return holderIdentityOf(await keys.getSigner(byAlias?.kid ?? kidOrAlias))
}

/** The did:key identity of a P-256 signer. */
export function holderIdentityOf(signer: Signer): HolderIdentity {
  if (signer.keyType !== 'Secp256r1') throw new TypeError('a holder did:key needs a P-256 (Secp256r1) key')
  const did = createDidKeyJwkJcs(signer.publicKeyJwk)
  return { did, kid: `${did}#${did.slice('did:key:'.length)}`, signer }
}
