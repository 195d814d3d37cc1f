import { randomUUID } from 'node:crypto'
import { credentialSchemaFor } from '@flora/credentials'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  accreditEntity,
  authoriseOnboarding,
  type EbsiClient,
  type EbsiEntity,
  isoSeconds,
  onboardEntity,
  registerRootTao,
  registerSchema,
  signCredentialJwt,
} from '../../src/client/index.ts'
import { generateDidEbsi } from '../../src/core/index.ts'
import {
  createGuardedFetch,
  CredentialRejected,
  InMemoryHolderRepository,
  ledgerCredentialPolicy,
  type StoredCredential,
  VerifyingHolderRepository,
} from '../../src/holder/index.ts'
import { generateKey } from '../../src/keys/index.ts'
import { createDidKeyJwkJcs } from '../../src/veramo/index.ts'
import { localSigner, type RunningLedger, startLedger } from '../integration/helpers/ledger.ts'

/*
 * A case wallet keeps a credential only once it is verified against the real ledger (in process,
 * over HTTP): signed by an assertion key its issuer lists in the DID Registry, about the case's
 * holder, from an issuer whose accreditation chain covers its type up to a trust anchor. The
 * check sits in the repository (VerifyingHolderRepository), so it holds whatever delivered it.
 */

const MILESTONE = 'FormalApplicationMilestone'
const TYPES = ['VerifiableCredential', 'VerifiableAttestation', MILESTONE]

const freshEntity = (): EbsiEntity => ({
  did: generateDidEbsi(),
  controller: localSigner('Secp256k1', generateKey('Secp256k1').privateKey),
  assertion: localSigner('Secp256r1', generateKey('Secp256r1').privateKey),
})

let ledger: RunningLedger
let ebsi: EbsiClient
let root: EbsiEntity & { attributeId: string }
let ti: EbsiEntity & { attributeId: string }
let unaccredited: EbsiEntity
let schemaUrl: string
const holder = createDidKeyJwkJcs(generateKey('Secp256r1').publicJwk)
const otherHolder = createDidKeyJwkJcs(generateKey('Secp256r1').publicJwk)

beforeAll(async () => {
  ledger = await startLedger()
  ebsi = ledger.client()
  const operator = ledger.operator
  const onboard = async (accreditor: EbsiEntity) => {
    const entity = freshEntity()
    await onboardEntity(ebsi, {
      entity,
      authorisationToOnboard: await authoriseOnboarding(ebsi, {
        issuer: accreditor,
        subjectDid: entity.did,
        controllerKey: entity.controller.publicKeyJwk,
      }),
    })
    return entity
  }
  ;({ url: schemaUrl } = await registerSchema(ebsi, {
    writer: operator,
    schema: credentialSchemaFor(MILESTONE) as Record<string, unknown>,
    metadata: { title: MILESTONE },
  }))
  const accreditedFor = [{ schemaId: schemaUrl, types: TYPES }]
  const rootEntity = await onboard(operator)
  root = { ...rootEntity, ...(await registerRootTao(ebsi, { supportOffice: operator, rootTao: rootEntity })) }
  const tiEntity = await onboard(root)
  ti = {
    ...tiEntity,
    ...(await accreditEntity(ebsi, { accreditor: root, accreditorAttributeId: root.attributeId, subject: tiEntity, role: 'TI', accreditedFor })),
  }
  unaccredited = await onboard(root)
}, 120_000)

afterAll(async () => {
  await ledger?.stop()
})

/** A milestone credential as the issuer signs it; `overrides` change the VC, `signer` the signature. */
async function credentialOf(args: {
  issuer?: EbsiEntity
  subject?: string
  types?: string[]
  termsOfUse?: string
  signer?: EbsiEntity['assertion']
}): Promise<StoredCredential> {
  const issuer = args.issuer ?? ti
  const now = isoSeconds(new Date(Date.now() - 1000))
  const id = `urn:uuid:${randomUUID()}`
  const types = args.types ?? TYPES
  const jwt = await signCredentialJwt(
    { did: issuer.did, signer: args.signer ?? issuer.assertion },
    {
      '@context': ['https://www.w3.org/2018/credentials/v1'],
      id,
      type: types,
      issuer: issuer.did,
      issuanceDate: now,
      issued: now,
      validFrom: now,
      expirationDate: isoSeconds(new Date(Date.now() + 365 * 86_400_000)),
      credentialSubject: { id: args.subject ?? holder, milestoneDate: '2026-01-15' },
      credentialSchema: { id: schemaUrl, type: 'FullJsonSchemaValidator2021' },
      termsOfUse: {
        id: args.termsOfUse ?? ebsi.trustedIssuersRegistry.attributeUrl(ti.did, ti.attributeId),
        type: 'IssuanceCertificate',
      },
    },
  )
  return { id, holderDid: holder, jwt, types, issuer: issuer.did, receivedAt: new Date() }
}

