import { describe, expect, it } from 'vitest'
import { seededRandom, syntheticPerson } from '../src/index.ts'

const people = (seed: number, count: number) => {
  const random = seededRandom(seed)
  return Array.from({ length: count }, () => syntheticPerson(random))
}

describe('synthetic people', () => {
  it('are the same for the same seed and differ for another', () => {
    expect(people(7, 50)).toEqual(people(7, 50))
    expect(people(8, 50)).not.toEqual(people(7, 50))
  })

  it('are marked as test data in every record and in their names', () => {
    for (const person of people(1, 200)) {
      expect(person.syntheticTestData).toBe(true)
      expect(person.familyName).toMatch(/-TEST$/)
    }
  })

  it('carry identifiers in the real formats, so privacy tests search realistic values', () => {
    for (const person of people(3, 200)) {
      expect(person.bamfFileNumber).toMatch(/^\d{7}-\d{3}$/)
      expect(person.azrNumber).toMatch(/^\d{12}$/)
      expect(person.eurodacReference).toMatch(/^[A-Z]{2}[12]\d{12}$/)
      expect(person.birthDate).toMatch(/^(19[6-9]\d|200[0-8])-(0[1-9]|1[0-2])-(0[1-9]|1\d|2[0-8])$/)
    }
  })

  it('spread uniformly enough that 1,000 draws give distinct file numbers', () => {
    const numbers = new Set(people(11, 1000).map((person) => person.bamfFileNumber))
    expect(numbers.size).toBeGreaterThan(990)
  })
})
