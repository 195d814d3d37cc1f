import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { EbsiClient } from '@flora/ebsi-connector'
import type { EcPublicJwk } from '@flora/ebsi-connector/core'
import { AdminClient, JURISDICTION_URI, operatorFromFile, TrustAnchors } from '../bootstrap/index.ts'

/** Tenant id of the deliberately unaccredited authority of the broken scenarios. */
export const UNACCREDITED_AUTHORITY_ID = 'pilot-unaccredited-authority'
const ROGUE_ROOT = 'rogue-root-tao'
const ROGUE_TAO = 'rogue-tao'

/**
 * The deliberately broken issuer of the pilot: an issuer tenant accredited on the shared ledger, but
 * under a Root TAO that the French verifier does not trust (registered by the ledger operator like
 * any Root TAO, then never configured as a trust anchor). The issuer accepts its milestones — its
 * TIR accreditation exists — and the verifier's accreditation step must refuse them, because the
 * chain does not lead to the pilot's trust anchor. Its keys live in their own store
 * (`<dataDir>/rogue-trust-anchors/`). Idempotent.
 */
export async function ensureUnaccreditedAuthority(args: {
  dataDir: string
  ledgerUrl: string
  issuerUrl: string
}): Promise<{ id: string; did: string; token: string }> {
  const ebsi = new EbsiClient({ baseUrl: args.ledgerUrl })
  const issuer = new AdminClient('issuer', args.issuerUrl, readFileSync(join(args.dataDir, 'issuer-admin-token'), 'utf8').trim())
  const anchors = await TrustAnchors.open({
    ebsi,
    dataDir: join(args.dataDir, 'rogue-trust-anchors'),
    log: () => {},
    actions: [],
  })
  try {
    const operator = operatorFromFile(join(args.dataDir, 'ledger-operator.json'))
    const { items: schemas } = await issuer.get<{ items: { name: string; url: string; schema: Record<string, unknown> }[] }>(
      '/admin/ledger/schemas',
    )
    await anchors.ensureSchemas(operator, schemas)
    await anchors.ensureRootTao(ROGUE_ROOT, operator)
    const types = ['TransferExecutedMilestone', 'AbscondingMilestone']
    await anchors.ensureTao(ROGUE_TAO, ROGUE_ROOT, types, JURISDICTION_URI.DE!)
    const existing = await issuer.call<{ stage: string; didRegistered?: boolean }>(
      'GET',
      `/admin/authorities/${UNACCREDITED_AUTHORITY_ID}?ledger=true`,
      undefined,
      [404],
    )
    if (existing.status === 404)
      await issuer.post('/admin/authorities', {
        id: UNACCREDITED_AUTHORITY_ID,
        name: 'Testbehörde – Akkreditierung außerhalb der Pilot-Vertrauenskette (Fehlerfall)',
        role: 'FOREIGNERS_AUTHORITY',
        jurisdiction: 'DE-SN',
      })
    const { did, controllerKey } = await issuer.post<{ did: string; controllerKey: { publicKeyJwk: EcPublicJwk } }>(
      `/admin/authorities/${UNACCREDITED_AUTHORITY_ID}/did`,
    )
    const view = existing.status === 404 ? undefined : existing.body
    if (!(view?.stage === 'accredited' && view.didRegistered))
      await issuer.post(`/admin/authorities/${UNACCREDITED_AUTHORITY_ID}/onboarding`, {
        authorisationToOnboard: await anchors.authoriseOnboarding(ROGUE_TAO, did, controllerKey.publicKeyJwk),
      })
    const accreditation = await anchors.accreditTi({
      taoKey: ROGUE_TAO,
      subjectKey: UNACCREDITED_AUTHORITY_ID,
      subjectDid: did,
      types,
      limitJurisdiction: JURISDICTION_URI.DE!,
    })
    if (!accreditation.written || view?.stage !== 'accredited')
      await issuer.post(`/admin/authorities/${UNACCREDITED_AUTHORITY_ID}/accreditation`, {
        attributeId: accreditation.attributeId,
        accreditation: accreditation.accreditation,
      })
    const { token } = await issuer.post<{ token: string }>(`/admin/authorities/${UNACCREDITED_AUTHORITY_ID}/api-tokens`, {
      name: 'pilot broken-case system',
      role: 'staff',
    })
    return { id: UNACCREDITED_AUTHORITY_ID, did, token }
  } finally {
    await anchors.close()
  }
}
