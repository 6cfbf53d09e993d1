/**
 * The HTTP shapes both wallet-bridge functions speak (framework-free, so the Lambda handlers and the
 * sandbox serve the same code), and the small helpers their answers share.
 */
import { createHash, randomBytes } from 'node:crypto';

/** An HTTP request as the bridge reads it. Header names in lower case. */
export interface BridgeRequest {
  method: string;
  /** Path below the issuer, starting with `/`. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | undefined>;
  body: string;
}

/** An HTTP response. */
export interface BridgeResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A JSON answer that no cache keeps. */
export function json(status: number, body: unknown): BridgeResponse {
  return {
    status,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
    body: JSON.stringify(body),
  };
}

/** `url` with `params` set (undefined ones left out). */
export function withParams(url: string, params: Record<string, string | undefined>): string {
  const target = new URL(url);
  for (const [name, value] of Object.entries(params))
    if (value !== undefined) target.searchParams.set(name, value);
  return target.toString();
}

/** `bytes` random bytes, base64url. */
export function randomToken(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

/** SHA-256 of `value` (UTF-8), base64url: how codes and response codes are stored. */
export function sha256(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('base64url');
}

/** The path of a transaction's endpoint: `/<action>/<transaction id>`. */
export const TRANSACTION_PATH = /^\/(authorize|request|response|status)\/([A-Za-z0-9_-]{16,64})$/;
