import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { walletConfig } from './config.ts'

/** The pilot bootstrap's record (`npm start` writes it once the trust chain is on the ledger). */
export const PILOT_BOOTSTRAP_FILE = 'pilot-bootstrap.json'

let fromBootstrap: string[] | undefined

/**
 * DIDs accepted at the top of an issuer's accreditation chain: FLORA_WALLET_TRUST_ANCHORS, else the
 * Root TAO of this deployment's pilot bootstrap (read once it exists: the wallet starts before the
 * bootstrap). None: no received credential is accepted (fail closed).
 */
export async function trustAnchors(): Promise<readonly string[]> {
  const configured = walletConfig().trustAnchors
  if (configured.length > 0) return configured
  if (fromBootstrap) return fromBootstrap
  try {
    const record = JSON.parse(await readFile(join(walletConfig().dataDir, PILOT_BOOTSTRAP_FILE), 'utf8')) as {
      rootTao?: { did?: unknown }
    }
    const did = record.rootTao?.did
    if (typeof did === 'string' && did.startsWith('did:')) fromBootstrap = [did]
  } catch {
    // not bootstrapped (yet)
  }
  return fromBootstrap ?? []
}
