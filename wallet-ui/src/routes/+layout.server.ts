import type { LayoutServerLoad } from './$types'

/** The resolved language reaches every page (and the error page) through the root layout's data. */
export const load: LayoutServerLoad = ({ locals }) => ({ lang: locals.lang })
