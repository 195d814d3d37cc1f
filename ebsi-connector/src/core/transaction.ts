import { getAddress, SigningKey, Transaction } from 'ethers'
import { DEFAULT_GAS_LIMIT } from './registry-contracts.ts'
import { fromQuantity, isHex, toQuantity } from './encoding.ts'
import { TransactionInvalid } from './errors.ts'

/**
 * The unsigned transaction every EBSI build method returns (EBSI.md §1.0): all members hex strings.
 */
export interface UnsignedTransaction {
  from: string
  to: string
  data: string
  value: string
  nonce: string
  chainId: string
  gasLimit: string
  gasPrice: string
}

/** The `params[0]` of `sendSignedTransaction`. */
export interface SignedTransactionParams {
  protocol: 'eth'
  unsignedTransaction: UnsignedTransaction
  r: string
  s: string
  v: string
  signedRawTransaction: string
}

/** Builds the unsigned tx object exactly as EBSI's build methods return it (value/gasPrice 0). */
export function buildUnsignedTransaction(input: {
  from: string
  to: string
  data: string
  nonce: number | bigint
  chainId: number | bigint
  gasLimit?: string
}): UnsignedTransaction {
  return {
    from: getAddress(input.from.toLowerCase()),
    to: getAddress(input.to.toLowerCase()),
    data: input.data,
    value: '0x0',
    nonce: toQuantity(input.nonce),
    chainId: toQuantity(input.chainId),
    gasLimit: input.gasLimit ?? DEFAULT_GAS_LIMIT,
    gasPrice: '0x0',
  }
}

/** The ethers legacy (EIP-155) transaction an unsigned EBSI tx stands for. */
export function toEthersTransaction(unsigned: UnsignedTransaction): Transaction {
  try {
    return Transaction.from({
      type: 0,
      to: getAddress(unsigned.to),
      data: unsigned.data,
      value: fromQuantity(unsigned.value),
      nonce: Number(fromQuantity(unsigned.nonce)),
      chainId: fromQuantity(unsigned.chainId),
      gasLimit: fromQuantity(unsigned.gasLimit),
      gasPrice: fromQuantity(unsigned.gasPrice),
    })
  } catch (error) {
    throw new TransactionInvalid('"unsignedTransaction" is malformed', { cause: error })
  }
}

/**
 * Signs an unsigned tx with a secp256k1 private key (hex). Returns the `sendSignedTransaction`
 * params. Pure helper for clients and tests; the node never holds user keys.
 */
export function signUnsignedTransaction(unsigned: UnsignedTransaction, privateKeyHex: string): SignedTransactionParams {
  const tx = toEthersTransaction(unsigned)
  const signature = new SigningKey(privateKeyHex).sign(tx.unsignedHash)
  tx.signature = signature
  return {
    protocol: 'eth',
    unsignedTransaction: unsigned,
    r: signature.r,
    s: signature.s,
    v: toQuantity(tx.signature?.networkV ?? BigInt(signature.v)),
    signedRawTransaction: tx.serialized,
  }
}

/** The facts the node needs from a signed raw transaction. */
export interface ParsedSignedTransaction {
  hash: string
  from: string
  to: string
  data: string
  nonce: bigint
  chainId: bigint
  gasLimit: bigint
  gasPrice: bigint
  value: bigint
  r: string
  s: string
  v: string
}

/**
 * Parses a signed raw (RLP) transaction and recovers its signer.
 * @throws TransactionInvalid when it is not a signed legacy/EIP-155 transaction.
 */
export function parseSignedRawTransaction(raw: unknown): ParsedSignedTransaction {
  if (!isHex(raw) || raw.length < 4) throw new TransactionInvalid('"signedRawTransaction" must be 0x hex')
  let tx: Transaction
  try {
    tx = Transaction.from(raw)
  } catch (error) {
    throw new TransactionInvalid('"signedRawTransaction" is not a valid transaction', { cause: error })
  }
  if (!tx.signature || !tx.from) throw new TransactionInvalid('"signedRawTransaction" is not signed')
  if (!tx.to) throw new TransactionInvalid('"signedRawTransaction" has no "to"')
  if (!tx.hash) throw new TransactionInvalid('"signedRawTransaction" has no hash')
  return {
    hash: tx.hash,
    from: getAddress(tx.from),
    to: getAddress(tx.to),
    data: tx.data,
    nonce: BigInt(tx.nonce),
    chainId: tx.chainId,
    gasLimit: tx.gasLimit,
    gasPrice: tx.gasPrice ?? 0n,
    value: tx.value,
    r: tx.signature.r,
    s: tx.signature.s,
    v: toQuantity(tx.signature.networkV ?? BigInt(tx.signature.v)),
  }
}

/**
 * EBSI's first sendSignedTransaction checks: the raw tx equals the unsigned tx plus the given
 * signature (r, s, v), and the recovered signer equals `unsignedTransaction.from`.
 * @returns the parsed signed transaction.
 * @throws TransactionInvalid naming the first mismatch.
 */
export function checkSignedTransaction(params: {
  unsignedTransaction: UnsignedTransaction
  r: string
  s: string
  v: string
  signedRawTransaction: string
}): ParsedSignedTransaction {
  const parsed = parseSignedRawTransaction(params.signedRawTransaction)
  const expected = toEthersTransaction(params.unsignedTransaction)
  const mismatch = (name: string) => new TransactionInvalid(`signed transaction does not match the unsigned one: "${name}"`)
  if (parsed.to.toLowerCase() !== (expected.to ?? '').toLowerCase()) throw mismatch('to')
  if (parsed.data.toLowerCase() !== expected.data.toLowerCase()) throw mismatch('data')
  if (parsed.nonce !== BigInt(expected.nonce)) throw mismatch('nonce')
  if (parsed.chainId !== expected.chainId) throw mismatch('chainId')
  if (parsed.gasLimit !== expected.gasLimit) throw mismatch('gasLimit')
  if (parsed.gasPrice !== (expected.gasPrice ?? 0n)) throw mismatch('gasPrice')
  if (parsed.value !== expected.value) throw mismatch('value')
  if (!sameQuantity(parsed.r, params.r)) throw mismatch('r')
  if (!sameQuantity(parsed.s, params.s)) throw mismatch('s')
  if (!sameV(params.v, parsed.v, parsed.chainId)) throw mismatch('v')
  let from: string
  try {
    from = getAddress(params.unsignedTransaction.from)
  } catch (error) {
    throw new TransactionInvalid('"unsignedTransaction.from" is not an address', { cause: error })
  }
  if (parsed.from !== from) throw new TransactionInvalid('the transaction signer is not "from"')
  return parsed
}

function sameQuantity(a: string, b: unknown): boolean {
  try {
    return typeof b === 'string' && fromQuantity(a) === fromQuantity(b)
  } catch {
    return false
  }
}

/** v may be given as 27/28, 0/1 or EIP-155 (chainId*2+35/36); all must agree on the parity. */
function sameV(given: unknown, actual: string, chainId: bigint): boolean {
  let value: bigint
  try {
    value = fromQuantity(given as string)
  } catch {
    return false
  }
  const parity = (v: bigint) => (v <= 1n ? v : v <= 28n ? v - 27n : (v - 35n - chainId * 2n) % 2n)
  return parity(value) === parity(fromQuantity(actual)) && (value <= 28n || value >= chainId * 2n + 35n)
}
