import { describe, expect, it } from 'vitest'
import {
  AccreditationJurisdictionMismatch,
  AccreditationLoop,
  AccreditationNotFound,
  AccreditationRevoked,
  AccreditationSchemaNotCovered,
  AccreditationTypeNotCovered,
  type AccreditationReader,
  type TirAttribute,
  TermsOfUseMissing,
  UntrustedTrustAnchor,
  walkAccreditationChain,
} from '../../src/trust/index.ts'

const TIR = 'http://localhost:4100/trusted-issuers-registry/v5/issuers'
const SCHEMA = 'http://localhost:4100/trusted-schemas-registry/v3/schemas/zSchemaA'
const OTHER_SCHEMA = 'http://localhost:4100/trusted-schemas-registry/v3/schemas/zSchemaB'
const TYPES = ['VerifiableCredential', 'VerifiableAttestation', 'ArrivalCertificate']
const DEU = 'https://publications.europa.eu/resource/authority/atu/DEU'
const FRA = 'https://publications.europa.eu/resource/authority/atu/FRA'
const ROOT = 'did:ebsi:zRoot'
const TAO = 'did:ebsi:zTao'
const TI = 'did:ebsi:zTi'

const attrUrl = (did: string, id: string) => `${TIR}/${did}/attributes/${id}`
const unsignedJwt = (payload: unknown) =>
  `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.`

interface Node {
  did: string
  id: string
  issuerType: string
  types: string[]
  issuer: string
  accreditedFor?: unknown[]
  termsOfUse?: string
}

function reader(nodes: Node[]): AccreditationReader {
  const map = new Map<string, TirAttribute>()
  for (const n of nodes) {
    map.set(attrUrl(n.did, n.id), {
      did: n.did,
      attribute: {
        hash: '0x',
        issuerType: n.issuerType,
        tao: '',
        rootTao: ROOT,
        body: unsignedJwt({
          vc: {
            type: n.types,
            issuer: n.issuer,
            validFrom: '2024-01-01T00:00:00Z',
            credentialSubject: { id: n.did, accreditedFor: n.accreditedFor },
            ...(n.termsOfUse ? { termsOfUse: { id: n.termsOfUse, type: 'IssuanceCertificate' } } : {}),
          },
        }),
      },
    })
  }
  return { readAttribute: async (url) => map.get(url) }
}

const root: Node = {
  did: ROOT,
  id: '0xroot',
  issuerType: 'RootTAO',
  types: ['VerifiableCredential', 'VerifiableAttestation', 'VerifiableAuthorisationForTrustChain'],
  issuer: ROOT,
}
const tao = (over: Partial<Node> = {}): Node => ({
  did: TAO,
  id: '0xtao',
  issuerType: 'TAO',
  types: [
    'VerifiableCredential',
    'VerifiableAttestation',
    'VerifiableAccreditation',
    'VerifiableAccreditationToAccredit',
  ],
  issuer: ROOT,
  accreditedFor: [{ schemaId: SCHEMA, types: TYPES, limitJurisdiction: DEU }],
  termsOfUse: attrUrl(ROOT, '0xroot'),
  ...over,
})
const ti = (over: Partial<Node> = {}): Node => ({
  did: TI,
  id: '0xti',
  issuerType: 'TI',
  types: [
    'VerifiableCredential',
    'VerifiableAttestation',
    'VerifiableAccreditation',
    'VerifiableAccreditationToAttest',
  ],
  issuer: TAO,
  accreditedFor: [{ schemaId: SCHEMA, types: TYPES, limitJurisdiction: DEU }],
  termsOfUse: attrUrl(TAO, '0xtao'),
  ...over,
})
const subject = { issuer: TI, types: TYPES, schemaId: SCHEMA, termsOfUse: attrUrl(TI, '0xti') }
const policy = { trustAnchors: [ROOT] }

