import { canonicalJson } from '../../core/index.ts'

/**
 * The registry tables a block's state commitment covers (every row of each), with the Prisma
 * delegate that reads them and the primary key that orders a scan. The chain tables (blocks,
 * transactions: covered by hashes and Merkle roots), account nonces (derived from the
 * transactions and checked against them), waiting transactions (MAC'd) and the service's own
 * rows (keys sealed with the KEK, used VP nonces, settings) are not registry state.
 */
export const STATE_TABLES = [
  { table: 'DidDocument', delegate: 'didDocument', key: ['did'] },
  { table: 'DidDocumentVersion', delegate: 'didDocumentVersion', key: ['did', 'version'] },
  { table: 'DidVerificationMethod', delegate: 'didVerificationMethod', key: ['did', 'vMethodId'] },
  {
    table: 'DidVerificationRelationship',
    delegate: 'didVerificationRelationship',
    key: ['did', 'name', 'vMethodId'],
  },
  { table: 'TirIssuer', delegate: 'tirIssuer', key: ['did'] },
  { table: 'TirAttribute', delegate: 'tirAttribute', key: ['did', 'attributeId'] },
  { table: 'TirAttributeRevision', delegate: 'tirAttributeRevision', key: ['id'] },
  { table: 'TirProxy', delegate: 'tirProxy', key: ['did', 'proxyId'] },
  { table: 'TsrSchema', delegate: 'tsrSchema', key: ['schemaId'] },
  { table: 'TsrSchemaRevision', delegate: 'tsrSchemaRevision', key: ['schemaId', 'revisionId'] },
  {
    table: 'TsrSchemaMetadata',
    delegate: 'tsrSchemaMetadata',
    key: ['schemaId', 'revisionId', 'metadataId'],
  },
  { table: 'TsHashAlgorithm', delegate: 'tsHashAlgorithm', key: ['hashAlgorithmId'] },
  { table: 'TsTimestamp', delegate: 'tsTimestamp', key: ['timestampId'] },
  { table: 'TprUser', delegate: 'tprUser', key: ['address'] },
  { table: 'TprPolicy', delegate: 'tprPolicy', key: ['policyName'] },
] as const

export type StateTable = (typeof STATE_TABLES)[number]['table']

/** State table by Prisma delegate name (e.g. `didDocument` → `DidDocument`). */
export const STATE_TABLE_OF_DELEGATE: ReadonlyMap<string, StateTable> = new Map(
  STATE_TABLES.map((entry) => [entry.delegate, entry.table]),
)

/**
 * Pure: the bytes a row contributes to the state hash: canonical JSON of [table, row] with the row
 * as Prisma returns it (all scalar columns; numbers, strings, booleans, null).
 */
export function stateElement(table: StateTable, row: Record<string, unknown>): Uint8Array {
  return new TextEncoder().encode(canonicalJson([table, row]))
}
