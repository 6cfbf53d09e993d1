/**
 * fast-check arbitraries for fuzzing the HTTP API from its own route definitions: values that
 * satisfy a route's request schema (from `z.toJSONSchema`), the same values mutated the ways
 * clients and attackers get them wrong, hostile path parameters and query strings, and raw bodies
 * that are not JSON at all.
 */
import fc from 'fast-check';
import type { $ZodType } from 'zod/v4/core';
import { requestJsonSchema } from '#shared/http/handler';

type JsonSchema = Record<string, unknown>;

/** Strings that break parsers, keys, logs and terminals. */
export const HOSTILE_STRINGS: readonly string[] = [
  '',
  ' ',
  '#',
  'PK#x',
  'a#b',
  '/',
  '../..',
  '%2F',
  '%00',
  '\u0000',
  '\u202e\u2066evil\u2069',
  '\u200b',
  '\ud800',
  '\r\nSet-Cookie: x=y',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  `\${jndi:ldap://x}`,
  '__proto__',
  'constructor',
  'prototype',
  'null',
  'undefined',
  'NaN',
  '1e309',
  '-0',
  '0x10',
  '99999999999',
  '00000000000',
  '2024-02-30',
  '9999-12-31',
  '0000-00-00',
  'Ω≈ç√∫',
  '👩‍👩‍👧‍👦',
  'x'.repeat(5_000),
];

/** Numbers at the edges of what JSON and JavaScript represent. */
export const EDGE_NUMBERS: readonly number[] = [
  0,
  -0,
  -1,
  0.5,
  1e308,
  -1e308,
  5e-324,
  2 ** 53 + 1,
  Number.MAX_SAFE_INTEGER,
  Number.MIN_SAFE_INTEGER,
  10_485_761,
];

/** A string from a mix of hostile constants, control/bidi characters and random unicode. */
export function hostileString(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(...HOSTILE_STRINGS),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.string({
      unit: fc.constantFrom('\u0000', '\u0007', '\u001b', '\u007f', '\u202e', '\u2066', '\ufeff', 'a', '#'),
      maxLength: 20,
    }),
    fc.string({ maxLength: 300 }),
  );
}

/** Any JSON value, small. */
export function anyJson(): fc.Arbitrary<unknown> {
  return fc.jsonValue({ maxDepth: 3 });
}

/**
 * Values valid for a JSON Schema (the subset zod emits: objects, arrays, strings with pattern /
 * format / length, numbers with bounds, enums, consts, unions). Unknown constructs fall back to any
 * JSON, which is fine: the fuzz only needs many values near the valid ones.
 */
export function arbitraryFromJsonSchema(schema: JsonSchema, defs: JsonSchema = {}): fc.Arbitrary<unknown> {
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.split('/').at(-1) as string;
    const target = (defs as Record<string, JsonSchema>)[name];
    return target ? fc.constant(null).chain(() => arbitraryFromJsonSchema(target, defs)) : anyJson();
  }
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  const union = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (Array.isArray(union) && union.length > 0) {
    return fc.oneof(...union.map((member) => arbitraryFromJsonSchema(member, defs)));
  }
  if (Array.isArray(schema.allOf) && schema.allOf.length > 0) {
    return arbitraryFromJsonSchema(schema.allOf[0] as JsonSchema, defs);
  }
  switch (schema.type) {
    case 'object':
      return objectFromSchema(schema, defs);
    case 'array': {
      const items = (schema.items as JsonSchema | undefined) ?? {};
      return fc.array(arbitraryFromJsonSchema(items, defs), {
        minLength: Number(schema.minItems ?? 0),
        maxLength: Math.min(Number(schema.maxItems ?? 3), 3),
      });
    }
    case 'string':
      return stringFromSchema(schema);
    case 'integer':
      return fc.integer({
        min: Number(schema.minimum ?? schema.exclusiveMinimum ?? -1_000_000),
        max: Number(schema.maximum ?? schema.exclusiveMaximum ?? 1_000_000),
      });
    case 'number':
      return fc.double({
        min: Number(schema.minimum ?? -1_000_000),
        max: Number(schema.maximum ?? 1_000_000),
        noNaN: true,
      });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      return anyJson();
  }
}

function objectFromSchema(schema: JsonSchema, defs: JsonSchema): fc.Arbitrary<Record<string, unknown>> {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, property] of Object.entries(properties))
    model[name] = arbitraryFromJsonSchema(property, defs);
  if (Object.keys(model).length === 0) {
    return fc.dictionary(fc.string({ maxLength: 10 }), anyJson(), { maxKeys: 3 });
  }
  return fc.record(model, { requiredKeys: Object.keys(model).filter((name) => required.has(name)) });
}

