import type { Language } from '$lib/i18n'

declare global {
  namespace App {
    interface Error {
      message: string
      /** Reference the reader can quote to support; the details stay in the server log. */
      errorId?: string
    }
    interface Locals {
      lang: Language
    }
  }
}