describe('walkAccreditationChain', () => {
  it('accepts a valid TI → TAO → Root TAO chain', async () => {
    const chain = await walkAccreditationChain(subject, reader([root, tao(), ti()]), policy)
    expect(chain.trustAnchor).toBe(ROOT)
    expect(chain.links.map((l) => l.did)).toEqual([TI, TAO, ROOT])
    expect(chain.links[0]?.accreditedFor?.limitJurisdiction).toBe(DEU)
  })

  it('accepts a chain ending at a configured intermediate anchor', async () => {
    const chain = await walkAccreditationChain(subject, reader([tao(), ti()]), { trustAnchors: [TAO] })
    expect(chain.trustAnchor).toBe(TAO)
  })

  it('refuses a type the TI is not accredited for', async () => {
    const s = { ...subject, types: [...TYPES.slice(0, 2), 'TransferDecision'] }
    await expect(walkAccreditationChain(s, reader([root, tao(), ti()]), policy)).rejects.toBeInstanceOf(
      AccreditationTypeNotCovered,
    )
  })

  it('refuses a type the TAO may not delegate, even if the TI claims it', async () => {
    const wide = [...TYPES, 'TransferDecision']
    const nodes = [
      root,
      tao(),
      ti({ accreditedFor: [{ schemaId: SCHEMA, types: wide, limitJurisdiction: DEU }] }),
    ]
    await expect(
      walkAccreditationChain(
        { ...subject, types: [...TYPES.slice(0, 2), 'TransferDecision'] },
        reader(nodes),
        policy,
      ),
    ).rejects.toMatchObject({
      code: 'ERR_ACCREDITATION_TYPE_NOT_COVERED',
      attributeUrl: attrUrl(TAO, '0xtao'),
    })
  })

  it('refuses a schema the TI is not accredited for', async () => {
    await expect(
      walkAccreditationChain({ ...subject, schemaId: OTHER_SCHEMA }, reader([root, tao(), ti()]), policy),
    ).rejects.toBeInstanceOf(AccreditationSchemaNotCovered)
  })

  it('refuses a revoked link (TI or TAO)', async () => {
    await expect(
      walkAccreditationChain(subject, reader([root, tao(), ti({ issuerType: 'Revoked' })]), policy),
    ).rejects.toBeInstanceOf(AccreditationRevoked)
    await expect(
      walkAccreditationChain(subject, reader([root, tao({ issuerType: 'Revoked' }), ti()]), policy),
    ).rejects.toBeInstanceOf(AccreditationRevoked)
  })

  it('refuses a root that is not a configured trust anchor', async () => {
    await expect(
      walkAccreditationChain(subject, reader([root, tao(), ti()]), {
        trustAnchors: ['did:ebsi:zSomeoneElse'],
      }),
    ).rejects.toBeInstanceOf(UntrustedTrustAnchor)
  })

  it('stops on loops', async () => {
    const loopTao = tao({ issuer: TI, termsOfUse: attrUrl(TI, '0xti') })
    await expect(walkAccreditationChain(subject, reader([loopTao, ti()]), policy)).rejects.toBeInstanceOf(
      AccreditationLoop,
    )
  })

  it('checks jurisdiction at each step', async () => {
    await expect(
      walkAccreditationChain({ ...subject, jurisdiction: FRA }, reader([root, tao(), ti()]), policy),
    ).rejects.toBeInstanceOf(AccreditationJurisdictionMismatch)
    const nodes = [
      root,
      tao(),
      ti({ accreditedFor: [{ schemaId: SCHEMA, types: TYPES, limitJurisdiction: FRA }] }),
    ]
    await expect(walkAccreditationChain(subject, reader(nodes), policy)).rejects.toBeInstanceOf(
      AccreditationJurisdictionMismatch,
    )
  })

  it('refuses a missing termsOfUse or an unknown attribute', async () => {
    await expect(
      walkAccreditationChain({ ...subject, termsOfUse: undefined }, reader([]), policy),
    ).rejects.toBeInstanceOf(TermsOfUseMissing)
    await expect(walkAccreditationChain(subject, reader([root, tao()]), policy)).rejects.toBeInstanceOf(
      AccreditationNotFound,
    )
  })
})
