import { readdirSync } from 'node:fs'
import { join } from 'node:path'

/**
 * Example values for dynamic route parameters. A new route with a parameter not listed here makes
 * the browser suite fail (instead of silently leaving the route unchecked): add an example.
 */
export const routeExamples: Record<string, string> = {}

const pageFile = /^\+page(@[^.]*)?\.svelte$/

/** Every URL path that renders a page, derived from the +page.svelte files under `routesDir`. */
export function pageRoutes(routesDir: string, examples: Record<string, string> = routeExamples): string[] {
  const found: string[] = []
  const walk = (dir: string, segments: string[]) => {
    const entries = readdirSync(dir, { withFileTypes: true })
    if (entries.some((entry) => entry.isFile() && pageFile.test(entry.name))) {
      found.push(toPath(segments, examples))
    }
    for (const entry of entries) {
      if (entry.isDirectory()) walk(join(dir, entry.name), [...segments, entry.name])
    }
  }
  walk(routesDir, [])
  return found.sort()
}

function toPath(segments: string[], examples: Record<string, string>): string {
  const route = `/${segments.join('/')}`
  const parts = segments.flatMap((segment) => {
    if (/^\(.+\)$/.test(segment)) return [] // a layout group does not appear in the URL
    if (/^\[\[.+\]\]$/.test(segment)) return [] // an optional parameter: test the path without it
    return [
      segment.replace(/\[(?:\.\.\.)?([^\]=]+)(?:=[^\]]+)?\]/g, (_whole, name: string) => {
        const example = examples[name]
        if (example === undefined) {
          throw new Error(
            `route ${route} has the parameter [${name}] with no example value; add one to routeExamples in test/browser/routes.ts so the route is checked`,
          )
        }
        return encodeURIComponent(example)
      }),
    ]
  })
  return `/${parts.join('/')}`
}
