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

/** The eight 16-bit groups of an IPv6 address (`isIP` said 6), an embedded IPv4 tail included. */
function ipv6Groups(address: string): number[] {
  const [head = '', tail] = address.split('%')[0]!.split('::')
  const part = (text: string) =>
    text
      .split(':')
      .filter(Boolean)
      .flatMap((group) => {
        if (!group.includes('.')) return [Number.parseInt(group, 16)]
        const [a = 0, b = 0, c = 0, d = 0] = group.split('.').map(Number)
        return [(a << 8) | b, (c << 8) | d]
      })
  const front = part(head)
  const back = tail === undefined ? [] : part(tail)
  return [...front, ...Array(8 - front.length - back.length).fill(0), ...back]
}

/**
 * One spelling per address: IPv4-mapped IPv6 (`::ffff:10.0.0.1`, what a dual-stack socket reports,
 * or `::ffff:a00:1`) becomes IPv4, IPv6 is lower case. Anything that is no address is returned
 * trimmed, for the caller's `isIP` to refuse.
 */
export function normaliseAddress(address: string): string {
  const trimmed = address.trim().toLowerCase()
  if (isIP(trimmed) !== 6) return trimmed
  const groups = ipv6Groups(trimmed)
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff)
    return [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff].join('.')
  return trimmed
}

/**
 * An X-Forwarded-For hop as an address: proxies write `1.2.3.4:5678` or `[2001:db8::1]:443` as
 * well as bare addresses, and the port says nothing about who the client is.
 */
function hopAddress(hop: string): string {
  const trimmed = hop.trim()
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(trimmed)
  if (v4WithPort) return normaliseAddress(v4WithPort[1]!)
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(trimmed)
  return normaliseAddress(bracketed ? bracketed[1]! : trimmed)
}

/**
 * What a client is counted as by the throttles: an IPv4 address as it is, an IPv6 address as its
 * /64. One subscriber, one VM or one office usually gets a whole /64 and can pick any address in it,
 * so counting single IPv6 addresses would give such a client as many budgets as it likes.
 */
export function clientSubject(address: string): string {
  const normalised = normaliseAddress(address)
  if (isIP(normalised) !== 6) return normalised
  return `${ipv6Groups(normalised)
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(':')}::/64`
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
  const hops = forwardedFor.split(',').map(hopAddress)
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
