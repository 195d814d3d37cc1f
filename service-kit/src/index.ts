export { createServiceApp, loggablePath, mountRouter, problemJson, type ServiceAppOptions } from './app.ts'
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
export {
  allowedOriginsVariable,
  clearBrowserCookie,
  originOf,
  refuseForeignOrigin,
  requestClient,
  requireSameOrigin,
  retryAfterAnswers,
  secureCookiesFor,
  sessionCookieName,
  setBrowserCookie,
} from './browser-session.ts'
export {
  clientAddress,
  clientSubject,
  noTrustedProxies,
  type TrustedProxies,
  trustedProxies,
  trustedProxiesVariable,
} from './client-address.ts'
export {
  DEVICE_TOKEN_DAYS,
  DeviceTokens,
  defaultLoginLimits,
  type LoginAccount,
  type LoginAttempt,
  LoginGuard,
  type LoginLimits,
  loginLimitsVariable,
} from './login-guard.ts'
export {
  configurePasswordHashing,
  hashPassword,
  PasswordHashingBusy,
  passwordHashingStats,
  passwordHashParameters,
  passwordNeedsRehash,
  verifyPassword,
} from './passwords.ts'
export {
  type AttemptCounterTarget,
  type AttemptStore,
  AttemptThrottle,
  limitsVariable,
  type RawSqlClient,
  type Reservation,
  SqlAttemptStore,
  Throttled,
  type ThrottleCheck,
  type ThrottleRule,
} from './throttle.ts'
export { type ClusterOptions, noSiblings, runClustered, type SiblingBus } from './cluster.ts'
export {
  htmlContentSecurityPolicy,
  jsonApiContentSecurityPolicy,
  securityHeaders,
} from './security-headers.ts'
export { closeOnSignals, listen, type RunningServer } from './server.ts'
export { type InvalidParam, parseInput } from './validation.ts'
