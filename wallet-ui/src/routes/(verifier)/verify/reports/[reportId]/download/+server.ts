import { error } from '@sveltejs/kit'
import { requireParty } from '$lib/server/guard'
import { ServiceError } from '$lib/server/services'
import { reportHtml } from '$lib/server/verifier'
import type { RequestHandler } from './$types'

/** The verifier's HTML report in the reader's language, as a download (the token stays server-side). */
export const GET: RequestHandler = async ({ locals, url, params }) => {
  const session = requireParty(locals, url, 'verifier')
  try {
    const response = await reportHtml(session, params.reportId, locals.lang)
    return new Response(await response.text(), {
      headers: {
        'content-type': 'text/html; charset=utf-8',
        'content-disposition': `attachment; filename="verification-${params.reportId.replace(/[^0-9a-f-]/g, '')}.html"`,
        'cache-control': 'no-store',
      },
    })
  } catch (cause) {
    if (cause instanceof ServiceError && cause.kind === 'not-found') error(404, { message: 'Not Found' })
    throw cause
  }
}
