import { describe, expect, it } from 'vitest'
import type { CredentialOutcome } from '../src/pipeline/run.ts'
import { type StepResult, stepResult } from '../src/pipeline/types.ts'
import { shareEvidence } from '../src/report/evidence.ts'

const LEDGER = 'http://ledger.test/trusted-issuers-registry/v5/issuers'
const chainOf = (issuer: string) => [
  { attributeUrl: `${LEDGER}/${issuer}/attributes/0x01`, did: issuer, issuerType: 'TI' },
  { attributeUrl: `${LEDGER}/did:ebsi:tao/attributes/0x02`, did: 'did:ebsi:tao', issuerType: 'TAO' },
]
const listUrl = (issuer: string, purpose: string) => `${LEDGER}/${issuer}/proxies/0xp/status/${purpose}`

function credential(
  index: number,
  issuer: string,
  root: string,
  accreditation?: StepResult,
): CredentialOutcome {
  const steps = [
    stepResult('jwt-header', 'passed', 'ok', { alg: 'ES256' }),
    accreditation ??
      stepResult('accreditation', 'passed', 'ok', {
        trustAnchor: 'did:ebsi:root',
        jurisdiction: 'DEU',
        chain: chainOf(issuer),
      }),
    stepResult('status', 'passed', 'ok', {
      maxAgeSeconds: 300,
      ageSeconds: 4,
      entries: ['revocation', 'suspension'].map((purpose) => ({
        purpose,
        index: index * 10,
        listUrl: listUrl(issuer, purpose),
        fetchedAt: `2026-11-27T10:00:0${purpose.length % 10}.000Z`,
        ageSeconds: 4,
      })),
    }),
    stepResult('anchoring', 'passed', 'ok', {
      root,
      anchoredAt: '2026-11-27T09:00:00.000Z',
      blockNumber: 7,
      transactionHash: `0xtx${root}`,
    }),
  ]
  return {
    index,
    hash: `h${index}`,
    types: [],
    milestoneType: null,
    issuer,
    steps,
    verdict: 'valid',
    failingStep: null,
  }
}

describe('report evidence', () => {
  const credentials = [
    credential(0, 'did:ebsi:dresden', '0xaa'),
    credential(1, 'did:ebsi:dresden', '0xaa'),
    credential(2, 'did:ebsi:leipzig', '0xbb'),
    credential(
      3,
      'did:ebsi:chemnitz',
      '0xbb',
      stepResult('accreditation', 'failed', 'attribute-revoked', { message: 'revoked', attributeUrl: 'x' }),
    ),
  ]
  const original = structuredClone(credentials)
  const { credentials: shared, evidence } = shareEvidence(credentials)
  const details = (i: number, step: string) => shared[i]!.steps.find((s) => s.step === step)!.details

  it('lists each chain, status list and anchor once; steps refer to them by index', () => {
    expect(evidence.accreditationChains).toEqual([
      { trustAnchor: 'did:ebsi:root', jurisdiction: 'DEU', links: chainOf('did:ebsi:dresden') },
      { trustAnchor: 'did:ebsi:root', jurisdiction: 'DEU', links: chainOf('did:ebsi:leipzig') },
    ])
    expect([0, 1, 2].map((i) => details(i, 'accreditation'))).toEqual([
      { chain: 0 },
      { chain: 0 },
      { chain: 1 },
    ])
    expect(evidence.statusLists.map((l) => l.url)).toEqual([
      listUrl('did:ebsi:dresden', 'revocation'),
      listUrl('did:ebsi:dresden', 'suspension'),
      listUrl('did:ebsi:leipzig', 'revocation'),
      listUrl('did:ebsi:leipzig', 'suspension'),
      listUrl('did:ebsi:chemnitz', 'revocation'),
      listUrl('did:ebsi:chemnitz', 'suspension'),
    ])
    expect(details(1, 'status')).toEqual({
      maxAgeSeconds: 300,
      ageSeconds: 4,
      entries: [
        { purpose: 'revocation', index: 10, list: 0 },
        { purpose: 'suspension', index: 10, list: 1 },
      ],
    })
    expect(evidence.statusLists[0]).toEqual({
      url: listUrl('did:ebsi:dresden', 'revocation'),
      fetchedAt: '2026-11-27T10:00:00.000Z',
      ageSeconds: 4,
    })
    expect(evidence.anchors.map((a) => a.root)).toEqual(['0xaa', '0xbb'])
    expect([0, 1, 2, 3].map((i) => details(i, 'anchoring'))).toEqual([
      { anchor: 0 },
      { anchor: 0 },
      { anchor: 1 },
      { anchor: 1 },
    ])
  })

  it('keeps other details inline and leaves the pipeline outcome untouched', () => {
    expect(details(3, 'accreditation')).toEqual({ message: 'revoked', attributeUrl: 'x' })
    expect(details(0, 'jwt-header')).toEqual({ alg: 'ES256' })
    expect(credentials).toEqual(original)
  })

  it('makes a case report smaller', () => {
    const many = Array.from({ length: 15 }, (_, i) => credential(i, 'did:ebsi:dresden', '0xaa'))
    const shrunk = shareEvidence(many)
    expect(JSON.stringify(shrunk).length).toBeLessThan(0.6 * JSON.stringify(many).length)
  })
})
