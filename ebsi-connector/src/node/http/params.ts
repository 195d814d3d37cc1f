import { z } from 'zod'
import { isDidEbsi } from '../../core/index.ts'

/**
 * Limits of the JSON-RPC build params. The execution rules (`../chain/call-args.ts`) apply the same
 * limits to the ABI-decoded arguments of a sent transaction, which never went through these schemas.
 */
export const MAX_DID_LENGTH = 100
/** Bytes of one `bytes` argument (its 0x hex is at most 1,000,000 characters). */
export const MAX_BYTES_ARGUMENT = 499_999
export const VMETHOD_ID_PATTERN = /^[A-Za-z0-9_-]{1,100}$/
/** Unix seconds and durations as a build param: a safe integer. */
export const MAX_UINT_PARAM = Number.MAX_SAFE_INTEGER

/** zod pieces shared by the JSON-RPC build methods. */
export const addressParam = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'must be an Ethereum address')
export const didEbsiParam = z.string().max(MAX_DID_LENGTH).refine(isDidEbsi, 'must be a legal-entity did:ebsi')
export const bytes32Param = z
  .string()
  .regex(/^(0x)?[0-9a-fA-F]{64}$/, 'must be 32 bytes of hex')
  .transform((value) => (value.startsWith('0x') ? value : `0x${value}`).toLowerCase())
export const hexBytesParam = z
  .string()
  .regex(/^0x([0-9a-fA-F]{2})*$/, 'must be 0x-prefixed hex')
  .max(2 + 2 * MAX_BYTES_ARGUMENT)
/** unix seconds as number or decimal/hex string */
export const uintParam = z
  .union([
    z.number().int().min(0).max(MAX_UINT_PARAM),
    z.string().regex(/^(0x[0-9a-fA-F]{1,16}|[0-9]{1,16})$/),
  ])
  .transform((value) => BigInt(value))
export const vMethodIdParam = z.string().regex(VMETHOD_ID_PATTERN, 'must be a JWK thumbprint')
