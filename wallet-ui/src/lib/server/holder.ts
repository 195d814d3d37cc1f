import { computeCredentialHash } from '@flora/credentials'
import type { PrismaKeyStore } from '@flora/ebsi-connector'
import type {
  DidDocumentLike,
  HolderAgent,
  HolderCredentialRepository,
  InclusionProof,
  StoredCredential,
} from '@flora/ebsi-connector/holder'
import { walletConfig } from './config.ts'
import { type WalletClient, walletDb } from './db.ts'
import { connectorPackage, decodeJwtParts, holderPackage } from './deps.ts'
import { outboundFetch } from './outbound.ts'
import { trustAnchors } from './trust-anchors.ts'

/** Owner of the case wallets' holder keys in StoredKey. */
export const CASE_KEY_OWNER = 'case-wallets'

/** The milestone type of a VC (the type that is not VerifiableCredential / VerifiableAttestation). */
export function milestoneTypeOf(types: string[]): string {
  return types.find((t) => t !== 'VerifiableCredential' && t !== 'VerifiableAttestation') ?? 'Unknown'
}

/**
 * Credentials and inclusion proofs of the case wallets, in the wallet's database, per case: a
 * credential is added to the case whose holder it names, never moved from another case, and never
 * replaced by another JWT under the same id. (Verification happens before, in the
 * VerifyingHolderRepository around this one.)
 */
export class PrismaHolderRepository implements HolderCredentialRepository {
  constructor(
    private readonly db: WalletClient,
    private readonly conflict: (message: string) => Error,
  ) {}

  async save(credential: StoredCredential): Promise<void> {
    const walletCase = await this.db.walletCase.findUnique({ where: { holderDid: credential.holderDid } })
    if (!walletCase) throw new Error('no case wallet holds this DID')
    const held = await this.db.walletCredential.findUnique({
      where: { caseId_id: { caseId: walletCase.id, id: credential.id } },
    })
    if (held) {
      if (held.jwt !== credential.jwt) throw this.conflict('the case already holds another credential with this id')
      return // received again: nothing new
    }
    const { payload } = decodeJwtParts(credential.jwt)
    const subject = ((payload.vc as { credentialSubject?: Record<string, unknown> } | undefined)?.credentialSubject ??
      {}) as Record<string, unknown>
    const data = {
      caseId: walletCase.id,
      holderDid: credential.holderDid,
      jwt: credential.jwt,
      types: JSON.stringify(credential.types),
      milestoneType: milestoneTypeOf(credential.types),
      issuer: credential.issuer,
      credentialHash: await computeCredentialHash(credential.jwt),
      milestoneDate: typeof subject.milestoneDate === 'string' ? subject.milestoneDate : null,
      receivedAt: credential.receivedAt,
      anchoringUri: credential.anchoringUri ?? null,
      inclusionProof: credential.inclusionProof ? JSON.stringify(credential.inclusionProof) : null,
      anchoredAt: credential.inclusionProof?.anchoredAt ? new Date(credential.inclusionProof.anchoredAt) : null,
    }
    await this.db.walletCredential.create({ data: { id: credential.id, ...data } })
  }

  async list(holderDid: string): Promise<StoredCredential[]> {
    const rows = await this.db.walletCredential.findMany({ where: { holderDid }, orderBy: { receivedAt: 'asc' } })
    return rows.map(toStored)
  }

  async saveInclusionProof(holderDid: string, id: string, proof: InclusionProof): Promise<void> {
    await this.db.walletCredential.updateMany({
      where: { holderDid, id },
      data: { inclusionProof: JSON.stringify(proof), anchoredAt: proof.anchoredAt ? new Date(proof.anchoredAt) : new Date() },
    })
  }
}

export function toStored(row: {
  id: string
  holderDid: string
  jwt: string
  types: string
  issuer: string
  receivedAt: Date
  anchoringUri: string | null
  inclusionProof: string | null
}): StoredCredential {
  return {
    id: row.id,
    holderDid: row.holderDid,
    jwt: row.jwt,
    types: JSON.parse(row.types) as string[],
    issuer: row.issuer,
    receivedAt: row.receivedAt,
    ...(row.anchoringUri ? { anchoringUri: row.anchoringUri } : {}),
    ...(row.inclusionProof ? { inclusionProof: JSON.parse(row.inclusionProof) as InclusionProof } : {}),
  }
}

/** Resolves a DID through the ledger's DID Registry (did:ebsi of issuers and verifiers). */
export async function resolveDid(did: string): Promise<DidDocumentLike | undefined> {
  const ledgerFetch = await outboundFetch('ledger')
  const response = await ledgerFetch(`${walletConfig().services.ledger}/did-registry/v5/identifiers/${encodeURIComponent(did)}`)
  if (!response.ok) {
    await response.body?.cancel()
    return undefined
  }
  return (await response.json()) as DidDocumentLike
}

let agent: Promise<{ agent: HolderAgent; keys: PrismaKeyStore; db: WalletClient }> | undefined

/** The case wallets' holder agent (server side only). */
export function holderAgent() {
  agent ??= (async () => {
    const { db, kek } = await walletDb()
    const [{ PrismaKeyStore }, holder] = await Promise.all([connectorPackage(), holderPackage()])
    const keys = new PrismaKeyStore({ db: db.client, kek, owner: CASE_KEY_OWNER })
    const [issuerFetch, verifierFetch, ledgerFetch] = await Promise.all([
      outboundFetch('issuer'),
      outboundFetch('verifier'),
      outboundFetch('ledger'),
    ])
    const repository = new holder.VerifyingHolderRepository(
      new PrismaHolderRepository(db.client, (message) => new holder.CredentialRejected('conflict', message)),
      holder.ledgerCredentialPolicy({ ledgerUrl: walletConfig().services.ledger, fetch: ledgerFetch, trustAnchors }),
    )
    const agent = new holder.HolderAgent({
      keys,
      repository,
      resolveDid,
      fetchFor: { issuer: issuerFetch, verifier: verifierFetch },
    })
    return { agent, keys, db: db.client }
  })()
  agent.catch(() => {
    agent = undefined
  })
  return agent
}
