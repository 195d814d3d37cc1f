import { z } from 'zod'
import { isDidEbsi } from '../../core/index.ts'

/** zod pieces shared by the JSON-RPC build methods. */
export const addressParam = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'must be an Ethereum address')
export const didEbsiParam = z.string().max(100).refine(isDidEbsi, 'must be a legal-entity did:ebsi')
export const bytes32Param = z
  .string()
  .regex(/^(0x)?[0-9a-fA-F]{64}$/, 'must be 32 bytes of hex')
  .transform((value) => (value.startsWith('0x') ? value : `0x${value}`).toLowerCase())
export const hexBytesParam = z
  .string()
  .regex(/^0x([0-9a-fA-F]{2})*$/, 'must be 0x-prefixed hex')
  .max(1_000_000)
/** unix seconds as number or decimal/hex string */
export const uintParam = z
  .union([
    z
      .number()
      .int()
      .min(0)
      .max(2 ** 53 - 1),
    z.string().regex(/^(0x[0-9a-fA-F]{1,16}|[0-9]{1,16})$/),
  ])
  .transform((value) => BigInt(value))
export const vMethodIdParam = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'must be a JWK thumbprint')
