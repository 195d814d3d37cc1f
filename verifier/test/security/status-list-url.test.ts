import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { VerificationReport } from '../../src/index.ts'
import { startVerifier, type VerifierUnderTest } from '../support/harness.ts'
import { TestWorld } from '../support/world.ts'

// A credential's status entry names the URL the verifier fetches its status list from. The
// verifier accepts only a list served through the issuer's own TIR proxy on the configured ledger —
// and "through the proxy" must hold for the URL as it is requested, not only as a string prefix:
// `..`, `%2e%2e`, a backslash or an encoded slash would otherwise climb out of the proxy once the
// URL is parsed, and the verifier would ask the ledger for whatever path the credential chose.
// The real ledger node refuses such paths too, but the verifier does not lean on that: the stand-in
// ledger here answers any path, and must see no request for one.

let world: TestWorld
let verifier: VerifierUnderTest

beforeAll(async () => {
  world = await new TestWorld().start()
  verifier = await startVerifier(world, { FLORA_VERIFIER_STATUS_MAX_AGE_SECONDS: '0' })
})
afterAll(async () => {
  await verifier?.close()
  await world?.stop()
})

/** A credential of the TI whose revocation entry points at `listUrl`, presented over HTTP. */
async function verifyWithStatusUrl(listUrl: string): Promise<VerificationReport> {
  const holder = world.holder()
  const index = world.ti.nextIndex++
  const entry = (purpose: 'revocation' | 'suspension', url: string) => ({
    id: `${url}#${index}`,
    type: 'StatusList2021Entry',
    statusPurpose: purpose,
    statusListIndex: String(index),
    statusListCredential: url,
  })
  const { jwt } = await world.issue({
    type: 'DublinReplyMilestone',
    holder: holder.did,
    vcOverrides: {
      credentialStatus: [entry('revocation', listUrl), entry('suspension', world.statusUrl(world.ti, 'suspension'))],
    },
  })
  const vp = await world.presentation(holder, [jwt], world.anchor([jwt]), verifier.services.identity.did, await verifier.nonce())
  const response = await verifier.verify(vp)
  expect(response.status).toBe(201)
  return (await response.json()) as VerificationReport
}

const statusStep = (report: VerificationReport) => report.credentials[0]!.steps.find((s) => s.step === 'status')!

/** The issuer's proxy, with its proxy id: everything below it is the issuer's to serve. */
const proxy = () => `${world.base}/trusted-issuers-registry/v5/issuers/${world.ti.did}/proxies/${world.ti.proxyId}`

describe('status-list URLs that leave the issuer proxy once parsed', () => {
  const escapes: [string, () => string][] = [
    ['a ".." segment', () => `${proxy()}/status/../../../../../../timestamp/v4/timestamps/TRAVERSED`],
    ['"%2e%2e" segments', () => `${proxy()}/status/%2e%2e/%2E%2E/%2e%2e/%2e%2e/%2e%2e/%2e%2e/timestamp/v4/timestamps/TRAVERSED`],
    ['".%2e" and "%2e." segments', () => `${proxy()}/status/.%2e/%2e./.%2E/%2E./.%2e/.%2e/timestamp/v4/timestamps/TRAVERSED`],
    ['a "." segment', () => `${proxy()}/./status/TRAVERSED`],
    ['backslashes', () => `${proxy()}/status\\..\\..\\..\\..\\..\\..\\timestamp\\v4\\timestamps\\TRAVERSED`],
    ['encoded slashes', () => `${proxy()}/status%2F..%2F..%2F..%2F..%2F..%2F..%2Ftimestamp%2Fv4%2Ftimestamps%2FTRAVERSED`],
    ['encoded backslashes', () => `${proxy()}/status%5C..%5C..%5C..%5C..%5C..%5C..%5CTRAVERSED`],
    ['a double-encoded ".."', () => `${proxy()}/status/%252e%252e/%252e%252e/TRAVERSED`],
    ['an empty segment', () => `${proxy()}//status/TRAVERSED`],
    ['a tab the parser would drop', () => `${proxy()}/status/.\t./TRAVERSED`],
  ]

  it.each(escapes)('%s: refused as not the issuer proxy, and never requested', async (_name, listUrl) => {
    const before = world.ledger.paths.length
    const report = await verifyWithStatusUrl(listUrl())
    expect(statusStep(report)).toMatchObject({ outcome: 'failed', reason: 'status-list-not-issuer-proxy' })
    expect(report.verdict).toBe('invalid')
    expect(world.ledger.paths.slice(before).filter((path) => /TRAVERSED/i.test(path))).toEqual([])
  })

  it('control: the list under the issuer proxy is fetched and decides', async () => {
    const report = await verifyWithStatusUrl(world.statusUrl(world.ti, 'revocation'))
    expect(statusStep(report)).toMatchObject({ outcome: 'passed' })
    expect(report.verdict).toBe('valid')
  })
})
