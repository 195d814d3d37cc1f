import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readStatusBit } from '../src/domain/status-list.ts'
import {
  addAuthority,
  api,
  bootIssuer,
  decodeJwt,
  newHolder,
  redeemV1,
  type TestAuthority,
  type TestIssuer,
} from './helpers/harness.ts'

let t: TestIssuer
let lds: TestAuthority
let dublin: TestAuthority
let health: TestAuthority

const arrival = (date = '2026-01-07') => ({
  type: 'ArrivalCertificateMilestone',
  claims: {
    milestoneDate: date,
    certificateIssued: true,
    certificateIssuedOn: date,
    biometricsCaptured: true,
    eurodacTransmitted: true,
    eurodacTransmittedOn: date,
  },
  eurodacReference: 'DE1200000123456',
})

beforeAll(async () => {
  t = await bootIssuer()
  lds = await addAuthority(t, {
    id: 'lds',
    name: 'Landesdirektion Sachsen',
    role: 'RECEPTION_AUTHORITY',
    accreditedTypes: ['ArrivalCertificateMilestone', 'AsylumRequestReferralMilestone'],
  })
  dublin = await addAuthority(t, {
    id: 'bamf-dublin',
    name: 'BAMF Dublin-Referat',
    role: 'BAMF_DUBLIN_UNIT',
    accreditedTypes: ['DublinRequestMilestone', 'EurodacHitMilestone'],
  })
  health = await addAuthority(t, {
    id: 'ga-dresden',
    name: 'Gesundheitsamt Dresden',
    role: 'HEALTH_AUTHORITY',
    accreditedTypes: ['MedicalExaminationMilestone'],
  })
})
afterAll(async () => {
  await t?.close()
})

describe('staff sessions and API tokens', () => {
  it('logs in with an httpOnly session cookie, and out again', async () => {
    const login = await api(t, undefined, 'POST', '/session', {
      username: 'lds-admin',
      password: 'correct horse battery',
      authorityId: 'lds',
    })
    expect(login.status).toBe(201)
    const cookie = login.headers.get('set-cookie')!
    expect(cookie).toMatch(/flora_session=fls_/)
    expect(cookie.toLowerCase()).toContain('httponly')
    expect(cookie.toLowerCase()).toContain('samesite=strict')
    const session = cookie.split(';')[0]!
    expect((await api(t, undefined, 'GET', '/me', undefined, { cookie: session })).body).toMatchObject({
      authorityId: 'lds',
      role: 'admin',
      actorType: 'staff',
    })
    // a cookie-authenticated state change names its origin (a browser does; see test/security)
    const origin = new URL(t.url).origin
    expect((await api(t, undefined, 'DELETE', '/session', undefined, { cookie: session, origin })).status).toBe(204)
    expect((await api(t, undefined, 'GET', '/me', undefined, { cookie: session })).status).toBe(401)
  })

  it('refuses a wrong password with one message, and anonymous calls', async () => {
    const wrong = await api(t, undefined, 'POST', '/session', {
      username: 'lds-admin',
      password: 'wrong horse battery',
      authorityId: 'lds',
    })
    const unknown = await api(t, undefined, 'POST', '/session', {
      username: 'nobody',
      password: 'wrong horse battery',
      authorityId: 'lds',
    })
    expect(wrong.status).toBe(401)
    expect(unknown.body.detail).toBe(wrong.body.detail)
    expect((await api(t, undefined, 'POST', '/cases', { holderDid: newHolder().did })).status).toBe(401)
  })

  it('lets admins create API tokens shown once and revoke them; staff may not', async () => {
    expect((await api(t, lds.staffToken, 'POST', '/admin/api-tokens', { name: 'x' })).status).toBe(403)
    const created = await api(t, lds.adminToken, 'POST', '/admin/api-tokens', {
      name: 'batch system',
      role: 'staff',
    })
    expect(created.status).toBe(201)
    expect(created.body.token).toMatch(/^flt_/)
    const listed = await api(t, lds.adminToken, 'GET', '/admin/api-tokens')
    expect(JSON.stringify(listed.body)).not.toContain(created.body.token)
    expect((await api(t, created.body.token, 'GET', '/me')).status).toBe(200)
    expect((await api(t, lds.adminToken, 'DELETE', `/admin/api-tokens/${created.body.id}`)).status).toBe(204)
    await new Promise((resolve) => setTimeout(resolve, 10))
    // revocation reaches every cache within seconds; this process clears its cache at once
    expect((await api(t, created.body.token, 'GET', '/me')).status).toBe(401)
  })

  it('lets admins add staff accounts to their own authority only', async () => {
    const added = await api(t, lds.adminToken, 'POST', '/admin/staff', {
      username: 'lds-clerk',
      password: 'long enough password',
      role: 'staff',
    })
    expect(added.status).toBe(201)
    expect(
      (
        await api(t, lds.adminToken, 'POST', '/admin/staff', {
          username: 'lds-clerk',
          password: 'long enough password',
          role: 'staff',
        })
      ).status,
    ).toBe(409)
    const staff = await api(t, lds.adminToken, 'GET', '/admin/staff')
    expect(staff.body.items.map((s: { username: string }) => s.username)).toContain('lds-clerk')
    expect(JSON.stringify(staff.body)).not.toContain('scrypt')
  })
})

