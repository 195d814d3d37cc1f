import type { z } from 'zod'
import { type DecodedRegistryCall, encodeRegistryCall, type RegistryName } from '../../core/index.ts'
import { InvalidTransaction } from '../errors.ts'

/** A JSON-RPC build method: its params schema and how they become the ABI call's arguments. */
export interface BuildMethod<S extends z.ZodType = z.ZodType> {
  params: S
  toArgs(params: z.output<S>): Record<string, unknown>
  /**
   * The inverse of `toArgs`: the build params (`from` aside) a decoded call stands for. By default
   * `paramsOfArgs`; a method whose `toArgs` encodes a param (text as hex) decodes it back here.
   */
  fromArgs?(args: DecodedRegistryCall['args']): Record<string, unknown>
}

/**
 * Pure: decoded ABI arguments as build params. Integers become numbers: one too large for the
 * params' range (or for a safe integer) then fails their schema, and a rounded one the
 * re-encoding in `requireBuildableCall`.
 */
export function paramsOfArgs(args: DecodedRegistryCall['args']): Record<string, unknown> {
  const plain = (value: unknown): unknown =>
    typeof value === 'bigint' ? Number(value) : Array.isArray(value) ? value.map(plain) : value
  return Object.fromEntries(Object.entries(args).map(([name, value]) => [name, plain(value)]))
}

/**
 * A sent transaction must carry a call the build step could have produced: its arguments, read
 * back into build params, pass the build method's own schema, and those params encode to exactly
 * the transaction's `data`. The second half refuses what the schema cannot see: a rounded
 * integer, and a non-canonical encoding of a valid call (ethers decodes a `uint8` word holding
 * 300 as 44).
 * @throws InvalidTransaction naming the first argument that fails
 */
export function requireBuildableCall(
  registry: RegistryName,
  builder: BuildMethod,
  call: DecodedRegistryCall,
  tx: { from: string; data: string },
): void {
  const params = builder.params.safeParse({ ...(builder.fromArgs ?? paramsOfArgs)(call.args), from: tx.from })
  if (!params.success) {
    const issue = params.error.issues[0]
    const where = issue && issue.path.length > 0 ? `"${issue.path.map(String).join('.')}" ` : ''
    throw new InvalidTransaction(
      `the arguments of ${call.method} are not valid: ${where}${issue?.message ?? 'rejected'}`,
    )
  }
  let canonical: string
  try {
    canonical = encodeRegistryCall(registry, call.method, builder.toArgs(params.data))
  } catch (error) {
    throw new InvalidTransaction(`the arguments of ${call.method} are not valid`, { cause: error })
  }
  if (canonical.toLowerCase() !== tx.data.toLowerCase())
    throw new InvalidTransaction(
      `"data" is not the encoding the ${call.method} build method gives for its arguments`,
    )
}
