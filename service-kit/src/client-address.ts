import { BlockList, isIP } from 'node:net'
import { z } from 'zod'

/**
 * Who a request comes from, for throttling. The address is the TCP peer's unless the peer is one of
 * the operator's trusted proxies: only then is X-Forwarded-For read, right to left, skipping the
 * trusted hops, up to the first address a trusted proxy did not add itself. Anyone else's
 * X-Forwarded-For is the sender's own claim and ignored, so a client cannot pose as many clients
 * (or as another one) by writing the header.
 */
export interface TrustedProxies {
  has(address: string): boolean
  /** The configured entries, for logs. */
  readonly entries: readonly string[]
}

/** Maps IPv4-mapped IPv6 (::ffff:10.0.0.1, what a dual-stack socket reports) to IPv4. */
export function normaliseAddress(address: string): string {
  const trimmed = address.trim()
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(trimmed)
  return mapped ? mapped[1]! : trimmed.toLowerCase()
}

/**
 * Parses the trusted proxies: addresses or CIDR ranges (IPv4 or IPv6). Throws on an entry that is
 * neither, so a typo stops the service at start instead of trusting nobody silently.
 */
export function trustedProxies(entries: readonly string[]): TrustedProxies {
  const list = new BlockList()
  for (const entry of entries) {
    const [address = '', prefix] = entry.split('/')
    const normalised = normaliseAddress(address)
    const family = isIP(normalised)
    if (family === 0) throw new Error(`trusted proxy "${entry}" is not an IP address or CIDR range`)
    const type = family === 4 ? 'ipv4' : 'ipv6'
    if (prefix === undefined) list.addAddress(normalised, type)
    else {
      const bits = Number(prefix)
      if (!Number.isInteger(bits) || bits < 0 || bits > (family === 4 ? 32 : 128))
        throw new Error(`trusted proxy "${entry}" has an invalid prefix length`)
      list.addSubnet(normalised, bits, type)
    }
  }
  return {
    entries: [...entries],
    has(address) {
      const normalised = normaliseAddress(address)
      const family = isIP(normalised)
      if (family === 0) return false
      return list.check(normalised, family === 4 ? 'ipv4' : 'ipv6')
    },
  }
}

/** No proxy is trusted (the default): the TCP peer is the client. */
export const noTrustedProxies: TrustedProxies = trustedProxies([])

/** The client's address: see {@link TrustedProxies}. */
export function clientAddress(
  peer: string | undefined,
  forwardedFor: string | undefined,
  trusted: TrustedProxies,
): string {
  let client = normaliseAddress(peer ?? 'unknown')
  if (!trusted.has(client) || !forwardedFor) return client
  const hops = forwardedFor.split(',').map(normaliseAddress)
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!
    // a malformed hop ends the walk: what is left of it was written by someone we do not trust
    if (isIP(hop) === 0) return client
    client = hop
    if (!trusted.has(hop)) return client
  }
  return client
}

/** The config variable of the trusted proxies: comma-separated addresses or CIDR ranges; default none. */
export const trustedProxiesVariable = () =>
  z
    .string()
    .default('')
    .transform((value, ctx) => {
      const entries = value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean)
      try {
        return trustedProxies(entries)
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message })
        return z.NEVER
      }
    })
