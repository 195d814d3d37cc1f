import { randomUUID } from 'node:crypto'
import type { PresentationDefinition, VerifiedPresentationRequest } from '@flora/ebsi-connector/holder'
import { holderPackage } from './deps.ts'
import { holderAgent } from './holder.ts'
import { partyName, refreshProofs } from './cases.ts'
import { call } from './services.ts'

export interface IncomingRequest {
  id: string
  verifierDid: string
  /** The name the deployment gives this DID (never the request's self-asserted client_name). */
  verifierName: string | null
  /** The DID is the one the deployment's own verifier (FLORA_VERIFIER_URL) states as its own. */
  deploymentVerifier: boolean
  purpose: string | null
  definitionName: string | null
  descriptors: { id: string; name: string | null; purpose: string | null }[]
  status: 'pending' | 'answered' | 'declined' | 'failed'
  result: { redirectUri?: string; code?: string; error?: string; errorDescription?: string; sentCount?: number } | null
  receivedAt: string
  expiresAt: string | null
  /** Credentials of the case the definition selects (what would be sent on consent). */
  wouldSend: string[]
  satisfied: boolean
  missing: string[]
}

/** Takes an OpenID4VP link for a case: fetches the signed request, verifies who asks, keeps it. */
export async function receiveRequest(caseId: string, link: string): Promise<string> {
  const { agent, db } = await holderAgent()
  const walletCase = await db.walletCase.findUnique({ where: { id: caseId } })
  if (!walletCase) throw new Error('case not found')
  const request = await agent.receivePresentationRequest(link)
  const id = randomUUID()
  await db.walletPresentationRequest.create({
    data: {
      id,
      caseId,
      requestUrl: link,
      verifierDid: request.verifier.did,
      verifierName: null,
      definition: JSON.stringify(request.definition),
      verifiedRequest: JSON.stringify(request),
      expiresAt: request.expiresAt ?? null,
    },
  })
  return id
}

let deploymentVerifier: Promise<string | undefined> | undefined
/** The DID of the deployment's own verifier, as it states it (GET /identity); undefined when unknown. */
function deploymentVerifierDid(): Promise<string | undefined> {
  deploymentVerifier ??= call<{ did?: unknown }>('verifier', '/identity', { timeoutMs: 5_000 }).then(
    (identity) => (typeof identity.did === 'string' ? identity.did : undefined),
    () => {
      deploymentVerifier = undefined
      return undefined
    },
  )
  return deploymentVerifier
}

export async function listRequests(caseId: string): Promise<IncomingRequest[]> {
  const { db } = await holderAgent()
  const [rows, credentials, ownVerifier] = await Promise.all([
    db.walletPresentationRequest.findMany({ where: { caseId }, orderBy: { receivedAt: 'desc' } }),
    db.walletCredential.findMany({ where: { caseId }, orderBy: { receivedAt: 'asc' } }),
    deploymentVerifierDid(),
  ])
  const { matchPresentationDefinition } = await holderPackage()
  return rows.map((row) => {
    const definition = JSON.parse(row.definition) as PresentationDefinition & { name?: string; purpose?: string }
    const match = matchPresentationDefinition(definition, credentials.map((c) => c.jwt))
    const indexes = [...new Set(match.selected.flatMap((s) => s.indexes))]
    return {
      id: row.id,
      verifierDid: row.verifierDid,
      verifierName: partyName(row.verifierDid) ?? null,
      deploymentVerifier: ownVerifier !== undefined && row.verifierDid === ownVerifier,
      purpose: definition.purpose ?? null,
      definitionName: definition.name ?? null,
      descriptors: definition.input_descriptors.map((d) => {
        const descriptor = d as { id: string; name?: string; purpose?: string }
        return { id: descriptor.id, name: descriptor.name ?? null, purpose: descriptor.purpose ?? null }
      }),
      status: row.status as IncomingRequest['status'],
      result: row.result ? (JSON.parse(row.result) as IncomingRequest['result']) : null,
      receivedAt: row.receivedAt.toISOString(),
      expiresAt: row.expiresAt?.toISOString() ?? null,
      wouldSend: indexes.map((i) => credentials[i]!.milestoneType),
      satisfied: match.satisfied,
      missing: match.missing,
    }
  })
}

/** Staff consented: refresh inclusion proofs, then answer with the case's matching credentials. */
export async function consent(caseId: string, requestId: string) {
  const { agent, db } = await holderAgent()
  const row = await db.walletPresentationRequest.findFirst({ where: { id: requestId, caseId, status: 'pending' } })
  const walletCase = await db.walletCase.findUnique({ where: { id: caseId } })
  if (!row || !walletCase) return undefined
  await refreshProofs(caseId)
  const request = JSON.parse(row.verifiedRequest) as VerifiedPresentationRequest
  const holder = await agent.loadIdentity(walletCase.keyAlias)
  try {
    // Through the agent: its verifier fetch reaches only trusted verifier origins.
    const answer = await agent.answerPresentationRequest(holder, request)
    const sent = answer.submission?.descriptor_map?.length ?? 0
    const result = {
      ...(answer.redirectUri ? { redirectUri: answer.redirectUri } : {}),
      ...(answer.code ? { code: answer.code } : {}),
      ...(answer.error ? { error: answer.error } : {}),
      ...(answer.errorDescription ? { errorDescription: answer.errorDescription } : {}),
      sentCount: sent,
    }
    await db.walletPresentationRequest.update({
      where: { id: row.id },
      data: { status: answer.error ? 'failed' : 'answered', result: JSON.stringify(result), answeredAt: new Date() },
    })
    return result
  } catch (error) {
    const result = { error: (error as { code?: string }).code ?? 'ERR_HOLDER', errorDescription: (error as Error).message }
    await db.walletPresentationRequest.update({
      where: { id: row.id },
      data: { status: 'failed', result: JSON.stringify(result), answeredAt: new Date() },
    })
    return result
  }
}

export async function decline(caseId: string, requestId: string) {
  const { agent, db } = await holderAgent()
  const row = await db.walletPresentationRequest.findFirst({ where: { id: requestId, caseId, status: 'pending' } })
  if (!row) return undefined
  const request = JSON.parse(row.verifiedRequest) as VerifiedPresentationRequest
  const answer = await agent.declinePresentationRequest(request).catch((error: Error) => ({ error: 'unreachable', errorDescription: error.message }))
  await db.walletPresentationRequest.update({
    where: { id: row.id },
    data: { status: 'declined', result: JSON.stringify({ error: answer.error ?? 'access_denied' }), answeredAt: new Date() },
  })
  return answer
}
