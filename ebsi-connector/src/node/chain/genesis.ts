import { canonicalJson, ethereumAddressFromPublicKey, sha256Hex } from '../../core/index.ts'
import type { OperatorIdentity } from '../config.ts'
import { applyInsertDidDocument } from '../did-registry-v5/state.ts'
import { StateHash } from '../state/state-hash.ts'
import { journaled, StateJournal } from '../state/state-journal.ts'
import type { LedgerDb, LedgerTx } from '../types.ts'
import { blockHashOf, type BlockHeader, transactionsRootOf, ZERO_HASH } from './block-header.ts'
import type { NodeKey } from './node-key.ts'

/** Attributes the TPR grants to the operator (EBSI Support Office role) and configured admins. */
export const ADMIN_TPR_ATTRIBUTES = [
  'TIR:insertIssuer',
  'TIR:updateIssuer',
  'TIR:setAttributeMetadata',
  'TSR:insertSchema',
  'TSR:updateSchema',
  'TSR:updateMetadata',
  'TPR:insertUserAttributes',
] as const

/** The hash algorithms the Timestamp API knows at genesis. */
export const GENESIS_HASH_ALGORITHMS = [
  {
    hashAlgorithmId: 0,
    outputLengthBits: 256,
    ianaName: 'sha-256',
    oid: '2.16.840.1.101.3.4.2.1',
    status: 'active',
    multihash: 'sha2-256',
  },
  {
    hashAlgorithmId: 1,
    outputLengthBits: 384,
    ianaName: 'sha-384',
    oid: '2.16.840.1.101.3.4.2.2',
    status: 'active',
    multihash: 'sha2-384',
  },
  {
    hashAlgorithmId: 2,
    outputLengthBits: 512,
    ianaName: 'sha-512',
    oid: '2.16.840.1.101.3.4.2.3',
    status: 'active',
    multihash: 'sha2-512',
  },
  {
    hashAlgorithmId: 3,
    outputLengthBits: 256,
    ianaName: 'sha3-256',
    oid: '2.16.840.1.101.3.4.2.8',
    status: 'active',
    multihash: 'sha3-256',
  },
]

/** TPR policies: which attribute each governed operation needs. */
export const GENESIS_POLICIES = ADMIN_TPR_ATTRIBUTES.map((name, index) => ({
  policyId: index + 1,
  policyName: name,
  description: `Holders of the ${name} attribute may call ${name.split(':')[1]} on ${name.split(':')[0]}`,
  operationType: 'OR',
  status: true,
  conditions: JSON.stringify([
    { name, attributeName: name, typeOfValue: 'BOOLEAN', attributeOperation: 'EQUAL', value: true },
  ]),
}))

export interface GenesisConfig {
  chainId: number
  operator?: OperatorIdentity
}

/**
 * Writes block 0 when the database is empty: the operator's DID document (its secp256k1 key as
 * capabilityInvocation + authentication, optionally a P-256 key as assertionMethod +
 * authentication), its TPR admin attributes, hash algorithms and TPR policies. Block 0 commits to
 * sha256 of this configuration and to the state these rows make.
 * @returns true when genesis was written now.
 */
export async function ensureGenesis(
  db: LedgerDb,
  key: NodeKey,
  genesis: GenesisConfig,
  now: number,
): Promise<boolean> {
  const existing = await db.ledgerBlock.findUnique({ where: { number: 0 } })
  if (existing) return false
  const journal = new StateJournal()
  await db.$transaction(async (client) => {
    const tx = journaled(client as unknown as LedgerTx, journal)
    for (const data of GENESIS_HASH_ALGORITHMS) await tx.tsHashAlgorithm.create({ data })
    for (const data of GENESIS_POLICIES) await tx.tprPolicy.create({ data })
    if (genesis.operator) await writeOperator(tx, genesis.operator, now)
    const header: BlockHeader = {
      number: 0,
      parentHash: ZERO_HASH,
      transactionsRoot: transactionsRootOf([]),
      timestamp: now,
      txCount: 0,
      genesisDigest: genesisDigestOf(genesis),
      signerKid: key.kid,
      stateRoot: journal.appliedTo(StateHash.empty()).digest(),
    }
    const hash = blockHashOf(header)
    await tx.ledgerBlock.create({
      data: { ...header, hash, signature: key.sign(Buffer.from(hash.slice(2), 'hex')) },
    })
  })
  return true
}

export function genesisDigestOf(genesis: GenesisConfig): string {
  return `0x${sha256Hex(canonicalJson({ chainId: genesis.chainId, operator: genesis.operator ?? null }))}`
}

async function writeOperator(tx: LedgerTx, operator: OperatorIdentity, now: number): Promise<void> {
  const address = ethereumAddressFromPublicKey(operator.publicKeyHex)
  await applyInsertDidDocument(tx, {
    did: operator.did,
    baseDocument: JSON.stringify({
      '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/suites/jws-2020/v1'],
    }),
    secp256k1PublicKey: operator.publicKeyHex,
    notBefore: String(now - 60),
    notAfter: String(now + 100 * 365 * 86400),
    assertionJwk: operator.assertionJwk,
    now,
    blockNumber: 0,
  })
  await grantAdmin(tx, address, now)
}

/**
 * Grants TPR admin attributes to an address (genesis operator and FLORA_LEDGER_TPR_ADMINS); writes
 * nothing when the address holds them already, so that a start changes no state needlessly.
 */
export async function grantAdmin(tx: LedgerTx, address: string, now: number): Promise<void> {
  const attributes = JSON.stringify(Object.fromEntries(ADMIN_TPR_ATTRIBUTES.map((name) => [name, true])))
  const existing = await tx.tprUser.findUnique({ where: { address } })
  if (existing?.attributes === attributes) return
  await tx.tprUser.upsert({
    where: { address },
    create: { address, attributes, updatedAt: now },
    update: { attributes, updatedAt: now },
  })
}
