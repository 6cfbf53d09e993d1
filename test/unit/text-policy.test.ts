import { describe, expect, it } from 'vitest';
import { parseRegistryNumber } from '../../lambdas/organisations/organisation.ts';
import { parseInsz } from '../../lambdas/shared/belgian-ids.ts';
import { boundedString, emailSchema } from '../../lambdas/shared/http/schemas.ts';
import { cleanAsserted, isAcceptableEmail, readableTextProblem } from '../../lambdas/shared/text-policy.ts';

/** One class of characters, put into a value of each field kind. */
interface CharacterClass {
  label: string;
  /** Inserted into the middle of a word. */
  insert: string;
  /** What API text fields do (`ok` or the refusal code). */
  text: 'ok' | string;
  /** What names from an identity provider become: `kept` or `stripped`. */
  asserted: 'kept' | 'stripped' | 'cut';
  /** What an identifier field does: `ok`, or the refusal code. */
  identifier: 'ok' | string;
}

const CLASSES: CharacterClass[] = [
  { label: 'plain Latin letter', insert: 'e', text: 'ok', asserted: 'kept', identifier: 'ok' },
  {
    label: 'accented letter (NFC)',
    insert: 'é',
    text: 'ok',
    asserted: 'kept',
    identifier: 'identifier.foreign-character',
  },
  {
    label: 'Cyrillic А (looks Latin)',
    insert: 'А',
    text: 'ok',
    asserted: 'kept',
    identifier: 'identifier.foreign-character',
  },
  {
    label: 'Greek Ο (looks Latin)',
    insert: 'Ο',
    text: 'ok',
    asserted: 'kept',
    identifier: 'identifier.foreign-character',
  },
  {
    label: 'Arabic-Indic digit ٣',
    insert: '٣',
    text: 'ok',
    asserted: 'kept',
    identifier: 'identifier.foreign-character',
  },
  { label: 'fullwidth digit ３', insert: '３', text: 'ok', asserted: 'kept', identifier: 'ok' },
  {
    label: 'a C0 control (TAB)',
    insert: '\t',
    text: 'text.control-character',
    asserted: 'stripped',
    identifier: 'identifier.character',
  },
  {
    label: 'a C1 control (U+0085)',
    insert: '\u0085',
    text: 'text.control-character',
    asserted: 'stripped',
    identifier: 'identifier.character',
  },
  {
    label: 'right-to-left override U+202E',
    insert: '\u202E',
    text: 'text.format-character',
    asserted: 'stripped',
    identifier: 'identifier.character',
  },
  {
    label: 'first-strong isolate U+2068',
    insert: '\u2068',
    text: 'text.format-character',
    asserted: 'stripped',
    identifier: 'identifier.character',
  },
  {
    label: 'left-to-right mark U+200E',
    insert: '\u200E',
    text: 'text.format-character',
    asserted: 'stripped',
    identifier: 'identifier.character',
  },
  {
    label: 'Arabic letter mark U+061C',
    insert: '\u061C',
    text: 'text.format-character',
    asserted: 'stripped',
    identifier: 'identifier.character',
  },
  {
    label: 'zero-width space U+200B',
    insert: '\u200B',
    text: 'text.format-character',
    asserted: 'stripped',
    identifier: 'identifier.character',
  },
  {
    label: 'zero-width joiner U+200D',
    insert: '\u200D',
    text: 'text.format-character',
    asserted: 'stripped',
    identifier: 'identifier.character',
  },
  {
    label: 'byte order mark U+FEFF',
    insert: '\uFEFF',
    text: 'text.format-character',
    asserted: 'stripped',
    identifier: 'identifier.character',
  },
  {
    label: 'soft hyphen U+00AD',
    insert: '\u00AD',
    text: 'text.format-character',
    asserted: 'stripped',
    identifier: 'identifier.character',
  },
  {
    label: 'combining grapheme joiner U+034F',
    insert: '\u034F',
    text: 'text.format-character',
    asserted: 'stripped',
    identifier: 'identifier.character',
  },
  {
    label: 'Hangul filler U+3164',
    insert: '\u3164',
    text: 'text.format-character',
    asserted: 'stripped',
    identifier: 'identifier.foreign-character',
  },
  {
    label: 'tag letter U+E0041',
    insert: '\u{E0041}',
    text: 'text.format-character',
    asserted: 'stripped',
    identifier: 'identifier.character',
  },
  {
    label: 'variation selector U+FE0F',
    insert: '\uFE0F',
    text: 'text.format-character',
    asserted: 'stripped',
    identifier: 'identifier.character',
  },
  {
    label: 'lone high surrogate',
    insert: '\uD800',
    text: 'text.lone-surrogate',
    asserted: 'stripped',
    identifier: 'identifier.character',
  },
  {
    label: 'lone low surrogate',
    insert: '\uDC00',
    text: 'text.lone-surrogate',
    asserted: 'stripped',
    identifier: 'identifier.character',
  },
  {
    label: 'replacement character U+FFFD',
    insert: '\uFFFD',
    text: 'text.replacement-character',
    asserted: 'stripped',
    identifier: 'identifier.character',
  },
  {
    label: '3 combining marks',
    insert: '\u0336\u0337\u0338',
    text: 'ok',
    asserted: 'kept',
    identifier: 'identifier.character',
  },
  {
    label: '9 combining marks (over the name limit)',
    insert: '\u0336'.repeat(9),
    text: 'ok',
    asserted: 'cut',
    identifier: 'identifier.character',
  },
  {
    label: '31 combining marks (over the stream-safe limit)',
    insert: '\u0336'.repeat(31),
    text: 'text.combining-marks',
    asserted: 'cut',
    identifier: 'identifier.character',
  },
];

