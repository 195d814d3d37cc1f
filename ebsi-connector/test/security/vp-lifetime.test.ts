import { type TestDatabase, tempPostgresDatabase, tempSqliteDatabase } from '@flora/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Actor } from '../node/helpers/actor.ts'
import { LedgerTestClient, randomAttributeId } from '../node/helpers/ledger-client.ts'
import { newOperator, startNode, testConfig } from '../node/helpers/node-under-test.ts'
import { bootstrapTrustChain, onboard, type TrustChain } from '../node/helpers/trust-chain.ts'

/**
 * A VP's nonce is remembered for a limited time only. A VP that outlives that memory could be
 * replayed by whoever captured it (a log, a proxy, a stolen request body) once its nonce is
 * forgotten. So every scope's VP must carry `exp`, and not far ahead — not only didr_invite's.
 */

const backends: [string, () => TestDatabase | Promise<TestDatabase>][] = [
  ['SQLite', () => tempSqliteDatabase()],
  ['PostgreSQL', () => tempPostgresDatabase()],
]

describe.each(backends)('every authorisation scope bounds the VP lifetime (%s)', (_name, makeDatabase) => {
  let database: TestDatabase
  let client: LedgerTestClient
  let close: () => Promise<void>
  let chain: TrustChain
  /** A registered entity pre-registered in the TIR, waiting for its accreditation (tir_invite). */
  let invitee: { actor: Actor; accreditation: string }

  beforeAll(async () => {
    database = await makeDatabase()
    const operator = newOperator()
    const { node, url } = await startNode(testConfig(database.url, operator))
    close = () => node.close()
    client = new LedgerTestClient(url)
    chain = await bootstrapTrustChain(client, operator)
    const actor = await onboard(client, chain.rootTao, 'invitee')
    const attributeId = randomAttributeId()
    await client.writeOk(
      chain.rootTao,
      'trusted-issuers-registry/v5',
      'setAttributeMetadata',
      {
        did: actor.did,
        attributeId,
        issuerType: 3,
        taoDid: chain.rootTao.did,
        taoAttributeId: chain.rootTaoAttributeId,
      },
      await client.token(chain.rootTao, 'tir_write'),
    )
    const accreditation = await chain.rootTao.issueVc(actor.did, ['VerifiableAccreditationToAttest'], {
      reservedAttributeId: attributeId,
      accreditedFor: [
        {
          schemaId: 'https://example.invalid/schemas/z1',
          types: ['VerifiableCredential', 'VerifiableAttestation', 'AsylumProcedureMilestone'],
        },
      ],
    })
    invitee = { actor, accreditation }
  }, 120_000)
  afterAll(async () => {
    await close?.()
    await database?.dispose()
  })

  /** Who may ask for each scope, with what credentials. */
  const holders = (): Record<string, { actor: Actor; credentials: string[] }> => ({
    didr_write: { actor: chain.ti, credentials: [] },
    timestamp_write: { actor: chain.ti, credentials: [] },
    tir_write: { actor: chain.ti, credentials: [] },
    tsr_write: { actor: chain.operator, credentials: [] },
    tir_invite: { actor: invitee.actor, credentials: [invitee.accreditation] },
  })

  it.each(['didr_write', 'timestamp_write', 'tir_write', 'tsr_write', 'tir_invite'])(
    '%s: a VP without "exp" is refused',
    async (scope) => {
      const { actor, credentials } = holders()[scope]!
      const refused = await client.requestToken(actor, scope, credentials, { lifetimeSeconds: null })
      expect(refused.status).toBe(400)
      expect(refused.contentType).toMatch(/application\/problem\+json/)
      expect(refused.body.code).toBe('ERR_PRESENTATION_INVALID')
      expect(refused.body.detail).toMatch(/"exp"/)
    },
  )

  it.each(['didr_write', 'timestamp_write', 'tir_write', 'tsr_write', 'tir_invite'])(
    '%s: a VP valid for an hour (beyond the nonce memory) is refused',
    async (scope) => {
      const { actor, credentials } = holders()[scope]!
      const refused = await client.requestToken(actor, scope, credentials, { lifetimeSeconds: 3600 })
      expect(refused.status).toBe(400)
      expect(refused.body.code).toBe('ERR_PRESENTATION_INVALID')
      expect(refused.body.detail).toMatch(/lifetime/)
    },
  )

  it.each(['didr_write', 'timestamp_write', 'tir_write', 'tsr_write', 'tir_invite'])(
    '%s: a VP valid for five minutes is still accepted',
    async (scope) => {
      const { actor, credentials } = holders()[scope]!
      const granted = await client.requestToken(actor, scope, credentials, { lifetimeSeconds: 300 })
      expect(granted.status, JSON.stringify(granted.body)).toBe(200)
      expect(granted.body.scope).toBe(`openid ${scope}`)
    },
  )
})
