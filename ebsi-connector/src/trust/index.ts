export {
  type AccreditationChain,
  type AccreditationLink,
  type AccreditationReader,
  type AccreditedFor,
  type ChainWalkPolicy,
  type ChainWalkSubject,
  type TirAttribute,
  walkAccreditationChain,
} from './chain-walk.ts'
export * from './errors.ts'
export { type HttpAccreditationReaderOptions, httpAccreditationReader } from './http-reader.ts'
