import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { type AttemptThrottle, limitsVariable, type ThrottleCheck, type ThrottleRule } from './throttle.ts'

/**
 * Login throttling that stops password guessing without letting a guesser lock the real person out
 * (OWASP's "device cookie" scheme, with per-client limits in front of it):
 *
 * - A login that brings a valid device token for that account (the person logged in successfully
 *   to it from this browser before) counts only against that device: `device` attempts per window. A
 *   guesser elsewhere cannot touch this count, so the real person keeps logging in during an attack.
 * - Any other login counts against its client address (`client`, across every account), against
 *   the pair account + client (`account-client`), and last against the account from all unknown
 *   clients together (`account`). An account is a username, within its tenant where the service
 *   has tenants ({@link LoginAccount}). The first two stop one client; the third bounds a guesser who
 *   spreads over many addresses, and only ever blocks logins from clients without a device token.
 *
 * Every count is taken before the password is checked (the scrypt is what an attacker wants to make
 * us spend) and refunded when the login succeeds, so only failures and attempts in flight count. The
 * same counts apply to known and unknown accounts: a 429 says nothing about whether one exists.
 * Windows are fixed (not sliding, not extended by further attempts): a blocked client or device
 * waits at most one window, the Retry-After the answer gives.
 */
export interface LoginLimits {
  /** Window length, seconds. */
  window: number
  /** Logins per client address, across accounts. */
  client: number
  /** Logins per account and client address. */
  'account-client': number
  /** Logins per account from clients without a valid device token. */
  account: number
  /** Logins per device token. */
  device: number
}

export const defaultLoginLimits: LoginLimits = {
  window: 900,
  client: 30,
  'account-client': 5,
  account: 20,
  device: 10,
}

/** The variable that sets login limits (`window=900,client=30,account-client=5,account=20,device=10`). */
export const loginLimitsVariable = () => limitsVariable<keyof LoginLimits>(defaultLoginLimits)

/** How long a device token stays valid (renewed at every successful login from that browser). */
export const DEVICE_TOKEN_DAYS = 180

/**
 * Who a login is for: the username and, where usernames are unique only within a tenant (the
 * issuer's authorities), the tenant. Counts and device tokens belong to this pair, never to the
 * username alone: a username at one tenant says nothing about the same username at another.
 */
export interface LoginAccount {
  username: string
  /** The tenant the username belongs to (the issuer's authority id); none for a single-tenant service. */
  tenant?: string | undefined
}

/**
 * The account as counted: usernames compare case-insensitively (NFKC, lower case), so that spelling
 * a username differently does not open a fresh budget; the tenant compares exactly.
 */
const countedAs = (account: LoginAccount) =>
  `${account.tenant ?? ''}\u0000${account.username.trim().normalize('NFKC').toLowerCase()}`

/**
 * The account a device token is bound to, exactly as it logged in (the account lookup is exact too):
 * a token earned on one's own `J.Doe` is not one for a colleague's `j.doe`.
 */
const boundTo = (account: LoginAccount) =>
  createHash('sha256')
    .update(`${account.tenant ?? ''}\u0000${account.username}`)
    .digest('base64url')

/**
 * Device tokens: `<device id>.<expiry, epoch s>.<HMAC>` where the MAC covers id, expiry and a digest
 * of the account (tenant and username), under a key only the service holds. The token names no one;
 * it is valid only for the account it was issued for.
 */
export class DeviceTokens {
  readonly #key: Uint8Array
  readonly #now: () => number

  constructor(key: Uint8Array, now: () => number = Date.now) {
    if (key.length < 32) throw new TypeError('the device-token key must have at least 32 bytes')
    this.#key = key
    this.#now = now
  }

  #mac(id: string, expires: number, account: LoginAccount): Buffer {
    return createHmac('sha256', this.#key)
      .update(`device\u0000${id}\u0000${expires}\u0000${boundTo(account)}`)
      .digest()
  }

  /** A token for this browser and account; `deviceId` keeps the id of the token it renews. */
  issue(
    account: LoginAccount,
    deviceId = randomBytes(16).toString('base64url'),
  ): { token: string; expires: Date } {
    const expires = Math.floor(this.#now() / 1000) + DEVICE_TOKEN_DAYS * 86_400
    return {
      token: `${deviceId}.${expires}.${this.#mac(deviceId, expires, account).toString('base64url')}`,
      expires: new Date(expires * 1000),
    }
  }

  /** The device id of a valid, unexpired token issued for `account`; otherwise undefined. */
  read(token: string | undefined, account: LoginAccount): string | undefined {
    if (!token || token.length > 200) return undefined
    const [id, expiresText, mac] = token.split('.')
    if (!id || !expiresText || !mac || !/^[\w-]{16,64}$/.test(id) || !/^\d{1,12}$/.test(expiresText))
      return undefined
    const expires = Number(expiresText)
    if (expires * 1000 <= this.#now()) return undefined
    const expected = this.#mac(id, expires, account)
    const given = Buffer.from(mac, 'base64url')
    return given.length === expected.length && timingSafeEqual(given, expected) ? id : undefined
  }
}

/** One login attempt, counted: tell it how the password check went. */
export interface LoginAttempt {
  /** The login succeeded: refunds its counts and returns a (renewed) device token for the browser. */
  succeeded(): Promise<{ token: string; expires: Date }>
}

/** The login throttle of one service. */
export class LoginGuard {
  readonly #throttle: AttemptThrottle
  readonly #devices: DeviceTokens
  readonly #rules: Record<'client' | 'accountClient' | 'account' | 'device', ThrottleRule>

  constructor(options: { throttle: AttemptThrottle; devices: DeviceTokens; limits: LoginLimits }) {
    this.#throttle = options.throttle
    this.#devices = options.devices
    const rule = (name: string, limit: number): ThrottleRule => ({
      name: `login-${name}`,
      limit,
      windowSeconds: options.limits.window,
    })
    this.#rules = {
      client: rule('client', options.limits.client),
      accountClient: rule('account-client', options.limits['account-client']),
      account: rule('account', options.limits.account),
      device: rule('device', options.limits.device),
    }
  }

  /**
   * Counts a login before its password is checked; throws Throttled (429) when a limit is used up.
   * `client` is the request's client from {@link requestClient} (an IPv6 client as its /64); `deviceToken` the browser's device cookie.
   */
  async begin(args: {
    account: LoginAccount
    client: string
    deviceToken?: string | undefined
  }): Promise<LoginAttempt> {
    const account = countedAs(args.account)
    const deviceId = this.#devices.read(args.deviceToken, args.account)
    const checks: ThrottleCheck[] = deviceId
      ? [{ rule: this.#rules.device, subject: deviceId }]
      : [
          { rule: this.#rules.client, subject: args.client },
          { rule: this.#rules.accountClient, subject: `${account}\u0000${args.client}` },
          { rule: this.#rules.account, subject: account },
        ]
    const reservation = await this.#throttle.reserve(checks)
    return {
      succeeded: async () => {
        await reservation.refund()
        return this.#devices.issue(args.account, deviceId)
      },
    }
  }
}
