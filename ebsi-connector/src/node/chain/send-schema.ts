import { z } from 'zod'

const quantity = z.string().regex(/^0x[0-9a-fA-F]{1,64}$/, 'must be a 0x quantity')
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'must be an address')

/** params[0] of the EBSI ledger API's sendSignedTransaction. */
export const sendSchema = z.object({
  protocol: z.literal('eth'),
  unsignedTransaction: z.object({
    from: address,
    to: address,
    data: z
      .string()
      .regex(/^0x([0-9a-fA-F]{2})*$/, 'must be 0x hex')
      .max(2_000_000),
    value: quantity,
    nonce: quantity,
    chainId: quantity,
    gasLimit: quantity,
    gasPrice: quantity,
  }),
  r: z.string().regex(/^0x[0-9a-fA-F]{1,64}$/),
  s: z.string().regex(/^0x[0-9a-fA-F]{1,64}$/),
  v: quantity,
  signedRawTransaction: z
    .string()
    .regex(/^0x([0-9a-fA-F]{2})+$/, 'must be 0x hex')
    .max(2_100_000),
})
