import { createHash } from 'node:crypto'
import { TrustSourceUnavailable } from '../errors.ts'
import { type ParsedCredential, type PipelineContext, type StepResult, stepResult } from './types.ts'

/**
 * The inclusion proof of a credential in an anchored batch, as the issuer delivers it with the
 * credential and the holder carries it in the presentation (`vp.anchoringProofs`). Leaf data =
 * 32-byte salt ‖ SHA-256(credential JWT); the tree is RFC 9162 (leaf H(0x00‖d), node H(0x01‖l‖r));
 * the root is timestamped on the ledger. Hex values may carry a 0x prefix. `ledger` and
 * `anchoredAt` are the issuer's claims and are not trusted: the verifier reads the ledger.
 */
export interface AnchoringProof {
  leaf: string
  leafIndex: number
  treeSize: number
  /** Sibling hashes from the leaf level up. */
  proof: string[]
  root: string
  ledger?: { txHash?: string; timestampId?: string; blockNumber?: number }
  anchoredAt?: string
}

const hex = (value: string) => value.replace(/^0x/i, '').toLowerCase()

/** The proof for a credential among those presented: the one whose leaf ends in SHA-256(jwt). */
export function proofForCredential(proofs: readonly unknown[], jwt: string): unknown {
  const digest = createHash('sha256').update(jwt).digest('hex')
  return proofs.find((p) => {
    const leaf = (p as { leaf?: unknown } | null)?.leaf
    return typeof leaf === 'string' && hex(leaf).length === 128 && hex(leaf).endsWith(digest)
  })
}

const sha = (...parts: Uint8Array[]) => {
  const hash = createHash('sha256')
  for (const part of parts) hash.update(part)
  return hash.digest()
}

/** RFC 9162 §2.1.3.2: the root an inclusion proof leads to, or undefined when it is malformed. */
export function rootFromInclusionProof(
  leaf: Uint8Array,
  index: number,
  treeSize: number,
  path: readonly Uint8Array[],
): Buffer | undefined {
  if (!Number.isInteger(index) || !Number.isInteger(treeSize) || index < 0 || index >= treeSize) return undefined
  let fn = index
  let sn = treeSize - 1
  let r = sha(Buffer.from([0]), leaf)
  for (const p of path) {
    if (sn === 0) return undefined
    if (fn % 2 === 1 || fn === sn) {
      r = sha(Buffer.from([1]), p, r)
      while (fn % 2 === 0 && fn !== 0) {
        fn >>= 1
        sn >>= 1
      }
    } else {
      r = sha(Buffer.from([1]), r, p)
    }
    fn >>= 1
    sn >>= 1
  }
  return sn === 0 ? r : undefined
}

const HEX32 = /^(0x)?[0-9a-fA-F]{64}$/

function parseProof(proof: unknown): AnchoringProof | undefined {
  const p = proof as AnchoringProof
  if (!p || typeof p !== 'object') return undefined
  if (typeof p.leaf !== 'string' || !/^(0x)?[0-9a-fA-F]{128}$/.test(p.leaf)) return undefined
  if (!Array.isArray(p.proof) || p.proof.length > 64 || !p.proof.every((h) => typeof h === 'string' && HEX32.test(h)))
    return undefined
  if (typeof p.root !== 'string' || !HEX32.test(p.root)) return undefined
  if (!Number.isInteger(p.leafIndex) || !Number.isInteger(p.treeSize)) return undefined
  return p
}

/**
 * Step 7, anchoring: the inclusion proof carried in the presentation leads from this credential to a
 * root the Timestamp API holds. No proof, or a root not yet on the ledger, is "pending" while the
 * credential is younger than the pending window and "failed" after; a proof that does not lead to
 * its root is "failed".
 */
export async function checkAnchoring(
  credential: ParsedCredential,
  proof: unknown,
  ctx: PipelineContext,
): Promise<{ result: StepResult; anchoredAt: Date | undefined }> {
  const issuedMs = typeof credential.payload.iat === 'number' ? credential.payload.iat * 1000 : ctx.now.getTime()
  const young = ctx.now.getTime() - issuedMs <= ctx.anchoringPendingSeconds * 1000
  const notYet = (reason: string, details: Record<string, unknown> = {}) => ({
    result: stepResult('anchoring', young ? 'pending' : 'failed', reason, {
      ...details,
      pendingWindowSeconds: ctx.anchoringPendingSeconds,
    }),
    anchoredAt: undefined,
  })
  const failed = (reason: string, details: Record<string, unknown> = {}) => ({
    result: stepResult('anchoring', 'failed', reason, details),
    anchoredAt: undefined,
  })
  if (proof === undefined) return notYet('proof-missing')
  const p = parseProof(proof)
  if (!p) return failed('proof-malformed')
  const leaf = Buffer.from(hex(p.leaf), 'hex')
  if (!leaf.subarray(32).equals(createHash('sha256').update(credential.token).digest()))
    return failed('proof-for-other-credential')
  const root = rootFromInclusionProof(
    leaf,
    p.leafIndex,
    p.treeSize,
    p.proof.map((h) => Buffer.from(hex(h), 'hex')),
  )
  const rootHex = `0x${hex(p.root)}`
  if (!root || `0x${root.toString('hex')}` !== rootHex) return failed('proof-invalid')
  let anchor: Awaited<ReturnType<typeof ctx.readers.readAnchor>>
  try {
    anchor = await ctx.readers.readAnchor(rootHex)
  } catch (error) {
    if (error instanceof TrustSourceUnavailable)
      return {
        result: stepResult('anchoring', 'not-established', 'ledger-unavailable', { message: error.message }),
        anchoredAt: undefined,
      }
    throw error
  }
  if (!anchor) return notYet('root-not-anchored', { root: rootHex })
  if (ctx.trustedAnchorers?.length && !ctx.trustedAnchorers.includes(anchor.timestampedBy))
    return failed('anchorer-untrusted', { root: rootHex, timestampedBy: anchor.timestampedBy })
  if (anchor.timestamp.getTime() + 300_000 < issuedMs)
    return failed('anchored-before-issuance', { root: rootHex, anchoredAt: anchor.timestamp.toISOString() })
  return {
    result: stepResult('anchoring', 'passed', 'ok', {
      root: rootHex,
      anchoredAt: anchor.timestamp.toISOString(),
      blockNumber: anchor.blockNumber,
      transactionHash: anchor.transactionHash,
    }),
    anchoredAt: anchor.timestamp,
  }
}
