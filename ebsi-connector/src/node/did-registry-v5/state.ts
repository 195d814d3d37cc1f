import {
  ecJwkToPublicKeyBytes,
  ethereumAddressFromPublicKey,
  jwkThumbprint,
  secp256k1PublicKeyToJwk,
} from '../../core/index.ts'
import type { LedgerDb, LedgerTx } from '../types.ts'

/** The registry's view of one DID at one point in time (stored per version as JSON). */
export interface DidState {
  did: string
  baseDocument: string
  controllers: string[]
  vms: { vMethodId: string; publicKeyJwk: Record<string, unknown>; isSecp256k1: boolean }[]
  rels: { name: string; vMethodId: string; notBefore: string; notAfter: string }[]
}

export const RELATIONSHIP_NAMES = [
  'authentication',
  'assertionMethod',
  'keyAgreement',
  'capabilityInvocation',
  'capabilityDelegation',
] as const

/**
 * Pure: the W3C DID document of a state at time `at` (unix s). Relationships count when
 * notBefore ≤ at < notAfter; a verification method is listed when some relationship uses it.
 */
export function renderDidDocument(state: DidState, at: number): Record<string, unknown> {
  let context: unknown = ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/suites/jws-2020/v1']
  try {
    const base = JSON.parse(state.baseDocument) as { '@context'?: unknown }
    if (base['@context']) context = base['@context']
  } catch {
    // validated on write; keep the default context
  }
  const active = state.rels.filter((rel) => Number(rel.notBefore) <= at && at < Number(rel.notAfter))
  const used = new Set(active.map((rel) => rel.vMethodId))
  const document: Record<string, unknown> = {
    '@context': context,
    id: state.did,
    controller: [state.did, ...state.controllers.filter((c) => c !== state.did)],
    verificationMethod: state.vms
      .filter((vm) => used.has(vm.vMethodId))
      .map((vm) => ({
        id: `${state.did}#${vm.vMethodId}`,
        type: 'JsonWebKey2020',
        controller: state.did,
        publicKeyJwk: vm.publicKeyJwk,
      })),
  }
  for (const name of RELATIONSHIP_NAMES) {
    const ids = [
      ...new Set(active.filter((rel) => rel.name === name).map((rel) => `${state.did}#${rel.vMethodId}`)),
    ]
    if (ids.length > 0) document[name] = ids
  }
  return document
}

/** Pure: Ethereum addresses of the secp256k1 capabilityInvocation keys valid at `at`. */
export function controllingAddresses(state: DidState, at: number): string[] {
  const cached = addressCache.get(state)
  if (cached && cached.at === at) return cached.addresses
  const addresses = computeControllingAddresses(state, at)
  addressCache.set(state, { at, addresses })
  return addresses
}

const addressCache = new WeakMap<DidState, { at: number; addresses: string[] }>()

function computeControllingAddresses(state: DidState, at: number): string[] {
  const keys = new Set(
    state.rels
      .filter(
        (rel) =>
          rel.name === 'capabilityInvocation' && Number(rel.notBefore) <= at && at < Number(rel.notAfter),
      )
      .map((rel) => rel.vMethodId),
  )
  return state.vms
    .filter((vm) => vm.isSecp256k1 && keys.has(vm.vMethodId))
    .map((vm) => ethereumAddressFromPublicKey(vm.publicKeyJwk as never))
}

/** Reads the current state of a DID from the normalised tables. */
export async function loadDidState(db: LedgerTx | LedgerDb, did: string): Promise<DidState | undefined> {
  const doc = await db.didDocument.findUnique({ where: { did } })
  if (!doc) return undefined
  const [vms, rels] = await Promise.all([
    db.didVerificationMethod.findMany({ where: { did }, orderBy: { createdAt: 'asc' } }),
    db.didVerificationRelationship.findMany({ where: { did } }),
  ])
  return {
    did,
    baseDocument: doc.baseDocument,
    controllers: JSON.parse(doc.controllers) as string[],
    vms: vms.map((vm) => ({
      vMethodId: vm.vMethodId,
      publicKeyJwk: JSON.parse(vm.publicKeyJwk) as Record<string, unknown>,
      isSecp256k1: vm.isSecp256k1,
    })),
    rels: rels
      .map((rel) => ({
        name: rel.name,
        vMethodId: rel.vMethodId,
        notBefore: rel.notBefore,
        notAfter: rel.notAfter,
      }))
      .sort((a, b) => (a.name + a.vMethodId).localeCompare(b.name + b.vMethodId)),
  }
}