/** What a zod schema did with a value: the parsed value, or the codes of its problems. */
function outcome(schema: ReturnType<typeof boundedString>, value: string) {
  const result = schema.safeParse(value);
  if (result.success) return { ok: result.data };
  return {
    codes: result.error.issues.map((issue) => (issue as { params?: { code?: string } }).params?.code),
  };
}

describe('text policy', () => {
  describe.each(CLASSES)('$label', (cls) => {
    const value = `Sie${cls.insert}mens`;

    it('is accepted or refused with its code in a text field of the API', () => {
      const result = outcome(boundedString(1000), value);
      if (cls.text === 'ok') expect(result).toEqual({ ok: value.normalize('NFC') });
      else expect(result).toEqual({ codes: [cls.text] });
    });

    it('is refused in a name field of the API when the text field refuses it or it exceeds the name limit', () => {
      const result = outcome(boundedString(1000, { kind: 'name' }), value);
      const expected = cls.text !== 'ok' ? cls.text : cls.asserted === 'cut' ? 'text.combining-marks' : 'ok';
      if (expected === 'ok') expect(result).toEqual({ ok: value.normalize('NFC') });
      else expect(result).toEqual({ codes: [expected] });
    });

    it('never refuses a name asserted by an identity provider: stripped, cut or kept', () => {
      const cleaned = cleanAsserted(value);
      if (cls.asserted === 'kept') expect(cleaned).toEqual({ value: value.normalize('NFC'), changed: false });
      if (cls.asserted === 'stripped') expect(cleaned).toEqual({ value: 'Siemens', changed: true });
      if (cls.asserted === 'cut')
        expect(cleaned).toEqual({ value: `Sie${'\u0336'.repeat(8)}mens`, changed: true });
      // Whatever came in, what is stored passes the API's own text rules for names.
      expect(readableTextProblem(cleaned.value, { maxCombiningRun: 8 })).toBeUndefined();
    });

    it('is kept, mapped or refused (never dropped) in an identifier', () => {
      const result = parseRegistryNumber(`HRB 12${cls.insert}345`);
      if (cls.identifier === 'ok') {
        expect(result).toBe(`HRB12${cls.insert.normalize('NFKC').toUpperCase()}345`);
      } else {
        expect(result).toMatchObject({ code: cls.identifier });
      }
    });
  });

  it('says which character and what to do, without echoing the value', () => {
    const problem = readableTextProblem('Ann\u200Be Peeters');
    expect(problem).toEqual({
      code: 'text.format-character',
      message: expect.stringContaining('U+200B'),
      params: { codePoint: 'U+200B' },
    });
    expect(problem?.message).not.toContain('Peeters');
  });

  it('keeps whole names in other scripts, which are legitimate', () => {
    for (const name of ['Ελένη Παπαδοπούλου', 'Анна Иванова', 'محمد', '李小龍', 'Nguyễn Thị Minh Khai']) {
      expect(readableTextProblem(name, { maxCombiningRun: 8 })).toBeUndefined();
      expect(cleanAsserted(name)).toEqual({ value: name, changed: false });
    }
  });

  it('normalises input to NFC before storing it', () => {
    expect(boundedString(100).parse('Ame\u0301lie')).toBe('Amélie');
  });

  it('maps fullwidth digits in a national number and refuses digits of another script', () => {
    expect(parseInsz('８５０７３００３３２８').value).toBe('85073003328');
    expect(() => parseInsz('85073003٣28')).toThrow(/digit of another script \(U\+0663\)/);
  });

  it('accepts the same e-mail addresses in asserted data as in the API', () => {
    for (const address of [
      'anna@example.be',
      'a.b+c@mail.example.org',
      'ann\u200B@example.be',
      'anná@example.be',
      'a@b',
      `${'x'.repeat(250)}@a.be`,
    ]) {
      expect(isAcceptableEmail(address)).toBe(emailSchema.safeParse(address).success);
    }
    expect(isAcceptableEmail('ann\u200B@example.be')).toBe(false);
  });
});
