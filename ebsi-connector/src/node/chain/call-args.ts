import { isDidEbsi } from '../../core/index.ts'
import { Revert } from '../errors.ts'
import { MAX_BYTES_ARGUMENT, MAX_DID_LENGTH, VMETHOD_ID_PATTERN } from '../http/params.ts'

/**
 * Typed reads of a decoded registry call's arguments for the execution rules. The ABI bounds
 * nothing useful: a `uint256` holds up to 2^256 (a Number of it does not fit an Int column, nor is
 * it exact), a `string` or `bytes` anything up to the transaction's size, an array any count. A
 * value outside what the method accepts reverts the transaction with its reason; it must never
 * reach the database as an error the block producer cannot attribute.
 */

type Args = Readonly<Record<string, unknown>>

/** An ABI `uint` argument as a number in [min, max]. @throws Revert */
export function uintArg(args: Args, name: string, range: { min?: number; max: number }): number {
  return uintIn(args[name], `"${name}"`, range)
}

/** An ABI `uint` argument as a bigint in [0, max] (values kept exact, such as validity bounds). @throws Revert */
export function bigUintArg(args: Args, name: string, max: bigint): bigint {
  const value = args[name]
  if (typeof value !== 'bigint' || value < 0n || value > max)
    throw new Revert(`"${name}" is out of range (0 to ${max})`)
  return value
}

/** An ABI `uint[]` argument: at most `maxItems` numbers, each in [min, max]. @throws Revert */
export function uintListArg(
  args: Args,
  name: string,
  range: { min?: number; max: number; maxItems: number },
): number[] {
  return listArg(args, name, range.maxItems).map((value, index) => uintIn(value, `"${name}"[${index}]`, range))
}

/** An ABI `string` argument of at most `maxLength` characters. @throws Revert */
export function stringArg(args: Args, name: string, maxLength: number): string {
  const value = args[name]
  if (typeof value !== 'string') throw new Revert(`"${name}" must be a string`)
  if (value.length > maxLength) throw new Revert(`"${name}" is longer than ${maxLength} characters`)
  return value
}

/** An ABI `bytes` argument (0x hex) of at most `maxBytes` bytes. @throws Revert */
export function bytesArg(args: Args, name: string, maxBytes = MAX_BYTES_ARGUMENT): string {
  return bytesIn(args[name], `"${name}"`, maxBytes)
}

/** An ABI `bytes[]` argument: at most `maxItems` values of at most `maxBytes` bytes each. @throws Revert */
export function bytesListArg(
  args: Args,
  name: string,
  limits: { maxItems: number; maxBytes?: number },
): string[] {
  return listArg(args, name, limits.maxItems).map((value, index) =>
    bytesIn(value, `"${name}"[${index}]`, limits.maxBytes ?? MAX_BYTES_ARGUMENT),
  )
}

/** An ABI `bytes32` argument as lower-case 0x hex. @throws Revert */
export function bytes32Arg(args: Args, name: string): string {
  const value = args[name]
  if (typeof value !== 'string' || !/^0x[0-9a-fA-F]{64}$/.test(value))
    throw new Revert(`"${name}" must be 32 bytes`)
  return value.toLowerCase()
}

/** An ABI `bool` argument. @throws Revert */
export function boolArg(args: Args, name: string): boolean {
  const value = args[name]
  if (typeof value !== 'boolean') throw new Revert(`"${name}" must be a boolean`)
  return value
}

/** A legal-entity did:ebsi, as the build params require it. @throws Revert */
export function didArg(args: Args, name: string): string {
  const value = stringArg(args, name, MAX_DID_LENGTH)
  if (!isDidEbsi(value)) throw new Revert(`"${name}" must be a legal-entity did:ebsi`)
  return value
}

/** A verification method id (a JWK thumbprint). @throws Revert */
export function vMethodIdArg(args: Args, name: string): string {
  const value = args[name]
  if (typeof value !== 'string' || !VMETHOD_ID_PATTERN.test(value))
    throw new Revert(`"${name}" must be a JWK thumbprint`)
  return value
}

function listArg(args: Args, name: string, maxItems: number): readonly unknown[] {
  const value = args[name]
  if (!Array.isArray(value)) throw new Revert(`"${name}" must be a list`)
  if (value.length > maxItems) throw new Revert(`"${name}" holds more than ${maxItems} values`)
  return value
}

function uintIn(value: unknown, what: string, range: { min?: number; max: number }): number {
  const min = range.min ?? 0
  if (!Number.isSafeInteger(range.max)) throw new Error('a uint range must end at a safe integer')
  let exact: bigint | undefined
  if (typeof value === 'bigint') exact = value
  else if (typeof value === 'number' && Number.isSafeInteger(value)) exact = BigInt(value)
  if (exact === undefined) throw new Revert(`${what} must be an unsigned integer`)
  if (exact < BigInt(min) || exact > BigInt(range.max))
    throw new Revert(`${what} is out of range (${min} to ${range.max})`)
  return Number(exact)
}

function bytesIn(value: unknown, what: string, maxBytes: number): string {
  if (typeof value !== 'string' || value.length % 2 !== 0 || !/^0x[0-9a-fA-F]*$/.test(value))
    throw new Revert(`${what} must be bytes`)
  if ((value.length - 2) / 2 > maxBytes) throw new Revert(`${what} is longer than ${maxBytes} bytes`)
  return value
}
