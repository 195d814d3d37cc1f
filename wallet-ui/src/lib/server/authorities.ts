import { z } from 'zod'
import { call } from './services.ts'

/** An authority staff sign in at: its public id and name, as the issuer lists them. */
export interface SignInAuthority {
  id: string
  name: string
}

const authorityList = z.object({
  items: z
    .array(z.object({ id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/), name: z.string().min(1).max(200) }))
    .max(2000),
})

/** How long the wallet keeps the list: new authorities appear in the form within this time. */
const KEEP_MS = 60_000
let kept: { until: number; items: Promise<SignInAuthority[]> } | undefined

/**
 * The issuer's authorities (`GET /authorities`) for the sign-in form, kept for a minute so that the
 * sign-in page costs the issuer one request a minute, not one per visitor. A failed or malformed
 * answer is not kept.
 */
export function signInAuthorities(): Promise<SignInAuthority[]> {
  const now = Date.now()
  if (!kept || kept.until <= now) {
    const items = call<unknown>('issuer', '/authorities', { timeoutMs: 5_000 }).then(
      (body) => authorityList.parse(body).items,
    )
    const entry = { until: now + KEEP_MS, items }
    kept = entry
    items.catch(() => {
      if (kept === entry) kept = undefined
    })
  }
  return kept.items
}

/** The cookie that remembers the authority a browser signed in at last (only a convenience). */
export const LAST_AUTHORITY_COOKIE = 'flora_wallet_authority'

/** An authority id as the issuer spells them (a lower-case slug). */
export const isAuthorityId = (value: string) => /^[a-z0-9][a-z0-9-]{1,62}$/.test(value)
