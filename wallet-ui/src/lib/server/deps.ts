/**
 * The workspace packages the server loads at run time rather than bundling (TypeScript sources run
 * through tsx, Prisma's generated client, native modules). Imported lazily, so that SvelteKit's
 * build-time analysis of the server routes never has to load them.
 */
export const dbPackage = () => import('@flora/db')
export const connectorPackage = () => import('@flora/ebsi-connector')
export const holderPackage = () => import('@flora/ebsi-connector/holder')
export const serviceKitPackage = () => import('@flora/service-kit')

/** The payload of a compact JWS, decoded without verification (display only). */
export function decodeJwtParts(jwt: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [h = '', p = ''] = jwt.split('.')
  const parse = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>
  return { header: parse(h), payload: parse(p) }
}
