export { createIssuerApp, issuerVersion } from './app.ts'
export { type IssuerConfig, loadIssuerConfig } from './config.ts'
