import type { EbsiHttp } from './http.ts'

/** EBSI's paginated list body (`page[after]`, `page[size]` ≤ 50). */
export interface Page<T> {
  self: string
  items: T[]
  total: number
  pageSize: number
  links: { first?: string; prev?: string; next?: string; last?: string }
}

/** Page query parameters. */
export interface PageQuery {
  /** Cursor of the page to read after (`page[after]`). */
  after?: string | number
  /** Items per page, at most 50 (`page[size]`). */
  size?: number
}

/** Turns a PageQuery into EBSI's bracketed query parameters. */
export function pageParams(query: PageQuery = {}): Record<string, string | number | undefined> {
  if (query.size !== undefined && (query.size < 1 || query.size > 50))
    throw new TypeError('"page[size]" must be between 1 and 50')
  return { 'page[after]': query.after, 'page[size]': query.size }
}

/**
 * Iterates every item of a paginated EBSI list by following `links.next` until the last page.
 * @example
 * for await (const { did } of paginate(http, firstPage)) console.log(did)
 */
export async function* paginate<T>(http: EbsiHttp, first: Page<T>): AsyncGenerator<T> {
  let page: Page<T> | undefined = first
  const seen = new Set<string>()
  while (page) {
    yield* page.items
    const next: string | undefined = page.links?.next
    if (!next || next === page.self || seen.has(next) || page.items.length === 0) return
    seen.add(next)
    page = await http.getJson<Page<T>>(next)
  }
}

/** Reads all items of a paginated list into an array. */
export async function collectAll<T>(http: EbsiHttp, first: Page<T>): Promise<T[]> {
  const items: T[] = []
  for await (const item of paginate(http, first)) items.push(item)
  return items
}