function repositoryAgainst(ledgerUrl = ledger.url, trustAnchors = () => Promise.resolve([root.did])) {
  const inner = new InMemoryHolderRepository()
  const fetch = createGuardedFetch({ role: 'ledger', allowedOrigins: [ledgerUrl], timeoutMs: 5_000, maxBytes: 1024 * 1024 })
  return { inner, repository: new VerifyingHolderRepository(inner, ledgerCredentialPolicy({ ledgerUrl, fetch, trustAnchors })) }
}

async function refused(credential: StoredCredential, repo = repositoryAgainst()): Promise<string> {
  const error = await repo.repository.save(credential).then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(CredentialRejected)
  expect(await repo.inner.list(holder)).toEqual([])
  return (error as CredentialRejected).reason
}

describe('a received credential is verified before the wallet keeps it', () => {
  it('keeps a credential of an accredited issuer, about this holder, signed with its key on the ledger', async () => {
    const { repository, inner } = repositoryAgainst()
    const credential = await credentialOf({})
    await repository.save(credential)
    expect((await inner.list(holder)).map((c) => c.id)).toEqual([credential.id])
  })

  it('refuses a real signature by a key the issuer does not list on the ledger', async () => {
    const unlisted = localSigner('Secp256r1', generateKey('Secp256r1').privateKey)
    expect(await refused(await credentialOf({ signer: unlisted }))).toBe('signature')
  })

  it('refuses a DID that is not on the ledger at all', async () => {
    expect(await refused(await credentialOf({ issuer: freshEntity() }))).toBe('signature')
  })

  it('refuses an issuer on the ledger but not accredited (its own termsOfUse, or another issuer\'s)', async () => {
    const own = ebsi.trustedIssuersRegistry.attributeUrl(unaccredited.did, `0x${'ab'.repeat(32)}`)
    expect(await refused(await credentialOf({ issuer: unaccredited, termsOfUse: own }))).toBe('accreditation')
    expect(await refused(await credentialOf({ issuer: unaccredited }))).toBe('accreditation')
  })

  it('refuses a type the issuer is not accredited for', async () => {
    expect(await refused(await credentialOf({ types: ['VerifiableCredential', 'VerifiableAttestation', 'TransferExecutedMilestone'] }))).toBe('accreditation')
  })

  it('refuses a chain that ends at a root the wallet does not trust', async () => {
    expect(await refused(await credentialOf({}), repositoryAgainst(ledger.url, () => Promise.resolve([generateDidEbsi()])))).toBe('accreditation')
  })

  it('refuses a credential about another holder', async () => {
    const credential = await credentialOf({ subject: otherHolder })
    expect(await refused(credential)).toBe('subject')
  })

  it('refuses stored fields that differ from the JWT (issuer, id)', async () => {
    const credential = await credentialOf({})
    expect(await refused({ ...credential, issuer: root.did })).toBe('not-as-delivered')
    expect(await refused({ ...credential, id: 'urn:uuid:other' })).toBe('not-as-delivered')
  })

  it('fails closed when the ledger cannot be asked, or no trust anchor is configured', async () => {
    const credential = await credentialOf({})
    expect(await refused(credential, repositoryAgainst('http://127.0.0.1:9'))).toBe('trust-unavailable')
    expect(await refused(credential, repositoryAgainst(ledger.url, () => Promise.resolve([])))).toBe('trust-unavailable')
  })

  it('keeps a credential per holder: the same id under another holder does not replace it', async () => {
    const { repository, inner } = repositoryAgainst()
    const credential = await credentialOf({})
    await repository.save(credential)
    const forOther = await credentialOf({ subject: otherHolder })
    await expect(inner.save({ ...forOther, id: credential.id, holderDid: otherHolder })).resolves.toBeUndefined()
    expect((await inner.list(holder)).map((c) => c.jwt)).toEqual([credential.jwt])
    await expect(inner.save({ ...credential, jwt: forOther.jwt })).rejects.toMatchObject({ reason: 'conflict' })
  })
})
