import { getAddress, Interface, type Result } from 'ethers'
import { CalldataInvalid } from './errors.ts'

/**
 * The registries whose writes go through signed transactions, each a "contract" with a fixed
 * address on the ledger. The addresses and function fragments are this project's (EBSI does not
 * publish its contracts' ABIs in the OpenAPI files); parameter names and order follow the JSON-RPC
 * build methods of EBSI's specs, so `data` decodes back into exactly the params a client sent.
 */
export type RegistryName =
  | 'did-registry'
  | 'trusted-issuers-registry'
  | 'trusted-schemas-registry'
  | 'timestamp'

/** Default chain id (EBSI pilot Besu network 0x181f); the node's config may override it. */
export const DEFAULT_CHAIN_ID = 0x181f

/** Gas is free on EBSI; every unsigned tx carries these. */
export const DEFAULT_GAS_LIMIT = '0x1000000'

export const REGISTRY_ADDRESSES: Readonly<Record<RegistryName, string>> = Object.freeze({
  'did-registry': getAddress('0x823bbc0cee3de3b61acfa0ceedb951ab9a013f05'),
  'trusted-issuers-registry': getAddress('0xfdfbce7f3c12a902b79e0ceb0db2662331bba1af'),
  'trusted-schemas-registry': getAddress('0x2d4bd9ebf2e6e8f2c4ab1b0bdfa3c1e19f4c5e6a'),
  timestamp: getAddress('0x8c5c7a9e3f1b2d4a6e0f9c8b7a6d5e4f3c2b1a09'),
})

/** Human-readable ABI fragments (ethers) of each registry's write functions. */
export const REGISTRY_ABIS: Readonly<Record<RegistryName, readonly string[]>> = Object.freeze({
  'did-registry': [
    'function insertDidDocument(string did, bytes baseDocument, string vMethodId, bytes publicKey, bool isSecp256k1, uint256 notBefore, uint256 notAfter)',
    'function updateBaseDocument(string did, bytes baseDocument)',
    'function addController(string did, string controller)',
    'function revokeController(string did, string controller)',
    'function addVerificationMethod(string did, string vMethodId, bytes publicKey, bool isSecp256k1)',
    'function addVerificationRelationship(string did, string name, string vMethodId, uint256 notBefore, uint256 notAfter)',
    'function revokeVerificationMethod(string did, string vMethodId, uint256 notAfter)',
    'function expireVerificationMethod(string did, string vMethodId, uint256 notAfter)',
    'function rollVerificationMethod(string did, string vMethodId, bytes publicKey, bool isSecp256k1, uint256 notBefore, uint256 notAfter, string oldVMethodId, uint256 duration)',
  ],
  'trusted-issuers-registry': [
    'function setAttributeMetadata(string did, bytes32 attributeId, uint8 issuerType, string taoDid, bytes32 taoAttributeId)',
    'function setAttributeData(string did, bytes32 attributeId, bytes attributeData)',
    'function addIssuerProxy(string did, bytes proxyData)',
    'function updateIssuerProxy(string did, bytes32 proxyId, bytes proxyData)',
  ],
  'trusted-schemas-registry': [
    'function insertSchema(bytes32 schemaId, bytes schema, bytes metadata)',
    'function updateSchema(bytes32 schemaId, bytes schema, bytes metadata)',
    'function updateMetadata(bytes32 schemaId, bytes32 schemaRevisionId, bytes metadata)',
  ],
  timestamp: [
    'function timestampHashes(uint256[] hashAlgorithmIds, bytes[] hashValues, bytes[] timestampData)',
  ],
})

const interfaces = Object.fromEntries(
  Object.entries(REGISTRY_ABIS).map(([name, abi]) => [name, new Interface(abi as string[])]),
) as Record<RegistryName, Interface>

/** The ethers Interface of a registry. */
export function registryInterface(registry: RegistryName): Interface {
  return interfaces[registry]
}

/** The registry deployed at `to`, or undefined. */
export function registryAt(to: string): RegistryName | undefined {
  const lower = to.toLowerCase()
  return (Object.keys(REGISTRY_ADDRESSES) as RegistryName[]).find(
    (name) => REGISTRY_ADDRESSES[name].toLowerCase() === lower,
  )
}

/**
 * ABI-encodes one registry call. `args` are named like the JSON-RPC params (strings/bytes as
 * `0x` hex for `bytes`/`bytes32`, numbers or bigints for `uint`).
 * @throws CalldataInvalid when an argument does not fit its ABI type.
 */
export function encodeRegistryCall(
  registry: RegistryName,
  method: string,
  args: Record<string, unknown>,
): string {
  const iface = interfaces[registry]
  const fragment = iface.getFunction(method)
  if (!fragment) throw new CalldataInvalid(`${registry} has no function ${method}`)
  try {
    return iface.encodeFunctionData(
      fragment,
      fragment.inputs.map((input) => args[input.name]),
    )
  } catch (error) {
    throw new CalldataInvalid(`arguments do not fit ${method}: ${(error as Error).message.slice(0, 160)}`, {
      cause: error,
    })
  }
}

/** A decoded registry call: which registry, which function, and its named arguments. */
export interface DecodedRegistryCall {
  registry: RegistryName
  method: string
  /** Named arguments: `bytes`/`bytes32` as 0x hex, `uint` as bigint, `bool`, `string`, arrays. */
  args: Record<string, unknown>
}

/**
 * Decodes `data` sent to `to`.
 * @throws CalldataInvalid when `to` is no registry or `data` matches none of its functions.
 */
export function decodeRegistryCall(to: string, data: string): DecodedRegistryCall {
  const key = `${to.toLowerCase()}:${data}`
  const cached = decodeCache.get(key)
  if (cached) return cached
  const decoded = decodeUncached(to, data)
  if (decodeCache.size >= 2048) decodeCache.delete(decodeCache.keys().next().value as string)
  decodeCache.set(key, decoded)
  return decoded
}

/** Decoded calls by `to:data` (a build's data comes back in its send); entries are frozen. */
const decodeCache = new Map<string, DecodedRegistryCall>()

function decodeUncached(to: string, data: string): DecodedRegistryCall {
  const registry = registryAt(to)
  if (!registry) throw new CalldataInvalid('"to" is not a registry contract')
  const iface = interfaces[registry]
  let parsed: ReturnType<Interface['parseTransaction']>
  try {
    parsed = iface.parseTransaction({ data })
  } catch (error) {
    throw new CalldataInvalid('"data" does not decode against the registry ABI', { cause: error })
  }
  if (!parsed) throw new CalldataInvalid('"data" does not decode against the registry ABI')
  const args: Record<string, unknown> = {}
  parsed.fragment.inputs.forEach((input, index) => {
    args[input.name] = plain(parsed.args[index])
  })
  return Object.freeze({ registry, method: parsed.name, args: Object.freeze(args) })
}

function plain(value: unknown): unknown {
  if (Array.isArray(value) || (value && typeof value === 'object' && 'toArray' in (value as object))) {
    return Array.from(value as Result | unknown[]).map(plain)
  }
  return value
}
