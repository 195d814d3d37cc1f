import { clientSubject } from '@flora/service-kit/client-address'
import { AttemptThrottle, type Reservation, SqlAttemptStore } from '@flora/service-kit/throttle'
import { walletConfig } from './config.ts'
import { walletDb } from './db.ts'
import { dbPackage } from './deps.ts'

/**
 * The wallet's own count of the sign-ins it relays, in its database (so it holds across wallet
 * processes): per browser address (an IPv6 one as its /64), and per account and address. It comes
 * before the service is asked, so a guesser at one address stops costing the issuer or verifier a
 * password check after a few tries. It has no limit per username across addresses: that one, with its exemption for
 * browsers that signed in before, belongs to the service, which checks the password and issues the
 * device cookie the wallet passes on.
 */
let throttle: Promise<AttemptThrottle> | undefined

function walletThrottle(): Promise<AttemptThrottle> {
  throttle ??= (async () => {
    const { db } = await walletDb()
    const { parseDatabaseUrl } = await dbPackage()
    const schema = parseDatabaseUrl('wallet', walletConfig().databaseUrl).schema
    return new AttemptThrottle(new SqlAttemptStore({ db: db.client, provider: db.provider, schema }))
  })()
  throttle.catch(() => {
    throttle = undefined
  })
  return throttle
}

/**
 * Counts a sign-in before it is relayed; throws Throttled (with retryAfterSeconds) when the
 * address or the pair of username and address has used up its window. Refund the reservation when
 * the service did not judge the password (unreachable, timeout) or accepted it.
 */
export async function countSignIn(args: {
  client: string
  party: string
  /** The issuer authority of the account (authority staff). */
  authorityId?: string | undefined
  username: string
}): Promise<Reservation> {
  const limits = walletConfig().signInLimits
  const rule = (name: string, limit: number) => ({
    name: `wallet-signin-${name}`,
    limit,
    windowSeconds: limits.window,
  })
  // an IPv6 browser counts as its /64, as at the services
  const client = clientSubject(args.client)
  const account = `${args.party}\u0000${args.authorityId ?? ''}\u0000${args.username.trim().toLowerCase()}`
  return (await walletThrottle()).reserve([
    { rule: rule('client', limits.client), subject: client },
    { rule: rule('account-client', limits['account-client']), subject: `${account}\u0000${client}` },
  ])
}
