/**
 * Redaction of personal data and secrets before anything is logged. National numbers (INSZ: 11
 * digits, with or without separators), JWTs and Step Functions task tokens must never reach a log.
 */

const INSZ_PATTERN = /\b\d{2}[.\s]?\d{2}[.\s]?\d{2}[-.\s]?\d{3}[.\s]?\d{2}\b/g;
const JWT_PATTERN = /\beyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]*/g;
/** Keys whose values are secrets or personal data whatever they look like. */
const SENSITIVE_KEYS =
  /^(authorization|cookie|.*token.*|.*password.*|.*secret.*|insz|nationalnumber|national_number|custom:national_number|bisnumber|eidas_person_id|custom:eidas_person_id)$/i;

export const REDACTED = '[redacted]';

/** Redacts identifiers and tokens inside a string. */
export function redactString(value: string): string {
  return value.replace(JWT_PATTERN, REDACTED).replace(INSZ_PATTERN, REDACTED);
}

/** Deep copy of `value` with sensitive keys and sensitive-looking strings redacted. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 12) return REDACTED;
  if (typeof value === 'string') return redactString(value);
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  if (value instanceof Error) {
    return { name: value.name, message: redactString(value.message) };
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      out[key] = SENSITIVE_KEYS.test(key) ? REDACTED : redact(inner, depth + 1);
    }
    return out;
  }
  return value;
}
