/**
 * The EU member states as eIDAS nodes name them. eIDAS uses the EU-institutional code `EL` for Greece
 * in PersonIdentifiers (the trigger normalises it to `GR`); the flag is drawn from the ISO code.
 */

/** A country of the picker. */
export interface EidasCountry {
  /** The code in PersonIdentifiers (`EL` for Greece). */
  code: string;
  /** ISO 3166-1 alpha-2, used for nationality values. */
  iso: string;
  name: string;
  /** The flag as regional-indicator emoji. */
  flag: string;
}

const NAMES: ReadonlyArray<readonly [code: string, iso: string, name: string]> = [
  ['AT', 'AT', 'Austria'],
  ['BE', 'BE', 'Belgium'],
  ['BG', 'BG', 'Bulgaria'],
  ['HR', 'HR', 'Croatia'],
  ['CY', 'CY', 'Cyprus'],
  ['CZ', 'CZ', 'Czechia'],
  ['DK', 'DK', 'Denmark'],
  ['EE', 'EE', 'Estonia'],
  ['FI', 'FI', 'Finland'],
  ['FR', 'FR', 'France'],
  ['DE', 'DE', 'Germany'],
  ['EL', 'GR', 'Greece'],
  ['HU', 'HU', 'Hungary'],
  ['IE', 'IE', 'Ireland'],
  ['IT', 'IT', 'Italy'],
  ['LV', 'LV', 'Latvia'],
  ['LT', 'LT', 'Lithuania'],
  ['LU', 'LU', 'Luxembourg'],
  ['MT', 'MT', 'Malta'],
  ['NL', 'NL', 'Netherlands'],
  ['PL', 'PL', 'Poland'],
  ['PT', 'PT', 'Portugal'],
  ['RO', 'RO', 'Romania'],
  ['SK', 'SK', 'Slovakia'],
  ['SI', 'SI', 'Slovenia'],
  ['ES', 'ES', 'Spain'],
  ['SE', 'SE', 'Sweden'],
];

const flagOf = (iso: string): string =>
  String.fromCodePoint(...[...iso].map((letter) => 0x1f1e6 + letter.charCodeAt(0) - 65));

/** The 27 EU member states, alphabetical by English name. */
export const EU_MEMBER_STATES: readonly EidasCountry[] = NAMES.map(([code, iso, name]) => ({
  code,
  iso,
  name,
  flag: flagOf(iso),
}));

/** The member state with this eIDAS or ISO code (case-insensitive). */
export function findCountry(code: string): EidasCountry | undefined {
  const upper = code.toUpperCase();
  return EU_MEMBER_STATES.find((country) => country.code === upper || country.iso === upper);
}
