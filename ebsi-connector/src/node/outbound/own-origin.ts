import { networkInterfaces } from 'node:os'

/** How the ledger can be reached: its public URL, the URL it listens on, the address it binds. */
export interface LedgerAddresses {
  publicUrl: string
  listeningUrl: string
  bindHost: string
}

const bare = (host: string) => host.toLowerCase().replace(/^\[|\]$/g, '')

const effectivePort = (url: URL) => url.port || (url.protocol === 'https:' ? '443' : '80')

const isWildcard = (host: string) => host === '0.0.0.0' || host === '::'

/** Names and addresses that always mean "this machine". */
function isLoopback(host: string): boolean {
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    /^127\.\d+\.\d+\.\d+$/.test(host) ||
    host === '::1' ||
    /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(host) ||
    isWildcard(host)
  )
}

function interfaceAddresses(): Set<string> {
  const addresses = new Set<string>()
  for (const list of Object.values(networkInterfaces()))
    for (const info of list ?? []) addresses.add(bare(info.address.replace(/%.*$/, '')))
  return addresses
}

function sameOrigin(url: URL, other: string): boolean {
  try {
    return new URL(other).origin === url.origin
  } catch {
    return false
  }
}

/**
 * Whether `url` points at the ledger itself: its public origin, its listening origin, or its port on
 * a loopback name, its bind address, or (bound to every interface) any local address. A proxy that
 * leads back into the ledger would make each proxied GET start another one, without end.
 */
export function isOwnOrigin(url: URL, self: LedgerAddresses): boolean {
  if (sameOrigin(url, self.publicUrl) || sameOrigin(url, self.listeningUrl)) return true
  let listening: URL
  try {
    listening = new URL(self.listeningUrl)
  } catch {
    return false
  }
  if (effectivePort(url) !== effectivePort(listening)) return false
  const host = bare(url.hostname)
  const bindHost = bare(self.bindHost)
  if (isLoopback(host) || host === bindHost) return true
  return isWildcard(bindHost) && interfaceAddresses().has(host)
}
