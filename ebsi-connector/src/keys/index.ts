export { KeyEnvelopeInvalid, openPrivateKey, sealPrivateKey } from './envelope.ts'
export { KeyNotFound, KeyStoreError, KeyTypeMismatch, KeyTypeUnsupported } from './errors.ts'
export { type EcdsaJwsAlgorithm, verifyEcdsa, verifyEcdsaOffThread } from './ecdsa-verify.ts'
export {
  algOf,
  curveOf,
  type EcPublicJwk,
  type GeneratedKey,
  generateKey,
  type KeyType,
  keyTypeOfCurve,
  publicJwkFromHex,
  publicJwkFromPrivate,
  publicKeyHexOf,
} from './key-material.ts'
export {
  type KeyInfo,
  type KeyStore,
  PrismaKeyStore,
  type PrismaKeyStoreOptions,
  type StoredKeyDatabase,
  type StoredKeyRow,
} from './key-store.ts'
export {
  type JwtHeaderInput,
  LocalSigner,
  type RecoverableSignature,
  type Signer,
  signJwtWith,
} from './signer.ts'
export { jwkThumbprint } from './thumbprint.ts'
