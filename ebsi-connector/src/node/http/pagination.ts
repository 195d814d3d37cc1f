import { BadPaging } from '../errors.ts'

/** EBSI pagination: `page[after]` is the 1-based page number, `page[size]` ≤ 50 (default 10). */
export interface Page {
  page: number
  size: number
  offset: number
}

export const MAX_PAGE_SIZE = 50

export function parsePage(query: Record<string, unknown>): Page {
  const sizeRaw = query['page[size]']
  const afterRaw = query['page[after]']
  const size = sizeRaw === undefined ? 10 : toInt(sizeRaw, 'page[size]')
  if (size > MAX_PAGE_SIZE) throw new BadPaging('PageSize should not be greater than 50')
  if (size < 1) throw new BadPaging('PageSize should be at least 1')
  const page = afterRaw === undefined ? 1 : toInt(afterRaw, 'page[after]')
  if (page < 1) throw new BadPaging('page[after] should be at least 1')
  if (page > 1_000_000) throw new BadPaging('page[after] is too large')
  return { page, size, offset: (page - 1) * size }
}

function toInt(value: unknown, name: string): number {
  if (typeof value !== 'string' || !/^[0-9]{1,9}$/.test(value))
    throw new BadPaging(`${name} must be a positive integer`)
  return Number(value)
}

/** The `{self, items, total, pageSize, links}` envelope of EBSI collections. */
export function paged<T>(
  baseUrl: string,
  page: Page,
  total: number,
  items: T[],
  extraQuery: Record<string, string> = {},
): { self: string; items: T[]; total: number; pageSize: number; links: Record<string, string> } {
  const last = Math.max(1, Math.ceil(total / page.size))
  const extra = Object.entries(extraQuery)
    .map(([key, value]) => `&${key}=${encodeURIComponent(value)}`)
    .join('')
  const link = (n: number) => `${baseUrl}?page[after]=${n}&page[size]=${page.size}${extra}`
  return {
    self: link(page.page),
    items,
    total,
    pageSize: page.size,
    links: {
      first: link(1),
      prev: link(Math.max(1, page.page - 1)),
      next: link(Math.min(last, page.page + 1)),
      last: link(last),
    },
  }
}
