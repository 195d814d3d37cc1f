// Entry point `npm start` (scripts/stack.ts) runs with plain node: registers tsx (the server loads
// the workspace packages' TypeScript sources and Prisma's generated client at run time), then runs
// scripts/start.ts (config check, build if stale, adapter-node server).
import { register } from 'tsx/esm/api'

register()
await import('./start.ts')