describe('cases and grants', () => {
  it('hides a case from authorities without a grant (404, not 403) until the opener grants', async () => {
    const holder = newHolder()
    const opened = await api(t, lds.staffToken, 'POST', '/cases', {
      holderDid: holder.did,
      fileNumber: 'LDS-2026-000123',
    })
    expect(opened.status).toBe(201)
    const caseId = opened.body.id as string
    const offer = await api(t, lds.staffToken, 'POST', `/cases/${caseId}/milestones`, arrival())
    expect(offer.status).toBe(201)
    const unknownId = '00000000-0000-4000-8000-000000000000'
    for (const [method, path, body] of [
      ['GET', `/cases/${caseId}`, undefined],
      ['GET', `/cases/${caseId}/milestones`, undefined],
      [
        'POST',
        `/cases/${caseId}/milestones`,
        { type: 'EurodacHitMilestone', claims: { milestoneDate: '2026-01-09', category: 1 } },
      ],
      ['POST', `/cases/${caseId}/grants`, { authorityId: 'bamf-dublin' }],
      ['GET', `/milestones/${offer.body.milestoneId}`, undefined],
      ['POST', `/milestones/${offer.body.milestoneId}/revoke`, undefined],
    ] as const) {
      const denied = await api(t, dublin.staffToken, method, path, body)
      expect(denied.status, `${method} ${path}`).toBe(404)
      const missing = await api(
        t,
        dublin.staffToken,
        method,
        path.replace(caseId, unknownId).replace(offer.body.milestoneId, unknownId),
        body,
      )
      expect(missing.body.detail).toBe(denied.body.detail)
    }
    expect(
      (await api(t, lds.staffToken, 'POST', `/cases/${caseId}/grants`, { authorityId: 'bamf-dublin' }))
        .status,
    ).toBe(201)
    const seen = await api(t, dublin.staffToken, 'GET', `/cases/${caseId}`)
    expect(seen.status).toBe(200)
    expect(seen.body.fileNumber).toBeUndefined() // the file number stays with the opening authority
    expect((await api(t, lds.staffToken, 'GET', `/cases/${caseId}`)).body.fileNumber).toBe('LDS-2026-000123')
    // a granted authority may record in its competence, but not act on another authority's credential
    expect(
      (
        await api(t, dublin.staffToken, 'POST', `/cases/${caseId}/milestones`, {
          type: 'EurodacHitMilestone',
          claims: { milestoneDate: '2026-01-09', category: 1 },
          eurodacReference: 'IT2 123',
        })
      ).status,
    ).toBe(201)
    expect(
      (await api(t, dublin.staffToken, 'POST', `/milestones/${offer.body.milestoneId}/revoke`)).status,
    ).toBe(404)
    // another authority's status lists and keys are not reachable through the API: the list route
    // serves public signed lists only, there is no key endpoint at all
    expect((await api(t, dublin.staffToken, 'GET', '/admin/api-tokens')).status).toBe(403)
  })

  it('refuses a holder DID that is not an EBSI did:key, naming the field', async () => {
    const refused = await api(t, lds.staffToken, 'POST', '/cases', {
      holderDid: 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK',
    })
    expect(refused.status).toBe(400)
    expect(refused.body['invalid-params'][0].name).toBe('/holderDid')
  })
})