const FORMATS: Record<string, () => fc.Arbitrary<string>> = {
  email: () => fc.emailAddress(),
  date: () =>
    fc
      .date({
        min: new Date('1900-01-01T00:00:00Z'),
        max: new Date('2030-12-31T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString().slice(0, 10)),
  'date-time': () =>
    fc
      .date({
        min: new Date('2000-01-01T00:00:00Z'),
        max: new Date('2035-12-31T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString()),
};

function stringFromSchema(schema: JsonSchema): fc.Arbitrary<string> {
  const format = typeof schema.format === 'string' ? FORMATS[schema.format] : undefined;
  if (format) return format();
  if (typeof schema.pattern === 'string') {
    try {
      return fc.stringMatching(new RegExp(schema.pattern)).filter((value) => value.length <= 2_000);
    } catch {
      // A pattern fast-check cannot invert: fall through to plain strings.
    }
  }
  const minLength = Number(schema.minLength ?? 0);
  const maxLength = Math.min(Number(schema.maxLength ?? 40), 200);
  return fc.string({ minLength, maxLength: Math.max(minLength, maxLength) });
}

/** How a near-valid object is broken. */
export type Mutation =
  | { kind: 'none' }
  | { kind: 'drop'; index: number }
  | { kind: 'wrong-type'; index: number; value: unknown }
  | { kind: 'oversize'; index: number; length: number }
  | { kind: 'hostile-string'; index: number; value: string }
  | { kind: 'date'; index: number; value: string }
  | { kind: 'number'; index: number; value: number }
  | { kind: 'unknown-field'; name: string; value: unknown }
  | { kind: 'pollution'; key: '__proto__' | 'constructor' | 'prototype' };

/** A mutation, with indices resolved against the object's keys at apply time. */
export function mutation(): fc.Arbitrary<Mutation> {
  const index = fc.nat(50);
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant({ kind: 'none' } as const) },
    fc.record({ kind: fc.constant('drop' as const), index }),
    fc.record({ kind: fc.constant('wrong-type' as const), index, value: anyJson() }),
    fc.record({
      kind: fc.constant('oversize' as const),
      index,
      length: fc.constantFrom(1_001, 10_000, 70_000),
    }),
    fc.record({ kind: fc.constant('hostile-string' as const), index, value: hostileString() }),
    fc.record({
      kind: fc.constant('date' as const),
      index,
      value: fc.constantFrom(
        '2024-02-30',
        '2023-13-01',
        '9999-12-31',
        '0000-00-00',
        '1899-12-31',
        '2100-01-01',
        '2025-1-1',
      ),
    }),
    fc.record({ kind: fc.constant('number' as const), index, value: fc.constantFrom(...EDGE_NUMBERS) }),
    fc.record({
      kind: fc.constant('unknown-field' as const),
      name: fc.string({ maxLength: 12 }),
      value: anyJson(),
    }),
    fc.record({
      kind: fc.constantFrom('pollution' as const),
      key: fc.constantFrom('__proto__', 'constructor', 'prototype'),
    }),
  ) as fc.Arbitrary<Mutation>;
}

/**
 * The JSON text of `value` broken by `m` (on a top-level or, for nested objects, a one-level-down
 * field). Prototype-pollution keys are written into the text, since `JSON.stringify` would drop them.
 */
export function applyMutation(value: unknown, m: Mutation): string {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return JSON.stringify(value);
  const copy = structuredClone(value) as Record<string, unknown>;
  const fields = leafFields(copy);
  const pick = (index: number) => fields[index % Math.max(fields.length, 1)];
  switch (m.kind) {
    case 'none':
      break;
    case 'drop': {
      const field = pick(m.index);
      if (field) delete field.holder[field.key];
      break;
    }
    case 'wrong-type': {
      const field = pick(m.index);
      if (field) field.holder[field.key] = m.value;
      break;
    }
    case 'oversize': {
      const field = pick(m.index);
      if (field) field.holder[field.key] = 'A'.repeat(m.length);
      break;
    }
    case 'hostile-string':
    case 'date': {
      const field = pick(m.index);
      if (field) field.holder[field.key] = m.value;
      break;
    }
    case 'number': {
      const field = pick(m.index);
      if (field) field.holder[field.key] = m.value;
      break;
    }
    case 'unknown-field':
      copy[m.name] = m.value;
      break;
    case 'pollution': {
      const text = JSON.stringify(copy);
      const injected = `"${m.key}":{"isAdmin":true,"status":500,"toString":"x"}`;
      return text === '{}' ? `{${injected}}` : `{${injected},${text.slice(1)}`;
    }
  }
  return JSON.stringify(copy);
}

function leafFields(root: Record<string, unknown>): { holder: Record<string, unknown>; key: string }[] {
  const fields: { holder: Record<string, unknown>; key: string }[] = [];
  for (const [key, inner] of Object.entries(root)) {
    fields.push({ holder: root, key });
    if (inner !== null && typeof inner === 'object' && !Array.isArray(inner)) {
      for (const innerKey of Object.keys(inner)) {
        fields.push({ holder: inner as Record<string, unknown>, key: innerKey });
      }
    }
  }
  return fields;
}

/** Near-valid JSON text for a request schema: a valid-looking value, then maybe broken. */
export function nearValidJson(schema: $ZodType): fc.Arbitrary<string> {
  const jsonSchema = requestJsonSchema(schema);
  const defs = (jsonSchema.$defs ?? jsonSchema.definitions ?? {}) as JsonSchema;
  return fc
    .tuple(arbitraryFromJsonSchema(jsonSchema, defs), mutation())
    .map(([value, m]) => applyMutation(value, m));
}

/** Values for a query or path object schema: valid-looking strings per property, maybe hostile. */
export function parameterValues(schema: $ZodType | undefined): fc.Arbitrary<Record<string, string>> {
  if (!schema) return fc.constant({});
  const jsonSchema = requestJsonSchema(schema);
  const properties = (jsonSchema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((jsonSchema.required ?? []) as string[]);
  const model: Record<string, fc.Arbitrary<string>> = {};
  for (const [name, property] of Object.entries(properties)) {
    model[name] = fc.oneof(
      { weight: 3, arbitrary: arbitraryFromJsonSchema(property).map((value) => String(value)) },
      { weight: 1, arbitrary: hostileString() },
    );
  }
  return fc.record(model, { requiredKeys: Object.keys(model).filter((name) => required.has(name)) });
}
