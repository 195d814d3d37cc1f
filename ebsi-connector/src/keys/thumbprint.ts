/** RFC 7638 JWK thumbprint: the shared core's implementation (EBSI's verification-method ids). */
export { jwkThumbprint } from '../core/index.ts'
