import { decodeJwt } from 'jose'
import { type IssuerProxyData, hexToUtf8 } from '../../core/index.ts'
import { verifyDidSignedJwt } from '../authorisation-v4/did-jwt-verify.ts'
import { ProxyTestFailed } from '../errors.ts'
import { OutboundError } from '../outbound/allowed-fetch.ts'
import { HOP_HEADER } from '../outbound/hop.ts'
import { hasControlCharacter, prefixProblem, splitSuffix } from '../../core/proxy-path.ts'
import { proxyTarget } from '../outbound/proxy-target.ts'
import type { NodeContext } from '../state/context.ts'

/** Request headers an issuer may not set on its proxy's requests (transport, routing, the hop mark). */
const RESERVED_HEADERS = new Set([
  'host',
  'connection',
  'keep-alive',
  'content-length',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'expect',
  HOP_HEADER,
])
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/

function headersProblem(headers: unknown): string | undefined {
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers))
    return 'must be an object of strings'
  const entries = Object.entries(headers)
  if (entries.length > 32) return 'may name at most 32 headers'
  for (const [name, value] of entries) {
    if (typeof value !== 'string') return 'must be an object of strings'
    if (!HEADER_NAME.test(name)) return `has an invalid header name ${JSON.stringify(name.slice(0, 100))}`
    const lower = name.toLowerCase()
    if (RESERVED_HEADERS.has(lower) || lower.startsWith('proxy-')) return `may not set the ${lower} header`
    if (value.length > 4096 || hasControlCharacter(value, true)) return `has an invalid value for ${lower}`
  }
  return undefined
}

/**
 * Parses `proxyData` (hex of the JSON, or the JSON itself as in EBSI's example) and applies the proxy
 * rules: the prefix an http(s) URL without credentials, query or fragment whose path has no dot
 * segments, backslashes, double encoding or control characters; the test suffix a path under it by
 * the same rules; headers ordinary request headers. @throws ProxyTestFailed
 */
export function parseProxyData(value: string): IssuerProxyData {
  let parsed: unknown
  try {
    parsed = JSON.parse(/^0x[0-9a-fA-F]*$/.test(value) ? hexToUtf8(value) : value)
  } catch {
    throw new ProxyTestFailed('"proxyData" must be the hex of a JSON object')
  }
  const data = parsed as Partial<IssuerProxyData> | null
  if (!data || typeof data !== 'object' || Array.isArray(data))
    throw new ProxyTestFailed('"proxyData" must be a JSON object')
  if (typeof data.prefix !== 'string' || data.prefix.length > 1000)
    throw new ProxyTestFailed('"proxyData.prefix" must be an http(s) URL')
  const prefixIssue = prefixProblem(data.prefix)
  if (prefixIssue) throw new ProxyTestFailed(`"proxyData.prefix" ${prefixIssue}`)
  if (typeof data.testSuffix !== 'string' || data.testSuffix.length > 500)
    throw new ProxyTestFailed('"proxyData.testSuffix" must be a path starting with /')
  const suffix = splitSuffix(data.testSuffix)
  if (typeof suffix === 'string') throw new ProxyTestFailed(`"proxyData.testSuffix" ${suffix}`)
  const headers = data.headers ?? {}
  const headersIssue = headersProblem(headers)
  if (headersIssue) throw new ProxyTestFailed(`"proxyData.headers" ${headersIssue}`)
  return {
    prefix: data.prefix.replace(/\/+$/, ''),
    headers: headers as Record<string, string>,
    testSuffix: data.testSuffix,
  }
}

/** Reads a status-list answer: a JWT as text, or a JSON string holding one. */
export function jwtFromBody(text: string): string | undefined {
  let value = text.trim()
  if (value.startsWith('"')) {
    try {
      value = JSON.parse(value) as string
    } catch {
      return undefined
    }
  }
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(value) ? value : undefined
}

/**
 * EBSI's proxy test: fetch prefix + testSuffix (allowlisted hosts only, never the ledger itself)
 * and require a StatusList2021Credential JWT issued and signed by the issuer (its assertionMethod
 * key).
 * @throws ProxyTestFailed
 */
export async function testIssuerProxy(ctx: NodeContext, did: string, proxy: IssuerProxyData): Promise<void> {
  const suffix = splitSuffix(proxy.testSuffix)
  if (typeof suffix === 'string') throw new ProxyTestFailed(`"proxyData.testSuffix" ${suffix}`)
  const target = proxyTarget(proxy.prefix, suffix.segments, suffix.query)
  const answer = await ctx.fetch(target, { headers: proxy.headers }).catch((error: unknown) => {
    if (error instanceof OutboundError) throw new ProxyTestFailed(`the proxy test failed: ${error.message}`)
    throw error
  })
  if (answer.status !== 200)
    throw new ProxyTestFailed(`the proxy answered ${answer.status} for its test suffix`)
  const jwt = jwtFromBody(answer.text)
  if (!jwt) throw new ProxyTestFailed('the proxy test did not return a JWT')
  let payload: ReturnType<typeof decodeJwt> & { vc?: { type?: unknown; issuer?: unknown } }
  try {
    payload = decodeJwt(jwt)
  } catch {
    throw new ProxyTestFailed('the proxy test did not return a JWT')
  }
  const types = Array.isArray(payload.vc?.type) ? payload.vc.type : []
  if (!types.includes('StatusList2021Credential'))
    throw new ProxyTestFailed('the proxy test did not return a StatusList2021Credential')
  if (payload.iss !== did) throw new ProxyTestFailed('the status list is not issued by the issuer')
  try {
    await verifyDidSignedJwt(ctx, jwt, ['assertionMethod'], 'the status list')
  } catch (error) {
    throw new ProxyTestFailed(`the status list is not validly signed by ${did}: ${(error as Error).message}`)
  }
}
