/**
 * Shared EBSI primitives used by both the embedded ledger node and the EBSI client:
 * did:ebsi identifiers, JWK thumbprints, Ethereum addresses, the transaction codec, registry
 * contract addresses + ABIs, RFC 9162 Merkle trees, EBSI's derived ids and encodings.
 * Stable surface: add, don't rename.
 */
export { DID_EBSI_LE_VERSION, generateDidEbsi, isDidEbsi, parseDidEbsi } from './did-ebsi.ts'
export {
  base64urlDecode,
  base64urlEncode,
  bytesToHex,
  fromQuantity,
  hexToBytes,
  hexToUtf8,
  isHex,
  toQuantity,
  utf8ToHex,
} from './encoding.ts'
export {
  CalldataInvalid,
  DidEbsiInvalid,
  EbsiCoreError,
  EncodingInvalid,
  PublicKeyInvalid,
  TransactionInvalid,
} from './errors.ts'
export { sha256, sha256Hex } from './hashing.ts'
export {
  attributeHashOf,
  canonicalJson,
  type IssuerProxyData,
  parseSchemaId,
  proxyIdOf,
  type SchemaId,
  schemaIdOf,
  schemaRevisionIdOf,
  timestampIdOf,
} from './identifiers.ts'
export {
  type EcPublicJwk,
  ecJwkToPublicKeyBytes,
  ethereumAddressFromPublicKey,
  jwkThumbprint,
  normalizeAddress,
  secp256k1PublicKeyBytes,
  secp256k1PublicKeyToJwk,
} from './jwk.ts'
export { onboardingKeyClaims, onboardingKeyOf } from './onboarding-binding.ts'
export {
  hasControlCharacter,
  isPathUnderPrefix,
  prefixProblem,
  segmentProblem,
  splitSuffix,
} from './proxy-path.ts'
export { recoverSignerAddress } from './recover.ts'
export {
  merkleInclusionProof,
  merkleInclusionProofFromLevels,
  merkleLevels,
  merkleRootFromInclusionProof,
  merkleRootOfLevels,
  merkleLeafHash,
  merkleNodeHash,
  merkleRoot,
  verifyMerkleInclusion,
} from './merkle.ts'
export {
  DEFAULT_CHAIN_ID,
  DEFAULT_GAS_LIMIT,
  type DecodedRegistryCall,
  decodeRegistryCall,
  encodeRegistryCall,
  REGISTRY_ABIS,
  REGISTRY_ADDRESSES,
  type RegistryName,
  registryAt,
  registryInterface,
} from './registry-contracts.ts'
export {
  buildUnsignedTransaction,
  checkSignedTransaction,
  type ParsedSignedTransaction,
  parseSignedRawTransaction,
  type SignedTransactionParams,
  signUnsignedTransaction,
  toEthersTransaction,
  type UnsignedTransaction,
} from './transaction.ts'
export {
  ANCHORING_SALT_BYTES,
  type AnchoringProof,
  credentialLeafData,
  leafCommitsToCredential,
  leafCommitsToDigest,
} from './anchoring.ts'
export { decodeStatusList, encodeStatusList, encodeStatusListBytes, STATUS_LIST_MIN_BITS, statusBit } from './status-list.ts'
