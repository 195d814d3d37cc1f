import { generateKeyPairSync, randomUUID, sign } from 'node:crypto'
import { type EbsiEntity, signCredentialJwt } from '@flora/ebsi-connector'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  accreditedParty,
  dresdenPage,
  dresdenStaff,
  issuerOffer,
  json,
  onboardedParty,
  openCase,
  receiveInBrowser,
  type SecuritySetup,
  startSecuritySetup,
  type TestServer,
  testServer,
  withWalletDb,
} from './harness.ts'

/*
 * A received credential is verified before the case wallet keeps it, kept per case, and the name
 * shown for its issuer comes from the deployment, not from what an offer's metadata claims. The
 * hostile issuer is a real OpenID4VCI endpoint at an origin the deployment trusts for issuers
 * (trusted origins do not make what they deliver trustworthy).
 */

const IMPOSTER_NAME = 'Imposter Authority Without Accreditation'
const PRE_AUTHORIZED = 'urn:ietf:params:oauth:grant-type:pre-authorized_code'

let hostileIssuer: TestServer
/** What the hostile issuer's credential endpoint answers next. */
let nextCredential = ''
let setup: Promise<SecuritySetup>
let signedIn: { ctx: BrowserContext; page: Page }
let caseA: string
let caseB: string
let genuine: { id: string; jwt: string }

beforeAll(async () => {
  hostileIssuer = await testServer((request, response, self) => {
    const base = self.origin
    const path = (request.url ?? '').split('?')[0]
    if (path === '/.well-known/openid-credential-issuer')
      return json(response, 200, {
        credential_issuer: base,
        authorization_servers: [base],
        credential_endpoint: `${base}/credential`,
        nonce_endpoint: `${base}/nonce`,
        display: [{ name: IMPOSTER_NAME, locale: 'de' }],
        credential_configurations_supported: {
          AsylumRequestRecordReachedBamfMilestone: { format: 'jwt_vc_json' },
        },
      })
    if (path === '/.well-known/oauth-authorization-server')
      return json(response, 200, { issuer: base, token_endpoint: `${base}/token` })
    if (path === '/token') return json(response, 200, { access_token: 'token', token_type: 'Bearer', c_nonce: 'nonce' })
    if (path === '/nonce') return json(response, 200, { c_nonce: 'nonce' })
    if (path === '/credential') return json(response, 200, { credential: nextCredential })
    return json(response, 404, {})
  })
  setup = startSecuritySetup({ FLORA_WALLET_TRUSTED_ISSUER_ORIGINS: hostileIssuer.origin })
  setup.catch(() => {})
  const { stack } = await setup
  signedIn = await dresdenPage(await setup)
  caseA = await openCase(signedIn.page, stack.urls.wallet)
  caseB = await openCase(signedIn.page, stack.urls.wallet)
  const { offer, txCode } = await issuerOffer(stack, dresdenStaff(stack), caseA)
  expect(await receiveInBrowser(signedIn.page, stack.urls.wallet, caseA, offer, txCode)).toEqual({ received: true })
  genuine = await withWalletDb(stack, async (db) => {
    const [row, ...more] = await db.client.walletCredential.findMany({ where: { caseId: caseA } })
    expect(more).toEqual([])
    return { id: row!.id, jwt: row!.jwt }
  })
}, 300_000)

afterAll(async () => {
  await signedIn?.ctx.close()
  const ready = await setup?.catch(() => undefined)
  await ready?.browser.close()
  await ready?.stack.stop()
  await hostileIssuer?.close()
}, 60_000)

const hostileOffer = () =>
  `openid-credential-offer://?credential_offer=${encodeURIComponent(
    JSON.stringify({
      credential_issuer: hostileIssuer.origin,
      credential_configuration_ids: ['AsylumRequestRecordReachedBamfMilestone'],
      grants: { [PRE_AUTHORIZED]: { 'pre-authorized_code': randomUUID() } },
    }),
  )}`

const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

/** A real ES256 signature, by a key of the test's own that no DID document on the ledger lists. */
function signWithUnlistedKey(header: Record<string, unknown>, payload: Record<string, unknown>): string {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const input = `${part(header)}.${part(payload)}`
  return `${input}.${sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`
}

const decode = (jwt: string) => jwt.split('.').slice(0, 2).map((p) => JSON.parse(Buffer.from(p, 'base64url').toString())) as [Record<string, unknown>, Record<string, unknown>]

async function timelineText(caseId: string): Promise<string> {
  const { stack } = await setup
  await signedIn.page.goto(`${stack.urls.wallet}/cases/${caseId}`)
  return (await signedIn.page.locator('.timeline').textContent()) ?? ''
}

