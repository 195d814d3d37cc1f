import { readdirSync } from 'node:fs'
import { join } from 'node:path'

/**
 * Example values for dynamic route parameters. A new route with a parameter not listed here makes
 * the browser suite fail (instead of silently leaving the route unchecked): add an example.
 */
export const routeExamples: Record<string, string> = {
  // Placeholders for the signed-out shell suite (a workspace route redirects to sign-in before it
  // loads anything); the stack suite (test/e2e) passes the ids of the case it created.
  caseId: '00000000-0000-4000-8000-000000000001',
  credentialId: 'urn:uuid:00000000-0000-4000-8000-000000000002',
  requestId: '00000000-0000-4000-8000-000000000003',
  reportId: '00000000-0000-4000-8000-000000000004',
}

const pageFile = /^\+page(@[^.]*)?\.svelte$/

/** Every URL path that renders a page, derived from the +page.svelte files under `routesDir`. */
export function pageRoutes(routesDir: string, examples: Record<string, string> = routeExamples): string[] {
  return pageRouteEntries(routesDir, examples).map((entry) => entry.path)
}

/** A page route with the layout groups it sits in ("(authority)", "(verifier)": signed-in workspaces). */
export interface PageRouteEntry {
  path: string
  /** The route as written under src/routes, e.g. /(authority)/cases/[caseId]. */
  route: string
  groups: string[]
}

export function pageRouteEntries(routesDir: string, examples: Record<string, string> = routeExamples): PageRouteEntry[] {
  const found: PageRouteEntry[] = []
  const walk = (dir: string, segments: string[]) => {
    const entries = readdirSync(dir, { withFileTypes: true })
    if (entries.some((entry) => entry.isFile() && pageFile.test(entry.name))) {
      found.push({
        path: toPath(segments, examples),
        route: `/${segments.join('/')}`,
        groups: segments.filter((s) => /^\(.+\)$/.test(s)).map((s) => s.slice(1, -1)),
      })
    }
    for (const entry of entries) {
      if (entry.isDirectory()) walk(join(dir, entry.name), [...segments, entry.name])
    }
  }
  walk(routesDir, [])
  return found.sort((a, b) => (a.path < b.path ? -1 : 1))
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