describe('recording milestones', () => {
  let caseId: string
  beforeAll(async () => {
    caseId = (await api(t, lds.staffToken, 'POST', '/cases', { holderDid: newHolder().did })).body.id
    await api(t, lds.staffToken, 'POST', `/cases/${caseId}/grants`, { authorityId: 'ga-dresden' })
  })

  it('returns an OpenID4VCI offer in both profiles and a transaction code', async () => {
    const offer = await api(t, lds.staffToken, 'POST', `/cases/${caseId}/milestones`, arrival())
    expect(offer.status).toBe(201)
    expect(offer.body.txCode).toMatch(/^\d{6}$/)
    expect(offer.body.offers['ebsi-v3'].credentialOffer).toMatchObject({
      credential_issuer: `${t.url}/authorities/lds`,
      credentials: ['ArrivalCertificateMilestone'],
    })
    expect(offer.body.offers.v1.credentialOffer).toMatchObject({
      credential_issuer: `${t.url}/authorities/lds/v1`,
      credential_configuration_ids: ['ArrivalCertificateMilestone'],
    })
    expect(offer.body.offers.v1.uri).toMatch(/^openid-credential-offer:\/\/\?credential_offer=/)
    const stored = await api(t, lds.staffToken, 'GET', `/milestones/${offer.body.milestoneId}`)
    expect(stored.body.claims.eurodacCommitment).toMatchObject({ alg: 'sha-256' })
    expect(JSON.stringify(stored.body)).not.toContain('DE1200000123456')
  })

  it('refuses a type the role may issue but the ledger accreditation does not cover', async () => {
    const refused = await api(t, lds.staffToken, 'POST', `/cases/${caseId}/milestones`, {
      type: 'MedicalExaminationMilestone',
      claims: { milestoneDate: '2026-01-08', examinationDone: true },
    })
    expect(refused.status).toBe(403)
    expect(refused.body).toMatchObject({
      type: 'https://flora-vc.eu/problems/missing-accreditation',
      code: 'ERR_ACCREDITATION_MISSING',
      milestoneType: 'MedicalExaminationMilestone',
    })
    expect(refused.body.missingAccreditation.types).toContain('MedicalExaminationMilestone')
  })

  it('refuses a type the authority role may not issue, even if someone accredited it', async () => {
    t.ledger.accreditations.get(lds.did)!.accreditedFor.push({
      schemaId: t.ledger.milestoneSchemaUrl('DublinRequestMilestone'),
      types: ['VerifiableCredential', 'VerifiableAttestation', 'DublinRequestMilestone'],
    })
    const refused = await api(t, lds.staffToken, 'POST', `/cases/${caseId}/milestones`, {
      type: 'DublinRequestMilestone',
      claims: {
        milestoneDate: '2026-02-03',
        requestType: 'TBR',
        requestingState: 'DE',
        requestedState: 'FR',
      },
    })
    expect(refused.status).toBe(403)
    expect(refused.body.code).toBe('ERR_ROLE_MAY_NOT_ISSUE')
  })

  it('refuses a revoked accreditation', async () => {
    const accreditation = t.ledger.accreditations.get(health.did)!
    t.ledger.accreditations.set(health.did, { ...accreditation, issuerType: 'Revoked' })
    const refused = await api(t, health.staffToken, 'POST', `/cases/${caseId}/milestones`, {
      type: 'MedicalExaminationMilestone',
      claims: { milestoneDate: '2026-01-08', examinationDone: true },
    })
    expect(refused.status).toBe(403)
    expect(refused.body.detail).toMatch(/revoked/)
    t.ledger.accreditations.set(health.did, accreditation)
    expect(
      (
        await api(t, health.staffToken, 'POST', `/cases/${caseId}/milestones`, {
          type: 'MedicalExaminationMilestone',
          claims: { milestoneDate: '2026-01-08', examinationDone: true },
        })
      ).status,
    ).toBe(201)
  })

  it('refuses invalid and over-sharing claims, naming each field', async () => {
    const invalid = await api(t, lds.staffToken, 'POST', `/cases/${caseId}/milestones`, arrival('yesterday'))
    expect(invalid.status).toBe(400)
    expect(invalid.body['invalid-params'].map((p: { name: string }) => p.name)).toContain(
      '/claims/milestoneDate',
    )
    const base = arrival()
    for (const [field, value] of Object.entries({
      name: 'Amina Haddad',
      birthDate: '1994-03-12',
      nationality: 'SY',
      address: 'Hamburger Straße 19',
      eurodacNumber: 'DE1200000123456',
    })) {
      const overSharing = await api(t, lds.staffToken, 'POST', `/cases/${caseId}/milestones`, {
        ...base,
        claims: { ...base.claims, [field]: value },
      })
      expect(overSharing.status, field).toBe(400)
      expect(overSharing.body['invalid-params'].map((p: { name: string }) => p.name)).toEqual([
        `/claims/${field}`,
      ])
    }
    const managed = await api(t, lds.staffToken, 'POST', `/cases/${caseId}/milestones`, {
      ...base,
      claims: { ...base.claims, previousMilestoneHash: null },
    })
    expect(managed.body['invalid-params'][0].name).toBe('/claims/previousMilestoneHash')
    const unknownType = await api(t, lds.staffToken, 'POST', `/cases/${caseId}/milestones`, {
      type: 'NameMilestone',
      claims: {},
    })
    expect(unknownType.body['invalid-params'][0].name).toBe('/type')
  })

  it('answers a retried request with the first response and never records twice (also concurrently)', async () => {
    const key = 'retry-1'
    const first = await api(t, lds.staffToken, 'POST', `/cases/${caseId}/milestones`, arrival(), {
      'idempotency-key': key,
    })
    const again = await api(t, lds.staffToken, 'POST', `/cases/${caseId}/milestones`, arrival(), {
      'idempotency-key': key,
    })
    expect(again.body).toEqual(first.body)
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    const burst = await Promise.all(
      Array.from({ length: 12 }, () =>
        api(t, lds.staffToken, 'POST', `/cases/${caseId}/milestones`, arrival('2026-01-08'), {
          'idempotency-key': 'burst-1',
        }),
      ),
    )
    expect(new Set(burst.map((r) => r.body.milestoneId)).size).toBe(1)
    expect(burst.every((r) => r.status === 201)).toBe(true)
    const list = await api(t, lds.staffToken, 'GET', `/cases/${caseId}/milestones`)
    expect(list.body.items.filter((m: { id: string }) => m.id === burst[0]!.body.milestoneId)).toHaveLength(1)
    const misuse = await api(
      t,
      lds.staffToken,
      'POST',
      `/cases/${caseId}/milestones`,
      arrival('2026-01-09'),
      { 'idempotency-key': key },
    )
    expect(misuse.status).toBe(422)
  })
})

