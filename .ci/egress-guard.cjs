// Egress guard: preloaded (NODE_OPTIONS=--require) into every Node process CI starts — install,
// generate, migrate, start and test. It records every outbound connection and DNS lookup and blocks
// any that goes anywhere but loopback and the npm registry, so the product is proven to run
// air-gapped. Violations are appended to $EGRESS_GUARD_LOG (JSON lines); .ci/run fails on any.
'use strict'
const net = require('node:net')
const dns = require('node:dns')
const fs = require('node:fs')

const logFile = process.env.EGRESS_GUARD_LOG
const registryHosts = (process.env.EGRESS_GUARD_ALLOW ?? 'registry.npmjs.org')
  .split(',')
  .map((host) => host.trim().toLowerCase())
  .filter(Boolean)
const allowedNames = new Set(['localhost', ...registryHosts])
// Addresses a permitted name resolved to (the registry's, when reached by IP after lookup).
const allowedAddresses = new Set()

const isLoopback = (host) =>
  host === '::1' || host === '0:0:0:0:0:0:0:1' || /^127\./.test(host) || host === '::ffff:127.0.0.1' || host === '0.0.0.0'

function record(kind, target, allowed) {
  if (!logFile) return
  try {
    fs.appendFileSync(
      logFile,
      `${JSON.stringify({ at: new Date().toISOString(), pid: process.pid, argv: process.argv.slice(1, 3), kind, target, allowed })}\n`,
    )
  } catch {
    // the log is best effort; blocking below still applies
  }
}

function permitted(host) {
  if (host === undefined || host === null || host === '') return true // defaults to localhost
  const name = String(host).toLowerCase().replace(/^\[|\]$/g, '')
  return isLoopback(name) || allowedNames.has(name) || allowedAddresses.has(name)
}

function blocked(kind, target) {
  record(kind, target, false)
  const error = new Error(`egress guard: ${kind} to ${target} is not allowed (air-gapped: loopback and the npm registry only)`)
  error.code = 'EGRESS_BLOCKED'
  return error
}

// --- DNS -------------------------------------------------------------------------------------
const originalLookup = dns.lookup
dns.lookup = function guardedLookup(hostname, options, callback) {
  const cb = typeof options === 'function' ? options : callback
  if (!permitted(hostname)) {
    const error = blocked('dns', hostname)
    process.nextTick(() => cb(error))
    return {}
  }
  return originalLookup.call(this, hostname, options, (error, address, family) => {
    if (!error) {
      for (const entry of Array.isArray(address) ? address : [{ address }]) allowedAddresses.add(entry.address)
    }
    if (typeof options === 'function') options(error, address, family)
    else callback(error, address, family)
  })
}
const originalPromiseLookup = dns.promises.lookup
dns.promises.lookup = async function guardedPromiseLookup(hostname, options) {
  if (!permitted(hostname)) throw blocked('dns', hostname)
  const result = await originalPromiseLookup.call(this, hostname, options)
  for (const entry of Array.isArray(result) ? result : [result]) allowedAddresses.add(entry.address)
  return result
}
for (const method of ['resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCname', 'resolveTxt', 'resolveSrv']) {
  const original = dns[method]
  if (typeof original !== 'function') continue
  dns[method] = function guardedResolve(hostname, ...rest) {
    if (!permitted(hostname)) {
      const cb = rest[rest.length - 1]
      const error = blocked('dns', hostname)
      if (typeof cb === 'function') process.nextTick(() => cb(error))
      return undefined
    }
    return original.call(this, hostname, ...rest)
  }
}

// --- TCP (covers http, https, tls, fetch/undici, pg, everything on net.Socket) -----------------
const originalConnect = net.Socket.prototype.connect
net.Socket.prototype.connect = function guardedConnect(...args) {
  let options = args[0]
  if (Array.isArray(options)) options = options[0] // internal normalized form
  let host
  let path
  if (options && typeof options === 'object') {
    host = options.host
    path = options.path
  } else if (typeof options === 'string' && !/^\d+$/.test(options)) {
    path = options // unix socket path
  } else {
    host = typeof args[1] === 'string' ? args[1] : undefined
  }
  // net treats a truthy `path` as a unix socket (IPC), which never leaves the machine.
  const ipc = typeof path === 'string' && path.length > 0
  if (!ipc && !permitted(host)) {
    const error = blocked('connect', `${host}:${options?.port ?? args[0]}`)
    process.nextTick(() => this.destroy(error))
    return this
  }
  return originalConnect.apply(this, args)
}
