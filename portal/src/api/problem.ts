/**
 * RFC 9457 problem details from the API, turned into what a person reads: a headline in their
 * language chosen by status, the service's own `detail` when it says more, and one message per
 * invalid field, addressed by the field's `path` (e.g. `address.postalCode`) so forms can mark it.
 */
import type { MessageKey, Translate } from '../i18n/i18n.ts';

/** One invalid input, as the API lists it in `errors`. */
export interface FieldProblem {
  path: string;
  message: string;
}

/** A problem+json body. */
export interface Problem {
  type: string;
  title: string;
  status: number;
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
        const { path, message } = entry as Record<string, unknown>;
        return typeof message === 'string' ? [{ path: typeof path === 'string' ? path : '', message }] : [];
      })
    : undefined;
  return {
    type: typeof record.type === 'string' ? record.type : 'about:blank',
    title: typeof record.title === 'string' ? record.title : '',
    status: typeof record.status === 'number' ? record.status : status,
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

/** Generic details that only repeat the headline (or would leak nothing useful). */
const UNINFORMATIVE_DETAIL =
  /^(internal server error|unauthorized|forbidden|not found|the request body is invalid\.?)$/i;

/**
 * The message for an error of an API call: a localized headline by status, the service's detail
 * unless it is generic or a 5xx, and the field problems.
 */
export function describeProblem(error: unknown, t: Translate): ProblemMessage {
  if (!(error instanceof ApiError)) return { headline: t('problem.network'), fields: [] };
  if (error.status === 0) return { headline: t('problem.network'), fields: [] };
  const { status, problem } = error;
  const key = HEADLINES[status];
  const headline = key ? t(key) : status >= 500 ? t('problem.500') : t('problem.other', { status });
  const detail = problem?.detail?.trim();
  const showDetail =
    status < 500 &&
    status !== 401 &&
    detail !== undefined &&
    detail !== '' &&
    !UNINFORMATIVE_DETAIL.test(detail);
  return {
    headline,
    ...(showDetail ? { detail: t('problem.detail', { detail }) } : {}),
    fields: problem?.errors ?? [],
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
 * `PreSignUp failed with error <message>. ` by Cognito; the person only needs `<message>`.
 */
export function loginErrorMessage(description: string | null): string {
  const text = (description ?? '').trim();
  const wrapped = /^\w+ failed with error (.*?)\.?$/s.exec(text);
  return (wrapped?.[1] ?? text).trim();
}
