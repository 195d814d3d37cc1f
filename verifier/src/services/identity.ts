import type { Db } from '@flora/db'
import { PrismaKeyStore, type Signer } from '@flora/ebsi-connector'
import { randomBytes } from 'node:crypto'
import { base58btc } from 'multiformats/bases/base58'

/** The verifier as a party of its own: its did:ebsi and two keys (EBSI legal-entity model). */
export interface VerifierIdentity {
  did: string
  /** P-256, assertionMethod + authentication: signs request objects and trust snapshots. */
  assertion: Signer
  /** secp256k1, capabilityInvocation: signs its ledger transactions (onboarding by the operator). */
  controller: Signer
  kid: string
}

const DID_SETTING = 'verifier.did'
export const VERIFIER_KEY_OWNER = 'verifier'

/**
 * Loads the verifier's identity, creating it on first start: a did:ebsi (0x01 ‖ 16 random bytes,
 * base58btc) and its keys, sealed in StoredKey. Registering the DID on the ledger is the operator's
 * onboarding step (GET /identity shows what to register).
 */
export async function ensureVerifierIdentity(db: Db<'verifier'>, kek: Uint8Array): Promise<VerifierIdentity> {
  const keys = new PrismaKeyStore({ db: db.client, kek, owner: VERIFIER_KEY_OWNER })
  let did = (await db.client.serviceSetting.findUnique({ where: { key: DID_SETTING } }))?.value
  if (!did) {
    did = `did:ebsi:${base58btc.encode(Uint8Array.from([1, ...randomBytes(16)]))}`
    await db.client.serviceSetting.upsert({ where: { key: DID_SETTING }, create: { key: DID_SETTING, value: did }, update: {} })
    did = (await db.client.serviceSetting.findUnique({ where: { key: DID_SETTING } }))!.value
  }
  const key = async (alias: string, keyType: 'Secp256k1' | 'Secp256r1') => {
    const existing = await keys.findKeyByAlias(alias)
    if (existing) return keys.getSigner(existing.kid)
    try {
      return keys.getSigner((await keys.createKey({ keyType, alias })).kid)
    } catch {
      return keys.getSigner((await keys.findKeyByAlias(alias))!.kid)
    }
  }
  const assertion = await key('assertion', 'Secp256r1')
  const controller = await key('controller', 'Secp256k1')
  return { did, assertion, controller, kid: `${did}#${assertion.kid}` }
}
