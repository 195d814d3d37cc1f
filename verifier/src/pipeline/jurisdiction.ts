/**
 * The states bound by the Dublin rules (the EU member states, Iceland, Norway, Switzerland and
 * Liechtenstein), from the EU Publications Office's country code (ISO 3166 alpha-3, the last
 * segment of an ATU authority URI such as https://publications.europa.eu/resource/authority/atu/DEU)
 * to the alpha-2 code the Dublin facts use.
 */
const DUBLIN_STATES: Record<string, string> = {
  AUT: 'AT', BEL: 'BE', BGR: 'BG', HRV: 'HR', CYP: 'CY', CZE: 'CZ', DNK: 'DK', EST: 'EE', FIN: 'FI',
  FRA: 'FR', DEU: 'DE', GRC: 'GR', HUN: 'HU', IRL: 'IE', ITA: 'IT', LVA: 'LV', LTU: 'LT', LUX: 'LU',
  MLT: 'MT', NLD: 'NL', POL: 'PL', PRT: 'PT', ROU: 'RO', SVK: 'SK', SVN: 'SI', ESP: 'ES', SWE: 'SE',
  ISL: 'IS', NOR: 'NO', CHE: 'CH', LIE: 'LI',
}

/** The alpha-2 state of an accredited jurisdiction (ATU URI or bare alpha-3); undefined when unknown. */
export function stateOfJurisdiction(jurisdiction: unknown): string | undefined {
  if (typeof jurisdiction !== 'string') return undefined
  const code = jurisdiction.split('/').at(-1)?.toUpperCase() ?? ''
  return DUBLIN_STATES[code]
}
