/**
 * Look-alike text for reviewers (issue 19, item 4): names that mix scripts inside one word, after the
 * restriction levels of UTS #39 (Unicode Security Mechanisms, section 5.2). Flagged for the BIS agent
 * and the security officer, never refused: whole names in Cyrillic or Greek are legitimate, and the
 * person who types "Ѕiemens" (Cyrillic Ѕ) is exactly whom a reviewer must look at.
 *
 * Scripts come from V8's `\p{Script_Extensions=…}` (ICU): no table in the bundle. Not for the login
 * triggers, which flag nothing.
 */

/** Scripts told apart; a letter of none of them counts as "Other". */
const SCRIPTS = [
  'Latin',
  'Greek',
  'Cyrillic',
  'Armenian',
  'Georgian',
  'Hebrew',
  'Arabic',
  'Syriac',
  'Thaana',
  'Devanagari',
  'Bengali',
  'Tamil',
  'Thai',
  'Ethiopic',
  'Cherokee',
  'Han',
  'Hiragana',
  'Katakana',
  'Bopomofo',
  'Hangul',
] as const;

const SCRIPT_PATTERNS = SCRIPTS.map(
  (script) => [script, new RegExp(`\\p{Script_Extensions=${script}}`, 'u')] as const,
);

/**
 * UTS #39 "highly restrictive": Latin may go with the scripts of Chinese, Japanese and Korean
 * writing, which mix them by nature.
 */
const ALLOWED_COMBINATIONS: readonly ReadonlySet<string>[] = [
  new Set(['Latin', 'Han', 'Hiragana', 'Katakana']),
  new Set(['Latin', 'Han', 'Bopomofo']),
  new Set(['Latin', 'Han', 'Hangul']),
];

const LETTER = /\p{L}/u;
const WORD_SEPARATOR = /[^\p{L}\p{M}]+/u;

function scriptsOf(letter: string): Set<string> {
  const found = new Set<string>();
  for (const [script, pattern] of SCRIPT_PATTERNS) if (pattern.test(letter)) found.add(script);
  if (found.size === 0) found.add('Other');
  return found;
}

/**
 * The scripts mixed inside one word of `text` (e.g. `['Latin', 'Cyrillic']`), or `undefined` when
 * every word keeps to one script (or to an allowed CJK combination). Characters shared by scripts
 * (Script_Extensions) go with either, as UTS #39 resolves them.
 */
export function mixedScripts(text: string): string[] | undefined {
  for (const word of text.normalize('NFC').split(WORD_SEPARATOR)) {
    let common: Set<string> | undefined;
    const seen = new Set<string>();
    for (const character of word) {
      if (!LETTER.test(character)) continue;
      const scripts = scriptsOf(character);
      for (const script of scripts) seen.add(script);
      common = common === undefined ? scripts : new Set([...common].filter((script) => scripts.has(script)));
    }
    if (common === undefined || common.size > 0) continue;
    if (ALLOWED_COMBINATIONS.some((allowed) => [...seen].every((script) => allowed.has(script)))) continue;
    const named: string[] = SCRIPTS.filter((script) => seen.has(script));
    return seen.has('Other') ? [...named, 'Other'] : named;
  }
  return undefined;
}

/** One reviewer flag: in this field, these scripts are mixed inside one word. */
export interface ScriptMixFlag {
  /** The field, as in the view (`name`, `familyName`, `address.street`…). */
  field: string;
  /** The scripts mixed, e.g. `['Latin', 'Cyrillic']`. */
  scripts: string[];
}

/** The flags of the named fields; fields that are absent or clean give none. */
export function scriptMixFlags(fields: Record<string, string | undefined>): ScriptMixFlag[] {
  const flags: ScriptMixFlag[] = [];
  for (const [field, value] of Object.entries(fields)) {
    const scripts = value === undefined ? undefined : mixedScripts(value);
    if (scripts) flags.push({ field, scripts });
  }
  return flags;
}