describe('status: revocation is final, suspension can be lifted; corrections supersede', () => {
  it('sets and clears bits in the signed lists and refuses reinstating a revoked credential', async () => {
    const holder = newHolder()
    const caseId = (await api(t, lds.staffToken, 'POST', `/cases`, { holderDid: holder.did })).body.id
    const offer = await api(t, lds.staffToken, 'POST', `/cases/${caseId}/milestones`, arrival())
    const issued = await redeemV1(t, offer.body, holder)
    expect(issued.status).toBe(200)
    const vc = decodeJwt(issued.body.credentials[0].credential).vc
    const [revocation, suspension] = vc.credentialStatus as {
      statusListIndex: string
      statusListCredential: string
    }[]
    const listPath = (entry: { statusListCredential: string }) =>
      `/authorities/lds/status-lists${entry.statusListCredential.split(/proxies\/0x[0-9a-f]+/)[1]}`
    const bit = async (entry: { statusListIndex: string; statusListCredential: string }) => {
      const response = await fetch(`${t.url}${listPath(entry)}`)
      expect(response.headers.get('content-type')).toContain('application/jwt')
      const list = decodeJwt(await response.text())
      return readStatusBit(list.vc.credentialSubject.encodedList, Number(entry.statusListIndex))
    }
    expect(await bit(revocation!)).toBe(false)
    const id = offer.body.milestoneId
    expect((await api(t, lds.staffToken, 'POST', `/milestones/${id}/suspend`)).status).toBe(200)
    expect(await bit(suspension!)).toBe(true)
    expect((await api(t, lds.staffToken, 'POST', `/milestones/${id}/unsuspend`)).status).toBe(200)
    expect(await bit(suspension!)).toBe(false)
    // correction = revoke + re-issue with supersedes
    const corrected = await api(t, lds.staffToken, 'POST', `/milestones/${id}/corrections`, {
      claims: arrival('2026-01-06').claims,
    })
    expect(corrected.status).toBe(201)
    expect(await bit(revocation!)).toBe(true)
    const reissued = await redeemV1(t, corrected.body, holder)
    const subject = decodeJwt(reissued.body.credentials[0].credential).vc.credentialSubject
    expect(subject.supersedes).toBe(corrected.body.supersedes)
    expect(subject.previousMilestoneHash).toBe(corrected.body.supersedes)
    const reinstated = await api(t, lds.staffToken, 'POST', `/milestones/${id}/unsuspend`)
    expect(reinstated.status).toBe(409)
    expect(reinstated.body.detail).toMatch(/final/)
    expect((await api(t, lds.staffToken, 'POST', `/milestones/${id}/revoke`)).status).toBe(409)
    expect(await bit(revocation!)).toBe(true)
  })
})

