/**
 * Guards of issue 16 ("the portal renders its own translated sentence for every code"): the problem
 * codes, field-problem codes and login-refusal reasons the backend can send, the audit actions it
 * records and the platform's own reasons it stores, each collected from the backend's source, must
 * have a portal sentence in nl, fr and en. A new code without a sentence fails here, not in front
 * of a citizen.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS } from '#shared/audit';
import { translator } from '../../../portal/src/i18n/i18n.ts';
import { messages } from '../../../portal/src/i18n/messages.ts';
import { PLATFORM_REASON_PREFIXES, PLATFORM_REASONS, reasonText } from '../../../portal/src/reasons.ts';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const LANGUAGES = ['nl', 'fr', 'en'] as const;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

const read = (path: string) => ({ path, text: readFileSync(path, 'utf8') });
const lambdas = sourceFiles(join(ROOT, 'lambdas')).map(read);
/** The Lambda sources and the API Gateway's own responses (`lib/constructs/api.ts`). */
const backend = [...lambdas, read(join(ROOT, 'lib', 'constructs', 'api.ts'))];
const errorsSource = readFileSync(join(ROOT, 'lambdas', 'shared', 'errors.ts'), 'utf8');

/** The string literals of a union type alias in errors.ts (`export type Name = | 'a' | 'b';`). */
function unionMembers(name: string): string[] {
  const body = new RegExp(`export type ${name} =([^;]+);`).exec(errorsSource)?.[1] ?? '';
  return [...body.matchAll(/\|\s*'([a-z0-9.-]+)'/g)].map((match) => match[1] ?? '');
}

const FIELD_CODES = new Set(unionMembers('FieldProblemCode'));
const REFUSAL_REASONS = unionMembers('LoginRefusalReason');
/** zod's own issue code of refinements (`code: 'custom'`), not one of ours. */
const NOT_OURS = new Set(['custom']);
/**
 * Codes whose sentence is the portal's status headline on purpose: a server error says nothing
 * more than "something went wrong on our side" (`problem.500`), whatever caused it.
 */
const STATUS_HEADLINE_ONLY = new Set(['internal']);

/** Every problem code the API can answer: class defaults, throw sites, gateway responses. */
function problemCodes(): Map<string, string> {
  const found = new Map<string, string>();
  for (const { path, text } of backend) {
    const constants = new Map(
      [...text.matchAll(/const ([A-Z_]+) = '([a-z0-9-]+)';/g)].map((match) => [match[1], match[2]]),
    );
    const codes = [
      ...[...text.matchAll(/get defaultCode\(\): string \{\s*return '([a-z0-9-]+)'/g)].map((m) => m[1]),
      ...[...text.matchAll(/\bcode: '([a-z0-9.-]+)'/g)].map((m) => m[1]),
      ...[...text.matchAll(/\bcode: ([A-Z_]+)\b/g)].map((m) => constants.get(m[1] ?? '')),
    ];
    for (const code of codes) {
      if (code && !FIELD_CODES.has(code) && !NOT_OURS.has(code)) found.set(code, path);
    }
  }
  // The abstract base class's placeholder: every concrete error overrides it.
  found.delete('error');
  return found;
}

/** The platform's own sentences stored as a `reason` (audit entries, request histories, activity). */
function platformReasons(): string[] {
  const reasons = new Set<string>();
  for (const { text } of lambdas) {
    for (const match of text.matchAll(/\breason:\s*\n?\s*'([^']*\s[^']*)'/g)) reasons.add(match[1] ?? '');
    for (const match of text.matchAll(/\breason:\s*\n?\s*[^,}]*\?\s*'([^']+)'\s*:\s*'([^']+)'/g)) {
      reasons.add(match[1] ?? '');
      reasons.add(match[2] ?? '');
    }
  }
  return [...reasons].filter((reason) => reason.includes(' '));
}

const missingIn = (keys: readonly string[]) =>
  Object.fromEntries(
    LANGUAGES.map((language) => {
      const dictionary: Record<string, string | undefined> = messages[language];
      return [language, keys.filter((key) => !dictionary[key]?.trim())];
    }),
  );
const none = Object.fromEntries(LANGUAGES.map((language) => [language, []]));

describe('portal sentences for what the backend sends', () => {
  it('finds the problem codes of the class defaults, the throw sites and the gateway', () => {
    const codes = problemCodes();

    // The collector must see codes of each kind, or the guard below would pass on nothing.
    for (const code of [
      'not-found',
      'invalid-request',
      'pending-limit',
      'already-decided',
      'request-blocked',
    ]) {
      expect(codes.has(code), code).toBe(true);
    }
    expect(codes.has('required')).toBe(false);
  });

  it('has a sentence in nl, fr and en for every problem code the API can answer', () => {
    const keys = [...problemCodes().keys()]
      .filter((code) => !STATUS_HEADLINE_ONLY.has(code))
      .map((code) => `code.${code}`);

    expect(missingIn(keys)).toEqual(none);
  });

  it('has a sentence in nl, fr and en for every field-problem code', () => {
    expect(FIELD_CODES.size).toBeGreaterThan(30);

    expect(missingIn([...FIELD_CODES].map((code) => `fieldCode.${code}`))).toEqual(none);
  });

  it('has a sentence in nl, fr and en for every login refusal', () => {
    expect(REFUSAL_REASONS).toContain('refused-nationality');

    expect(missingIn(REFUSAL_REASONS.map((reason) => `refusal.${reason}`))).toEqual(none);
  });

  it('translates every audit action in nl, fr and en', () => {
    expect(missingIn(AUDIT_ACTIONS.map((action) => `audit.action.${action}`))).toEqual(none);
  });

  it("translates every reason the platform writes itself, so no English shows on another language's page", () => {
    const reasons = platformReasons();
    expect(reasons).toContain('The review could not be started.');

    // A literal that ends in a space is continued by what a person typed: it must be a known prefix.
    const unknown = reasons.filter((reason) =>
      reason.endsWith(' ')
        ? !PLATFORM_REASON_PREFIXES.some(({ prefix }) => prefix.startsWith(reason))
        : !(reason in PLATFORM_REASONS),
    );
    expect(unknown).toEqual([]);
    expect(
      missingIn([...Object.values(PLATFORM_REASONS), ...PLATFORM_REASON_PREFIXES.map(({ key }) => key)]),
    ).toEqual(none);
  });

  it("shows the reader's sentence for a platform reason and a typed reason as written", () => {
    const nl = translator('nl');
    const typed = 'Werkt niet meer bij ons sinds maart.';
    const prefix = PLATFORM_REASON_PREFIXES[0]?.prefix ?? '';

    expect(reasonText(nl, 'No decision was made in time.')).toBe(nl('reason.no-decision-in-time'));
    expect(reasonText(nl, typed)).toBe(typed);
    expect(reasonText(nl, `${prefix}twin brother, checked`)).toBe(
      nl('reason.documents-checked-duplicate', { note: 'twin brother, checked' }),
    );
  });
});
