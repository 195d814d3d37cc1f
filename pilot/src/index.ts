export { type Random, seededRandom } from './random.ts'
export { type SyntheticPerson, syntheticPerson } from './synthetic-people.ts'
export * from './bootstrap/index.ts'
