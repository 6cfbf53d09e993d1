/** eIDAS levels of assurance, lowest first. */
export const EIDAS_LEVELS = ['low', 'substantial', 'high'] as const;
export type EidasLevel = (typeof EIDAS_LEVELS)[number];

/** The login policy the triggers enforce; set by the CDK identity construct from stage config. */
export interface IdentityConfig {
  /** ISO 3166-1 alpha-2 codes whose nationals may not log in with eIDAS (upper case). */
  refusedNationalities: readonly string[];
  /** The lowest eIDAS level of assurance accepted when the gateway reports one. */
  minimumEidasLoa: EidasLevel;
}

/** @default ['FR', 'GB'] — see DOMAIN.md section 1: they register at a local office instead. */
export const DEFAULT_REFUSED_NATIONALITIES: readonly string[] = ['FR', 'GB'];
export const DEFAULT_MINIMUM_EIDAS_LOA: EidasLevel = 'substantial';

/**
 * Reads the login policy from the environment: `REFUSED_NATIONALITIES` (comma-separated alpha-2,
 * unset → FR,GB, empty → none) and `MINIMUM_EIDAS_LOA` (`low`|`substantial`|`high`, unset →
 * substantial). Throws on a malformed value so a bad deployment fails at cold start, not per login.
 */
export function loadIdentityConfig(env: NodeJS.ProcessEnv = process.env): IdentityConfig {
  return {
    refusedNationalities: parseCountryList(env.REFUSED_NATIONALITIES),
    minimumEidasLoa: parseLevel(env.MINIMUM_EIDAS_LOA),
  };
}

function parseCountryList(raw: string | undefined): readonly string[] {
  if (raw === undefined) return DEFAULT_REFUSED_NATIONALITIES;
  const codes = raw
    .split(',')
    .map((code) => code.trim().toUpperCase())
    .filter((code) => code !== '');
  for (const code of codes) {
    if (!/^[A-Z]{2}$/.test(code)) {
      throw new Error(`REFUSED_NATIONALITIES must list ISO 3166-1 alpha-2 codes, got "${code}"`);
    }
  }
  return [...new Set(codes)];
}

function parseLevel(raw: string | undefined): EidasLevel {
  if (raw === undefined || raw.trim() === '') return DEFAULT_MINIMUM_EIDAS_LOA;
  const level = raw.trim().toLowerCase();
  const known = EIDAS_LEVELS.find((candidate) => candidate === level);
  if (!known) throw new Error(`MINIMUM_EIDAS_LOA must be one of ${EIDAS_LEVELS.join(', ')}, got "${raw}"`);
  return known;
}

/**
 * The table of pre token generation; read once at its cold start (pre sign-up has no table). Not
 * `requiredEnv` from #shared/table: that module would pull the DynamoDB client into pre sign-up.
 */
export function loadTableName(env: NodeJS.ProcessEnv = process.env): string {
  const tableName = env.TABLE_NAME;
  if (tableName === undefined || tableName === '') throw new Error('Missing environment variable TABLE_NAME');
  return tableName;
}

/** The policy of this function instance, read once at module scope. */
export const identityConfig: IdentityConfig = loadIdentityConfig();
