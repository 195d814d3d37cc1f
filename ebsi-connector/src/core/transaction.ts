import { decodeRlp, encodeRlp, getAddress, keccak256, Transaction } from 'ethers'
import { DEFAULT_GAS_LIMIT } from './registry-contracts.ts'
import { fromQuantity, hexToBytes, isHex, toQuantity } from './encoding.ts'
import { TransactionInvalid } from './errors.ts'
import { recoverSignerAddress, signDigest } from './recover.ts'

/**
 * The unsigned transaction every EBSI build method returns (the EBSI ledger API's build methods and sendSignedTransaction): all members hex strings.
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
export function signUnsignedTransaction(
  unsigned: UnsignedTransaction,
  privateKeyHex: string,
): SignedTransactionParams {
  const tx = toEthersTransaction(unsigned)
  const signature = signDigest(hexToBytes(tx.unsignedHash), privateKeyHex)
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
  // Legacy (type 0, EIP-155) transactions — what EBSI's build methods describe — take a lean
  // path (RLP decode, two keccaks, libsecp256k1 recovery); typed envelopes go through ethers.
  if (Number.parseInt(raw.slice(2, 4), 16) >= 0xc0) return parseLegacy(raw)
  let tx: Transaction
  try {
    tx = Transaction.from(raw)
  } catch (error) {
    throw new TransactionInvalid('"signedRawTransaction" is not a valid transaction', { cause: error })
  }
  if (!tx.signature) throw new TransactionInvalid('"signedRawTransaction" is not signed')
  if (!tx.to) throw new TransactionInvalid('"signedRawTransaction" has no "to"')
  if (!tx.hash) throw new TransactionInvalid('"signedRawTransaction" has no hash')
  return {
    hash: tx.hash,
    from: recoverSignerAddress(
      hexToBytes(tx.unsignedHash),
      tx.signature.r,
      tx.signature.s,
      tx.signature.yParity,
    ),
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

const SECP256K1_HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n

function parseLegacy(raw: string): ParsedSignedTransaction {
  let fields: unknown
  try {
    fields = decodeRlp(raw)
  } catch (error) {
    throw new TransactionInvalid('"signedRawTransaction" is not valid RLP', { cause: error })
  }
  if (!Array.isArray(fields) || fields.length !== 9 || fields.some((f) => typeof f !== 'string')) {
    throw new TransactionInvalid('"signedRawTransaction" is not a signed legacy transaction')
  }
  const [nonce, gasPrice, gasLimit, to, value, data, v, r, s] = fields as string[]
  const int = (hex: string, name: string, max = 32) => {
    if (hex.length > 2 + max * 2) throw new TransactionInvalid(`"${name}" is too large`)
    if (hex.length > 2 && hex.startsWith('0x00')) throw new TransactionInvalid(`"${name}" has leading zeros`)
    return hex === '0x' ? 0n : BigInt(hex)
  }
  if ((to as string).length !== 42)
    throw new TransactionInvalid('"signedRawTransaction" must have a 20-byte "to"')
  const vValue = int(v as string, 'v')
  const rValue = int(r as string, 'r')
  const sValue = int(s as string, 's')
  if (rValue === 0n || sValue === 0n) throw new TransactionInvalid('"signedRawTransaction" is not signed')
  if (sValue > SECP256K1_HALF_N)
    throw new TransactionInvalid('"signedRawTransaction" has a non-canonical (high) s')
  let chainId: bigint
  let yParity: number
  if (vValue === 27n || vValue === 28n) {
    chainId = 0n
    yParity = Number(vValue - 27n)
  } else if (vValue >= 35n) {
    chainId = (vValue - 35n) / 2n
    yParity = Number((vValue - 35n) % 2n)
  } else throw new TransactionInvalid('"v" is not a valid legacy signature value')
  const unsignedFields = [nonce, gasPrice, gasLimit, to, value, data] as string[]
  if (chainId !== 0n) unsignedFields.push(toBeArrayHex(chainId), '0x', '0x')
  const digest = keccak256(encodeRlp(unsignedFields))
  const rHex = `0x${rValue.toString(16).padStart(64, '0')}`
  const sHex = `0x${sValue.toString(16).padStart(64, '0')}`
  return {
    hash: keccak256(raw),
    from: recoverSignerAddress(hexToBytes(digest), rHex, sHex, yParity),
    to: getAddress((to as string).toLowerCase()),
    data: data as string,
    nonce: int(nonce as string, 'nonce', 8),
    chainId,
    gasLimit: int(gasLimit as string, 'gasLimit'),
    gasPrice: int(gasPrice as string, 'gasPrice'),
    value: int(value as string, 'value'),
    r: rHex,
    s: sHex,
    v: toQuantity(vValue),
  }
}

function toBeArrayHex(value: bigint): string {
  const hex = value.toString(16)
  return `0x${hex.length % 2 ? '0' : ''}${hex}`
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
  const unsigned = params.unsignedTransaction
  const mismatch = (name: string) =>
    new TransactionInvalid(`signed transaction does not match the unsigned one: "${name}"`)
  const quantity = (name: keyof UnsignedTransaction) => {
    try {
      return fromQuantity(unsigned[name])
    } catch {
      throw mismatch(name)
    }
  }
  if (typeof unsigned.to !== 'string' || parsed.to.toLowerCase() !== unsigned.to.toLowerCase())
    throw mismatch('to')
  if (typeof unsigned.data !== 'string' || parsed.data.toLowerCase() !== unsigned.data.toLowerCase())
    throw mismatch('data')
  if (parsed.nonce !== quantity('nonce')) throw mismatch('nonce')
  if (parsed.chainId !== quantity('chainId')) throw mismatch('chainId')
  if (parsed.gasLimit !== quantity('gasLimit')) throw mismatch('gasLimit')
  if (parsed.gasPrice !== quantity('gasPrice')) throw mismatch('gasPrice')
  if (parsed.value !== quantity('value')) throw mismatch('value')
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
