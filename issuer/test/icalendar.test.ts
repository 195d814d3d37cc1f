import { describe, expect, it } from 'vitest'
import { escapeText, foldLine, nextDay, serializeCalendar } from '../src/domain/icalendar.ts'

describe('iCalendar writer', () => {
  it('escapes TEXT values', () => {
    expect(escapeText('a\\b;c,d\ne\r\nf')).toBe('a\\\\b\\;c\\,d\\ne\\nf')
  })

  it('folds at 75 octets, continuation lines start with a space, UTF-8 is never split', () => {
    const line = `SUMMARY:${'x'.repeat(200)}`
    const folded = foldLine(line).split('\r\n')
    expect(folded[0]).toHaveLength(75)
    for (const part of folded.slice(1)) expect(part.startsWith(' ')).toBe(true)
    for (const part of folded) expect(Buffer.byteLength(part)).toBeLessThanOrEqual(75)
    expect(folded.map((part, i) => (i ? part.slice(1) : part)).join('')).toBe(line)
    const umlauts = foldLine(`SUMMARY:${'ü'.repeat(100)}`).split('\r\n')
    for (const part of umlauts) {
      expect(Buffer.byteLength(part)).toBeLessThanOrEqual(75)
      expect(part).not.toContain('\uFFFD')
    }
    expect(foldLine('SHORT:x')).toBe('SHORT:x')
  })

  it('computes the exclusive end of an all-day event across month and year ends', () => {
    expect(nextDay('2026-12-31')).toBe('2027-01-01')
    expect(nextDay('2028-02-28')).toBe('2028-02-29')
    expect(nextDay('2026-03-28')).toBe('2026-03-29')
  })

  it('writes all-day events with CRLF line ends only', () => {
    const text = serializeCalendar({
      prodId: '-//FLORA-VC//deadline monitor//EN',
      name: 'Dublin deadlines',
      stamp: new Date('2026-12-07T08:15:30.123Z'),
      events: [
        { uid: 'c1-reply@flora', date: '2026-12-21', summary: 'Reply, AMMR', description: 'line 1\nline 2', url: 'http://w/cases/c1' },
      ],
    })
    expect(text.endsWith('\r\n')).toBe(true)
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/)
    const lines = text.split('\r\n')
    expect(lines).toContain('DTSTART;VALUE=DATE:20261221')
    expect(lines).toContain('DTEND;VALUE=DATE:20261222')
    expect(lines).toContain('DTSTAMP:20261207T081530Z')
    expect(lines).toContain('SUMMARY:Reply\\, AMMR')
    expect(lines).toContain('DESCRIPTION:line 1\\nline 2')
    expect(lines[0]).toBe('BEGIN:VCALENDAR')
    expect(lines.at(-2)).toBe('END:VCALENDAR')
  })
})