describe('credentials a case wallet receives (receive form, in Chromium)', () => {
  it('a credential signed by a key not on the ledger, under a real issuer\'s DID, is refused and not stored; the issuer\'s name stays', async () => {
    const { stack } = await setup
    const issuerName = dresdenStaff(stack).authorityName!
    expect(await timelineText(caseA)).toContain(issuerName)
    const [header, payload] = decode(genuine.jwt)
    const forgedId = `urn:uuid:${randomUUID()}`
    const vc = payload.vc as Record<string, unknown>
    nextCredential = signWithUnlistedKey(header, { ...payload, jti: forgedId, vc: { ...vc, id: forgedId } })

    const outcome = await receiveInBrowser(signedIn.page, stack.urls.wallet, caseA, hostileOffer())
    expect(outcome.received ? '' : outcome.error).toContain('refused and not stored')
    expect(await withWalletDb(stack, (db) => db.client.walletCredential.count({ where: { id: forgedId } }))).toBe(0)
    const shown = await timelineText(caseA)
    expect(shown).toContain(issuerName)
    expect(shown).not.toContain(IMPOSTER_NAME)
  })

  it('a credential already held by case A, offered into case B, is refused and stays in case A', async () => {
    const { stack } = await setup
    nextCredential = genuine.jwt
    const outcome = await receiveInBrowser(signedIn.page, stack.urls.wallet, caseB, hostileOffer())
    expect(outcome.received ? '' : outcome.error).toContain('refused and not stored')
    const rows = await withWalletDb(stack, (db) => db.client.walletCredential.findMany({ where: { id: genuine.id } }))
    expect(rows.map((r) => ({ caseId: r.caseId, jwt: r.jwt }))).toEqual([{ caseId: caseA, jwt: genuine.jwt }])
    expect(await timelineText(caseA)).toContain(dresdenStaff(stack).authorityName!)
    expect(await timelineText(caseA)).not.toContain(IMPOSTER_NAME)
  })
})

/** A credential like the genuine one, for case A's holder, signed by `party` and naming `termsOfUse`. */
async function signedBy(party: EbsiEntity, termsOfUse: string): Promise<{ id: string; jwt: string }> {
  const [, payload] = decode(genuine.jwt)
  const vc = payload.vc as Record<string, unknown> & { credentialSubject: Record<string, unknown>; issued: string; validFrom: string }
  const id = `urn:uuid:${randomUUID()}`
  const jwt = await signCredentialJwt(
    { did: party.did, signer: party.assertion },
    { ...vc, id, issuer: party.did, termsOfUse: { id: termsOfUse, type: 'IssuanceCertificate' } },
  )
  return { id, jwt }
}

const termsOfUseOf = (jwt: string) => ((decode(jwt)[1].vc as { termsOfUse: { id: string } }).termsOfUse.id)

describe('credentials of parties on the ledger (receive form, in Chromium)', () => {
  it('a credential of an issuer registered on the ledger but not accredited is refused and not stored', async () => {
    const { stack } = await setup
    const unaccredited = await onboardedParty(stack)
    // it names BAMF Dresden's accreditation: not its own
    const credential = await signedBy(unaccredited, termsOfUseOf(genuine.jwt))
    nextCredential = credential.jwt
    const outcome = await receiveInBrowser(signedIn.page, stack.urls.wallet, caseA, hostileOffer())
    expect(outcome.received ? '' : outcome.error).toContain('not accredited for this kind of credential')
    expect(await withWalletDb(stack, (db) => db.client.walletCredential.count({ where: { id: credential.id } }))).toBe(0)
  })

  it('an accredited issuer outside the deployment is kept, shown by its DID — never by the name its metadata claims', async () => {
    const { stack } = await setup
    const outsider = await accreditedParty(stack, ['AsylumRequestRecordReachedBamfMilestone'])
    const credential = await signedBy(outsider, outsider.attributeUrl)
    nextCredential = credential.jwt
    expect(await receiveInBrowser(signedIn.page, stack.urls.wallet, caseA, hostileOffer())).toEqual({ received: true })
    expect(await withWalletDb(stack, (db) => db.client.walletCredential.count({ where: { caseId: caseA, id: credential.id } }))).toBe(1)
    const shown = await timelineText(caseA)
    expect(shown).toContain(outsider.did)
    expect(shown).toContain(dresdenStaff(stack).authorityName!)
    expect(shown).not.toContain(IMPOSTER_NAME)
  })
})
