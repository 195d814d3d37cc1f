import { sveltekit } from '@sveltejs/kit/vite'
import { defineConfig } from 'vite'

/**
 * Loaded at run time, not bundled into the server: @flora/db opens Prisma's generated client
 * (TypeScript, loaded through tsx: scripts/start.ts runs the server under it) and better-sqlite3's
 * native module; the holder module brings Veramo and the EBSI libraries; service-kit's entry point
 * (its key file) brings koa, which has no place in the bundle. Its koa-free subpaths (the sign-in
 * throttle, imported by the config module at load) are bundled: SvelteKit's build analyses the
 * server in a worker without tsx, where an external TypeScript module cannot load.
 */
const serverExternal = /^@flora\/(db|ebsi-connector)(\/.*)?$|^@flora\/service-kit$/

export default defineConfig({
  plugins: [sveltekit()],
  environments: {
    ssr: { build: { rollupOptions: { external: (id: string) => serverExternal.test(id) } } },
  },
})
