export { createVerifierApp, verifierVersion } from './app.ts'
export { loadVerifierConfig, type VerifierConfig } from './config.ts'
