/**
 * The resume token of the one-off, page-by-page migrations (bin/migrate-representatives.ts,
 * bin/migrate-administrators.ts): the Scan's `LastEvaluatedKey` (PK and SK only) as base64url JSON,
 * printed after each page so a run that stopped continues where it stopped.
 */

/** Encodes a Scan's `LastEvaluatedKey`. */
export function encodeResumeToken(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify({ PK: key.PK, SK: key.SK })).toString('base64url');
}

/** The inverse of {@link encodeResumeToken}; throws on anything else. */
export function decodeResumeToken(token: string): { PK: string; SK: string } {
  const key = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
  if (
    key === null ||
    typeof key !== 'object' ||
    typeof (key as { PK?: unknown }).PK !== 'string' ||
    typeof (key as { SK?: unknown }).SK !== 'string'
  ) {
    throw new Error('Invalid resume token');
  }
  return { PK: (key as { PK: string }).PK, SK: (key as { SK: string }).SK };
}
