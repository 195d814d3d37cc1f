export { createServiceApp, mountRouter, problemJson, type ServiceAppOptions } from './app.ts'
export { ConfigInvalid, decodeKey, env, loadConfig } from './config.ts'
export { loadOrCreateKeyFile } from './key-file.ts'
export { createLogger, type Logger } from './logger.ts'
export { buildOpenApi, type OperationSpec, standardOperations } from './openapi.ts'
export {
  badRequest,
  conflict,
  forbidden,
  HttpProblem,
  notFound,
  type ProblemBody,
  toProblem,
  unauthorized,
} from './problem.ts'
export { type ClusterOptions, noSiblings, runClustered, type SiblingBus } from './cluster.ts'
export {
  htmlContentSecurityPolicy,
  jsonApiContentSecurityPolicy,
  securityHeaders,
} from './security-headers.ts'
export { closeOnSignals, listen, type RunningServer } from './server.ts'
export { type InvalidParam, parseInput } from './validation.ts'