/** Records the DID's state after a change as its next version (for `valid-at`). */
export async function writeDidVersion(
  tx: LedgerTx,
  did: string,
  now: number,
  blockNumber: number,
): Promise<void> {
  const state = await loadDidState(tx, did)
  if (!state) return
  const last = await tx.didDocumentVersion.findFirst({ where: { did }, orderBy: { version: 'desc' } })
  await tx.didDocumentVersion.create({
    data: {
      did,
      version: (last?.version ?? 0) + 1,
      validFrom: now,
      blockNumber,
      state: JSON.stringify(state),
    },
  })
  await tx.didDocument.update({ where: { did }, data: { updatedAt: now } })
}

/**
 * Reads the state of a DID as of `validAt` (unix s), or the latest state when absent.
 */
export async function didStateAt(db: LedgerDb, did: string, validAt?: number): Promise<DidState | undefined> {
  const version = await db.didDocumentVersion.findFirst({
    where: validAt === undefined ? { did } : { did, validFrom: { lte: validAt } },
    orderBy: { version: 'desc' },
  })
  return version ? (JSON.parse(version.state) as DidState) : undefined
}

/** Adds a verification method row. */
export async function insertVerificationMethod(
  tx: LedgerTx,
  did: string,
  vm: { vMethodId: string; publicKeyJwk: Record<string, unknown>; isSecp256k1: boolean },
  now: number,
): Promise<void> {
  await tx.didVerificationMethod.create({
    data: {
      did,
      vMethodId: vm.vMethodId,
      publicKeyJwk: JSON.stringify(vm.publicKeyJwk),
      isSecp256k1: vm.isSecp256k1,
      ethereumAddress: vm.isSecp256k1 ? ethereumAddressFromPublicKey(vm.publicKeyJwk as never) : null,
      createdAt: now,
    },
  })
}

/** Sets (insert or replace) a relationship's bounds. */
export async function upsertRelationship(
  tx: LedgerTx,
  rel: { did: string; name: string; vMethodId: string; notBefore: string; notAfter: string },
): Promise<void> {
  await tx.didVerificationRelationship.upsert({
    where: { did_name_vMethodId: { did: rel.did, name: rel.name, vMethodId: rel.vMethodId } },
    create: rel,
    update: { notBefore: rel.notBefore, notAfter: rel.notAfter },
  })
}

/**
 * Inserts a DID document (also used by genesis for the operator): the secp256k1 key becomes
 * capabilityInvocation and authentication; an optional P-256 JWK assertionMethod and authentication.
 */
export async function applyInsertDidDocument(
  tx: LedgerTx,
  input: {
    did: string
    baseDocument: string
    secp256k1PublicKey: string
    notBefore: string
    notAfter: string
    assertionJwk?: Record<string, unknown>
    now: number
    blockNumber: number
  },
): Promise<void> {
  const jwk = secp256k1PublicKeyToJwk(input.secp256k1PublicKey)
  const vMethodId = jwkThumbprint(jwk)
  await tx.didDocument.create({
    data: {
      did: input.did,
      baseDocument: input.baseDocument,
      createdAt: input.now,
      updatedAt: input.now,
      createdBlock: input.blockNumber,
    },
  })
  await insertVerificationMethod(
    tx,
    input.did,
    { vMethodId, publicKeyJwk: jwk, isSecp256k1: true },
    input.now,
  )
  for (const name of ['capabilityInvocation', 'authentication']) {
    await upsertRelationship(tx, {
      did: input.did,
      name,
      vMethodId,
      notBefore: input.notBefore,
      notAfter: input.notAfter,
    })
  }
  if (input.assertionJwk) {
    ecJwkToPublicKeyBytes(input.assertionJwk)
    const publicKeyJwk = {
      kty: 'EC',
      crv: input.assertionJwk.crv,
      x: input.assertionJwk.x,
      y: input.assertionJwk.y,
    }
    const p256Id = jwkThumbprint(publicKeyJwk)
    await insertVerificationMethod(
      tx,
      input.did,
      { vMethodId: p256Id, publicKeyJwk, isSecp256k1: false },
      input.now,
    )
    for (const name of ['assertionMethod', 'authentication']) {
      await upsertRelationship(tx, {
        did: input.did,
        name,
        vMethodId: p256Id,
        notBefore: input.notBefore,
        notAfter: input.notAfter,
      })
    }
  }
  await writeDidVersion(tx, input.did, input.now, input.blockNumber)
}
