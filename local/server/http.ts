/** Small node:http helpers shared by the sandbox's endpoints. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BASE_RESPONSE_HEADERS, PROBLEM_CONTENT_TYPE, type Problem, toProblem } from '#shared/http/problem';

/** The request body was larger than allowed; nothing of it is kept. */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`The request body is larger than ${limit} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/**
 * Reads the whole body, refusing (after draining, so the client sees the answer) more than `limit`
 * bytes.
 * @throws BodyTooLargeError
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = Number.isFinite(declared) && declared > limit;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) tooLarge = true;
    if (!tooLarge) chunks.push(chunk as Buffer);
  }
  if (tooLarge) throw new BodyTooLargeError(limit);
  return Buffer.concat(chunks);
}

/** Sends a JSON body. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...BASE_RESPONSE_HEADERS,
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

/** Sends a problem document (RFC 9457). */
export function sendProblem(
  res: ServerResponse,
  problem: Problem | (Omit<Problem, 'code'> & { code?: string } & Record<string, unknown>),
): void {
  // Sandbox-only endpoints name no specific code: the generic one of the status, as the API's.
  const code =
    problem.code ?? (problem.status >= 500 ? 'internal' : problem.status === 404 ? 'not-found' : 'error');
  sendJson(res, problem.status, { ...problem, code }, { 'Content-Type': PROBLEM_CONTENT_TYPE });
}

/** Sends any thrown value as the problem the platform's HTTP layer would render for it. */
export function sendError(res: ServerResponse, error: unknown): void {
  sendProblem(res, toProblem(error));
}

/** Sends an HTML page. */
export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
  });
  res.end(html);
}
