import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { anchorPending } from '../src/anchoring/anchoring.ts'
import {
  addAuthority,
  api,
  bootIssuer,
  newHolder,
  redeemV1,
  type TestAuthority,
  type TestIssuer,
} from './helpers/harness.ts'
import { redeemWithIndependentClient } from './helpers/wallet-client.ts'

let t: TestIssuer
let lds: TestAuthority

const arrival = {
  type: 'ArrivalCertificateMilestone',
  claims: { milestoneDate: '2026-01-07', certificateIssued: true, biometricsCaptured: true },
}

function verifyInclusion(
  leafHex: string,
  index: number,
  size: number,
  proofHex: string[],
  rootHex: string,
): boolean {
  const h = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest()
  let fn = index
  let sn = size - 1
  let r = h(Buffer.from([0]), Buffer.from(leafHex, 'hex'))
  for (const p of proofHex.map((x) => Buffer.from(x, 'hex'))) {
    if (sn === 0) return false
    if (fn % 2 === 1 || fn === sn) {
      r = h(Buffer.from([1]), p, r)
      while (fn % 2 === 0 && fn !== 0) {
        fn >>= 1
        sn >>= 1
      }
    } else r = h(Buffer.from([1]), r, p)
    fn >>= 1
    sn >>= 1
  }
  return sn === 0 && `0x${r.toString('hex')}` === rootHex
}

async function issueOne() {
  const holder = newHolder()
  const caseId = (await api(t, lds.staffToken, 'POST', '/cases', { holderDid: holder.did })).body.id
  const offer = await api(t, lds.staffToken, 'POST', `/cases/${caseId}/milestones`, arrival)
  const issued = await redeemV1(t, offer.body, holder)
  expect(issued.status).toBe(200)
  return {
    jwt: issued.body.credentials[0].credential as string,
    credentialId: JSON.parse(
      Buffer.from(issued.body.credentials[0].credential.split('.')[1], 'base64url').toString(),
    ).jti as string,
  }
}

beforeAll(async () => {
  t = await bootIssuer({ FLORA_ISSUER_ANCHOR_MIN_BATCH: '8' })
  lds = await addAuthority(t, {
    id: 'lds',
    role: 'RECEPTION_AUTHORITY',
    accreditedTypes: ['ArrivalCertificateMilestone'],
  })
})
afterAll(async () => {
  await t?.close()
})

describe('anchoring through the transactional outbox', () => {
  it('anchors one padded root per period and gives every credential a verifying inclusion proof', async () => {
    const credentials = await Promise.all(Array.from({ length: 5 }, issueOne))
    const pending = await api(
      t,
      undefined,
      'GET',
      `/anchoring/proofs/${encodeURIComponent(credentials[0]!.credentialId)}`,
    )
    expect(pending.status).toBe(202)
    const before = t.ledger.anchors.size
    expect(await anchorPending(t.issuer.context)).toMatchObject({ batches: 1, leaves: 5 })
    expect(t.ledger.anchors.size).toBe(before + 1)
    for (const { jwt, credentialId } of credentials) {
      const proof = await api(t, undefined, 'GET', `/anchoring/proofs/${encodeURIComponent(credentialId)}`)
      expect(proof.status).toBe(200)
      expect(proof.body.treeSize).toBe(8) // 5 real leaves padded to the minimum of 8
      expect(proof.body.leaf.slice(64)).toBe(createHash('sha256').update(jwt).digest('hex'))
      expect(
        verifyInclusion(
          proof.body.leaf,
          proof.body.leafIndex,
          proof.body.treeSize,
          proof.body.proof,
          proof.body.root,
        ),
      ).toBe(true)
      expect(t.ledger.anchors.get(proof.body.root)).toMatchObject({ txHash: proof.body.ledger.txHash })
    }
  })

  it('anchors on schedule even when nothing was issued (padding only), so volume does not show', async () => {
    const before = t.ledger.anchors.size
    expect(await anchorPending(t.issuer.context)).toMatchObject({ batches: 1, leaves: 0 })
    expect(t.ledger.anchors.size).toBe(before + 1)
  })

  it('loses nothing when the ledger fails after sealing: the sealed batch is anchored next period', async () => {
    const { credentialId } = await issueOne()
    t.ledger.failAnchoring = true
    await expect(anchorPending(t.issuer.context)).rejects.toThrow(/unreachable/)
    expect(
      (await api(t, undefined, 'GET', `/anchoring/proofs/${encodeURIComponent(credentialId)}`)).status,
    ).toBe(202)
    t.ledger.failAnchoring = false
    await anchorPending(t.issuer.context)
    const proof = await api(t, undefined, 'GET', `/anchoring/proofs/${encodeURIComponent(credentialId)}`)
    expect(proof.status).toBe(200)
    expect(
      verifyInclusion(
        proof.body.leaf,
        proof.body.leafIndex,
        proof.body.treeSize,
        proof.body.proof,
        proof.body.root,
      ),
    ).toBe(true)
  })

  it('delivers a deferred (EBSI v3) credential with its inclusion proof once anchored', async () => {
    const holder = newHolder()
    const caseId = (await api(t, lds.staffToken, 'POST', '/cases', { holderDid: holder.did })).body.id
    const offer = await api(t, lds.staffToken, 'POST', `/cases/${caseId}/milestones`, {
      ...arrival,
      delivery: 'deferred',
    })
    const { response } = await redeemWithIndependentClient(
      offer.body.offers['ebsi-v3'].uri,
      offer.body.txCode,
      holder,
    )
    const acceptance = (response.credentialResponse as Record<string, string>).acceptance_token
    expect(acceptance).toMatch(/^acc_/)
    const deferred = (token: string) =>
      fetch(`${t.url}/authorities/lds/credential_deferred`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      })
    const early = await deferred(acceptance!)
    expect(early.status).toBe(400)
    expect(await early.json()).toMatchObject({ error: 'issuance_pending' })
    await anchorPending(t.issuer.context)
    const ready = (await (await deferred(acceptance!)).json()) as {
      credential: string
      anchoring: { leaf: string; leafIndex: number; treeSize: number; proof: string[]; root: string }
    }
    expect(JSON.parse(Buffer.from(ready.credential.split('.')[1]!, 'base64url').toString()).sub).toBe(
      holder.did,
    )
    const a = ready.anchoring
    expect(verifyInclusion(a.leaf, a.leafIndex, a.treeSize, a.proof, a.root)).toBe(true)
    expect((await deferred('acc_unknown')).status).toBe(401)
  })
})
