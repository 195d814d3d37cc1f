/**
 * The StatusList2021 extension schema: the second `credentialSchema` of every milestone credential,
 * registered on the TSR beside the milestone schemas. It checks what a StatusList2021Entry must hold
 * (EBSI status framework). Self-contained, JSON Schema 2020-12, no `$id` (EBSI's library refuses URN
 * ids and keys documents by their TSR id).
 */
export const statusList2021EntrySchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'StatusList2021Entry extension (FLORA-VC)',
  description:
    'A credential whose status is published in StatusList2021 lists reached through the issuer’s TIR proxy.',
  type: 'object',
  $defs: {
    entry: {
      type: 'object',
      properties: {
        id: { type: 'string', format: 'uri' },
        type: { const: 'StatusList2021Entry' },
        statusPurpose: { enum: ['revocation', 'suspension'] },
        statusListIndex: { type: 'string', pattern: '^(0|[1-9][0-9]*)$' },
        statusListCredential: { type: 'string', format: 'uri' },
      },
      required: ['id', 'type', 'statusPurpose', 'statusListIndex', 'statusListCredential'],
    },
  },
  properties: {
    credentialStatus: {
      anyOf: [{ $ref: '#/$defs/entry' }, { type: 'array', items: { $ref: '#/$defs/entry' }, minItems: 1 }],
    },
  },
  required: ['credentialStatus'],
} as const
