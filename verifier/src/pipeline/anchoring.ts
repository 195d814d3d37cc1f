import { createHash } from 'node:crypto'
import { type AnchoringProof, merkleRootFromInclusionProof } from '@flora/ebsi-connector/core'
import { TrustSourceUnavailable } from '../errors.ts'
import { BoundedCache } from '@flora/service-kit/bounded-cache'
import { type ParsedCredential, type PipelineContext, type StepResult, stepResult } from './types.ts'

/** The inclusion proof as the issuer delivers it and the holder presents it (`vp.anchoringProofs`). */
export type { AnchoringProof }

const hex = (value: string) => value.replace(/^0x/i, '').toLowerCase()

/**
 * Finds, among the proofs presented, a credential's: the first whose leaf commits to the JWT's
 * SHA-256 (lower-case hex, as `digest('hex')` gives it). The proofs are indexed once per submission: matching each credential against
 * every proof made a whole case quadratic.
 */
export function proofFinder(proofs: readonly unknown[]): (credentialSha256Hex: string) => unknown {
  let byDigest: Map<string, unknown> | undefined
  return (credentialSha256Hex) => {
    if (!byDigest) {
      byDigest = new Map()
      for (const proof of proofs) {
        const leaf = (proof as { leaf?: unknown } | null)?.leaf
        if (typeof leaf !== 'string') continue
        const hexLeaf = hex(leaf)
        // the leaf commits to a credential: 64 bytes, the last 32 the JWT's SHA-256
        if (hexLeaf.length !== 128) continue
        const digest = hexLeaf.slice(64)
        if (!byDigest.has(digest)) byDigest.set(digest, proof)
      }
    }
    return byDigest.get(credentialSha256Hex)
  }
}

/** RFC 9162 §2.1.3.2: the root an inclusion proof leads to, or undefined when it is malformed. */
export function rootFromInclusionProof(
  leaf: Uint8Array,
  index: number,
  treeSize: number,
  path: readonly Uint8Array[],
): Buffer | undefined {
  const root = merkleRootFromInclusionProof(leaf, index, treeSize, path)
  return root && Buffer.from(root)
}

/** A well-formed proof met before (by its leaf), as presented, with the root its path leads to. */
interface ExaminedProof {
  leaf: string
  leafIndex: number
  treeSize: number
  path: readonly string[]
  /** The claimed root as presented, and as 0x-hex lower case. */
  root: string
  claimed: string
  /** The root its path leads to (RFC 9162), 0x-hex, or null when the path does not fit the tree. */
  leadsTo: string | null
  /** The last 32 bytes of the leaf, hex lower case: the SHA-256 of the credential it commits to. */
  leafDigest: string
}

/**
 * Proofs already examined, by leaf. A function of the proof alone, so a re-presented proof (the
 * same case checked again) is neither validated nor hashed up its path again; it is recognised by
 * comparing it member by member with the one remembered (building a key of the whole proof for
 * every credential of every check cost more than the lookup saved).
 */
const examinedProofs = new BoundedCache<string, ExaminedProof>(10_000)

function sameProof(known: ExaminedProof, proof: Partial<AnchoringProof>): boolean {
  if (proof.leafIndex !== known.leafIndex || proof.treeSize !== known.treeSize) return false
  if (proof.root !== known.root) return false
  const path = proof.proof
  if (!Array.isArray(path) || path.length !== known.path.length) return false
  for (let i = 0; i < path.length; i++) if (path[i] !== known.path[i]) return false
  return true
}

/** The proof examined: its claimed root and where its path leads; undefined when it is malformed. */
function examineProof(proof: unknown): ExaminedProof | undefined {
  const leaf = (proof as { leaf?: unknown } | null)?.leaf
  if (typeof leaf === 'string') {
    const known = examinedProofs.get(leaf)
    if (known && sameProof(known, proof as Partial<AnchoringProof>)) return known
  }
  const p = parseProof(proof)
  if (!p) return undefined
  const root = rootFromInclusionProof(
    Buffer.from(hex(p.leaf), 'hex'),
    p.leafIndex,
    p.treeSize,
    p.proof.map((h) => Buffer.from(hex(h), 'hex')),
  )
  const examined: ExaminedProof = {
    leaf: p.leaf,
    leafIndex: p.leafIndex,
    treeSize: p.treeSize,
    path: Object.freeze([...p.proof]),
    root: p.root,
    claimed: `0x${hex(p.root)}`,
    leadsTo: root ? `0x${root.toString('hex')}` : null,
    leafDigest: hex(p.leaf).slice(64),
  }
  examinedProofs.set(p.leaf, examined)
  return examined
}

const HEX32 = /^(0x)?[0-9a-fA-F]{64}$/

function parseProof(proof: unknown): AnchoringProof | undefined {
  const p = proof as AnchoringProof
  if (!p || typeof p !== 'object') return undefined
  if (typeof p.leaf !== 'string' || !/^(0x)?[0-9a-fA-F]{128}$/.test(p.leaf)) return undefined
  if (
    !Array.isArray(p.proof) ||
    p.proof.length > 64 ||
    !p.proof.every((h) => typeof h === 'string' && HEX32.test(h))
  )
    return undefined
  if (typeof p.root !== 'string' || !HEX32.test(p.root)) return undefined
  if (!Number.isInteger(p.leafIndex) || !Number.isInteger(p.treeSize)) return undefined
  return p
}

/**
 * Step 7, anchoring: the inclusion proof carried in the presentation leads from this credential to a
 * root the Timestamp API holds. No proof, or a root not yet on the ledger, is "pending" while the
 * credential is younger than the pending window and "failed" after; a proof that does not lead to
 * its root is "failed". A root timestamped by a party outside the trusted anchorers is "failed"; with
 * no trusted anchorer configured, anchoring is "not-established". `credentialSha256Hex`: lower-case
 * hex, as `digest('hex')` gives it.
 */
export async function checkAnchoring(
  credential: ParsedCredential,
  proof: unknown,
  ctx: PipelineContext,
  credentialSha256Hex = createHash('sha256').update(credential.token).digest('hex'),
): Promise<{ result: StepResult; anchoredAt: Date | undefined }> {
  const issuedMs =
    typeof credential.payload.iat === 'number' ? credential.payload.iat * 1000 : ctx.now.getTime()
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
  const examined = examineProof(proof)
  if (!examined) return failed('proof-malformed')
  if (examined.leafDigest !== credentialSha256Hex) return failed('proof-for-other-credential')
  const rootHex = examined.claimed
  if (examined.leadsTo !== rootHex) return failed('proof-invalid')
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
  // Anyone may timestamp a hash on the ledger: a root counts only when a party the deployment trusts
  // to anchor batches wrote it. With none configured, no root can count (never "any anchorer").
  if (ctx.trustedAnchorers.length === 0)
    return {
      result: stepResult('anchoring', 'not-established', 'no-trusted-anchorer', {
        root: rootHex,
        timestampedBy: anchor.timestampedBy,
      }),
      anchoredAt: undefined,
    }
  if (!ctx.trustedAnchorers.includes(anchor.timestampedBy))
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
