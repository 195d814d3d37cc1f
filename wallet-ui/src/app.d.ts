import type { Language } from '$lib/i18n'
import type { WalletSessionData } from '$lib/server/session'

declare global {
  namespace App {
    interface Error {
      message: string
      /** Reference the reader can quote to support; the details stay in the server log. */
      errorId?: string
      /** Which localized explanation the error page shows. */
      kind?: 'forbidden' | 'service'
    }
    interface Locals {
      lang: Language
      /** The signed-in staff member with the (server-only) service token, if any. */
      session: WalletSessionData | undefined
    }
  }
}
