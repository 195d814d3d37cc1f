// Public surface of @flora/credentials: the milestone catalogue and the Dublin rule sets.
// Pure, framework-free domain logic; no HTTP, no database.
export * from './milestones/index.ts'
export * from './dublin/index.ts'
export * from './monitor/index.ts'