describe('audit log', () => {
  it('records who, what, when and which case, and never a personal value', async () => {
    const holder = newHolder()
    const opened = await api(t, lds.staffToken, 'POST', '/cases', {
      holderDid: holder.did,
      fileNumber: 'LDS-SECRET-4711',
    })
    await api(t, lds.staffToken, 'POST', `/cases/${opened.body.id}/milestones`, arrival('2026-03-03'))
    expect((await api(t, lds.staffToken, 'GET', '/admin/audit')).status).toBe(403)
    const audit = await api(t, lds.adminToken, 'GET', '/admin/audit?limit=500')
    expect(audit.status).toBe(200)
    const actions = audit.body.items.map((e: { action: string }) => e.action)
    expect(actions).toEqual(
      expect.arrayContaining(['case.open', 'milestone.record', 'session.login', 'api-token.create']),
    )
    const event = audit.body.items.find(
      (e: { action: string; caseId: string }) => e.action === 'case.open' && e.caseId === opened.body.id,
    )
    expect(event).toMatchObject({ authorityId: 'lds', actorType: 'api', outcome: 'ok' })
    expect(Object.keys(event).sort()).toEqual([
      'action',
      'actorId',
      'actorType',
      'at',
      'authorityId',
      'caseId',
      'id',
      'outcome',
      'subjectId',
    ])
    const text = JSON.stringify(audit.body)
    for (const personal of [
      holder.did,
      'LDS-SECRET-4711',
      'DE1200000123456',
      '2026-03-03',
      'correct horse battery',
      'Amina',
    ])
      expect(text).not.toContain(personal)
    // other authorities' events stay with them
    expect(audit.body.items.every((e: { authorityId: string }) => e.authorityId === 'lds')).toBe(true)
  })
})
