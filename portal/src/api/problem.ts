/**
 * RFC 9457 problem details from the API, turned into what a person reads: the portal's own sentence
 * for the problem's stable `code` (else a headline by status), and one sentence per invalid field,
 * chosen by its `code` and addressed by the field's `path` (e.g. `address.postalCode`) so forms can
 * mark it and name it as they label it. The API's wording is never shown.
 */
import { hasMessage, type MessageKey, type Translate } from '../i18n/i18n.ts';

/** Parameters of a field problem (`limit`, `allowed`, `field`). */
export type FieldParams = Readonly<Record<string, string | number | readonly string[]>>;

/** One invalid input, as the API lists it in `errors` (or as the browser-side checks find it). */
export interface FieldProblem {
  path: string;
  /** The sentence to show, in the reader's language. */
  message: string;
  code?: string;
  params?: FieldParams;
}

/** A problem+json body. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code?: string;
  detail?: string;
  errors?: FieldProblem[];
}

/** A failed API call: the HTTP status and the problem, or `undefined` for a network failure. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly problem: Problem | undefined,
    options?: { cause?: unknown },
  ) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`, options);
  }
}

/** Parses a response body as problem details; `undefined` when it is not one. */
export function parseProblem(body: unknown, status: number): Problem | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  if (typeof record.title !== 'string' && typeof record.detail !== 'string') return undefined;
  const errors = Array.isArray(record.errors)
    ? record.errors.flatMap((entry): FieldProblem[] => {
        if (typeof entry !== 'object' || entry === null) return [];
        const { path, message, code, params } = entry as Record<string, unknown>;
        if (typeof message !== 'string') return [];
        return [
          {
            path: typeof path === 'string' ? path : '',
            message,
            ...(typeof code === 'string' ? { code } : {}),
            ...(typeof params === 'object' && params !== null ? { params: params as FieldParams } : {}),
          },
        ];
      })
    : undefined;
  return {
    type: typeof record.type === 'string' ? record.type : 'about:blank',
    title: typeof record.title === 'string' ? record.title : '',
    status: typeof record.status === 'number' ? record.status : status,
    ...(typeof record.code === 'string' ? { code: record.code } : {}),
    ...(typeof record.detail === 'string' ? { detail: record.detail } : {}),
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
}

/** What an error summary shows. */
export interface ProblemMessage {
  /** The headline, in the reader's language. */
  headline: string;
  /** The service's explanation, when it adds something (business rules, conflicts). */
  detail?: string;
  /** Field messages, in the order the API gave them. */
  fields: FieldProblem[];
}

const HEADLINES: Readonly<Record<number, MessageKey>> = {
  400: 'problem.400',
  401: 'problem.401',
  403: 'problem.403',
  404: 'problem.404',
  409: 'problem.409',
  413: 'problem.413',
  415: 'problem.415',
  422: 'problem.422',
  429: 'problem.429',
};

/** The reader's sentence for a field problem's code (its parameters filled), or `undefined`. */
export function fieldSentence(
  t: Translate,
  code: string | undefined,
  params: FieldParams = {},
): string | undefined {
  if (!code) return undefined;
  const key = `fieldCode.${code}` as MessageKey;
  if (!hasMessage(key)) return undefined;
  const filled: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(params)) {
    filled[name] = Array.isArray(value) ? value.join(', ') : (value as string | number);
  }
  return t(key, filled);
}

/**
 * The message for an error of an API call: the portal's sentence for the problem's `code` (else a
 * headline by status), and the field problems with the portal's sentence for each code. The API's
 * `detail` is only a fallback for a code this portal does not know yet (it is written in the
 * reader's language: the client sends `Accept-Language`).
 */
export function describeProblem(error: unknown, t: Translate): ProblemMessage {
  if (!(error instanceof ApiError)) return { headline: t('problem.network'), fields: [] };
  if (error.status === 0) return { headline: t('problem.network'), fields: [] };
  const { status, problem } = error;
  const key = HEADLINES[status];
  const statusHeadline = key ? t(key) : status >= 500 ? t('problem.500') : t('problem.other', { status });
  const codeKey = problem?.code ? (`code.${problem.code}` as MessageKey) : undefined;
  const known = codeKey !== undefined && hasMessage(codeKey);
  const detail = problem?.detail?.trim();
  // A code the portal does not know: its headline by status, and the API's own sentence.
  const showDetail =
    !known &&
    problem?.code !== undefined &&
    status < 500 &&
    status !== 401 &&
    detail !== undefined &&
    detail !== '';
  return {
    headline: known && codeKey ? t(codeKey) : statusHeadline,
    ...(showDetail ? { detail } : {}),
    fields: (problem?.errors ?? []).map((field) => ({
      ...field,
      message: fieldSentence(t, field.code, field.params) ?? t('fieldCode.invalid'),
    })),
  };
}

/** The field problems of one form field (by exact path or a nested path below it). */
export function problemsFor(message: ProblemMessage | undefined, path: string): FieldProblem[] {
  if (!message) return [];
  return message.fields.filter((field) => field.path === path || field.path.startsWith(`${path}.`));
}

/** The id of the form control for an API path: `address.postalCode` → `field-address-postalCode`. */
export const fieldId = (path: string): string => `field-${path.replace(/[^A-Za-z0-9_-]+/g, '-')}`;

/**
 * Cognito's redirect error description, readable: a refusing trigger's message is wrapped as
 * `PreSignUp failed with error [<code>] <message>. ` by Cognito; the person only needs `<message>`.
 */
export function loginErrorMessage(description: string | null): string {
  const text = (description ?? '').trim();
  const wrapped = /^\w+ failed with error (.*?)\.?$/s.exec(text);
  return (wrapped?.[1] ?? text).replace(/^\[[a-z0-9-]+\]\s*/, '').trim();
}

/** The stable code of a refused login (`[refused-nationality]` in Cognito's description), if any. */
export function loginRefusalCode(description: string | null): string | undefined {
  return /\[([a-z0-9]+(?:-[a-z0-9]+)*)\]/.exec(description ?? '')?.[1];
}
