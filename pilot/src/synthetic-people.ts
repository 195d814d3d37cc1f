import type { Random } from './random.ts'

/**
 * A synthetic person record as the issuer side of a real deployment would hold it. These values
 * must never reach a credential or the ledger; the pilot's privacy test searches for them.
 */
export interface SyntheticPerson {
  /** Always true: every record says it is test data. */
  syntheticTestData: true
  givenName: string
  familyName: string
  birthDate: string
  nationality: string
  /** BAMF file number (Aktenzeichen): 7 digits, hyphen, 3-digit country key. */
  bamfFileNumber: string
  /** AZR number (Ausländerzentralregister): 12 digits. */
  azrNumber: string
  /** Eurodac reference as the member state recorded it: country code, category digit, sequence. */
  eurodacReference: string
}

// Deliberately marked names: a tester must never mistake a record for a real person.
const givenNames = [
  'Testa',
  'Probo',
  'Musta',
  'Exemplo',
  'Fictia',
  'Synthia',
  'Demo',
  'Pilotin',
  'Muster',
  'Fakeo',
]
const familyNames = [
  'Testperson',
  'Beispiel',
  'Exemple',
  'Muster',
  'Fiktiv',
  'Synthetik',
  'Probant',
  'Echantillon',
]
const nationalities = ['AFG', 'SYR', 'IRQ', 'ERI', 'TUR', 'GEO', 'NGA', 'SOM']
const nationalityKeys: Record<string, string> = {
  AFG: '423',
  SYR: '475',
  IRQ: '438',
  ERI: '224',
  TUR: '163',
  GEO: '430',
  NGA: '232',
  SOM: '273',
}

export function syntheticPerson(random: Random): SyntheticPerson {
  const nationality = random.pick(nationalities)
  const year = random.int(1960, 2008)
  const month = random.int(1, 12)
  const day = random.int(1, 28)
  return {
    syntheticTestData: true,
    givenName: `${random.pick(givenNames)}-${random.digits(3)}`,
    familyName: `${random.pick(familyNames)}-TEST`,
    birthDate: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
    nationality,
    bamfFileNumber: `${random.digits(7)}-${nationalityKeys[nationality]}`,
    azrNumber: random.digits(12),
    eurodacReference: `${random.pick(['IT', 'GR', 'ES', 'HR', 'BG', 'PL', 'AT'])}${random.pick(['1', '2'])}${random.digits(12)}`,
  }
}
