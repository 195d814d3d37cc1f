import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { canariesOf, needlesOf, searchBytes, searchText } from '../src/privacy/canaries.ts'
import { renderReportHtml } from '../src/report/html.ts'
import { normalizeReport, type PilotReport } from '../src/report/model.ts'

const fixture = JSON.parse(readFileSync(new URL('./fixtures/report.json', import.meta.url), 'utf8')) as PilotReport

describe('report.html from a report.json fixture', () => {
  it('is one self-contained page in French and German with a summary, charts, the benchmark and every case', () => {
    const html = renderReportHtml(fixture)
    expect(html.startsWith('<!doctype html>')).toBe(true)
    expect(html).not.toMatch(/<script|<link|<img|src=|@import|url\(/i)
    expect(html).toContain('Synthetische Testdaten')
    expect(html).toContain('Données de test synthétiques')
    expect(html).toContain('ne le remplace pas')
    expect(html).toContain('ersetzt ihn aber nicht')
    expect(html.match(/<svg /g)?.length).toBeGreaterThanOrEqual(4)
    for (const stage of ['émission', 'Ausstellung', 'vérification', 'Prüfung']) expect(html).toContain(stage)
    for (const c of fixture.cases) {
      expect(html).toContain(`id="${c.label}"`)
      expect(html).toContain(`href="#${c.label}"`)
    }
    expect(html).toContain('transfert effectué')
    expect(html).toContain('Überstellung durchgeführt')
    expect(html).toContain('preuves insuffisantes')
  })

  it('escapes every value taken from the report', () => {
    const evil = structuredClone(fixture)
    evil.cases[0]!.scenarioId = '<img onerror=alert(1)>'
    evil.cases[0]!.error = '"><script>alert(1)</script>'
    const html = renderReportHtml(evil)
    expect(html).not.toContain('<img onerror')
    expect(html).not.toContain('<script>')
    expect(html).toContain('&lt;script&gt;')
  })

  it('normalises away timings, random ids and credential bytes, keeping cases and outcomes', () => {
    const copy = structuredClone(fixture)
    copy.benchmark.totalMs += 1000
    copy.cases[0]!.timings.issueMs += 5
    copy.cases[0]!.issuerCaseId = 'other'
    copy.cases[0]!.credentials[0]!.hash = 'sha-256:other'
    expect(normalizeReport(copy)).toEqual(normalizeReport(fixture))
    copy.cases[0]!.verification!.verdict = 'valid-ish'
    expect(normalizeReport(copy)).not.toEqual(normalizeReport(fixture))
  })
})

describe('privacy canaries', () => {
  const person = fixture.cases[0]!.person
  const canaries = canariesOf('case', person, fixture.cases[0]!.holderDid)
  const needles = canaries.flatMap(needlesOf)

  it('cover names, birth dates, file, AZR and Eurodac numbers and the holder DID in 17 encodings each', () => {
    expect(canaries.map((c) => c.name.replace('case ', ''))).toEqual([
      'givenName', 'familyName', 'fullName', 'birthDate', 'birthDate (de)', 'bamfFileNumber', 'azrNumber',
      'eurodacReference', 'holderDid', 'holderDid multibase',
    ])
    expect(needlesOf(canaries[0]!).map((n) => n.encoding)).toEqual([
      'clear', 'hex', 'base64', 'base64url', 'base58btc',
      'sha-256 hex', 'sha-256 base64', 'sha-256 base64url', 'sha-256 base58btc', 'sha-256 raw',
      'keccak-256 hex', 'keccak-256 base64', 'keccak-256 base64url', 'keccak-256 base58btc', 'keccak-256 raw',
    ])
  })

  it('find each encoding of a planted value and nothing in unrelated text', () => {
    const azr = { name: 'azr', value: '123456789012' }
    const [clear, hex, , , base58, shaHex, , , , shaRaw, keccakHex] = needlesOf(azr)
    expect(hex!.text).toBe('313233343536373839303132')
    expect(base58!.text).toMatch(/^[1-9A-HJ-NP-Za-km-z]+$/)
    // known vector: SHA-256("123456789012") (sha256sum)
    expect(shaHex!.text).toBe('2a33349e7e606a8ad2e30e3c84521f9377450cf09083e162e0a9b1480ce0f972')
    expect(keccakHex!.text).toMatch(/^[0-9a-f]{64}$/)
    expect(keccakHex!.text).not.toBe(shaHex!.text)
    const doc = `{"note":"x ${hex!.text.toUpperCase()} y"}`
    expect(searchText(doc, [clear!, hex!], 'doc').map((h) => h.encoding)).toEqual(['hex'])
    expect(searchBytes(Buffer.concat([Buffer.from('prefix'), shaRaw!.bytes]), [shaRaw!], 'file')).toHaveLength(1)
    expect(searchText('{"did":"did:ebsi:zAbc","hash":"0x00ff"}', needles, 'doc')).toEqual([])
  })
})
