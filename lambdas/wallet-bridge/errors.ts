/**
 * Why the wallet bridge refuses a presentation. Every reason has a message in each language of the
 * authorization page (messages.ts) that tells the person what to do; the reason itself is stable for
 * tests, logs and the sandbox's problem+json `type`.
 */
export type PresentationRefusalReason =
  /** The response could not be decrypted or parsed, or is for another transaction. */
  | 'invalid-response'
  /** The wallet declined or could not answer (OpenID4VP error response). */
  | 'wallet-error'
  /** The issuer's certificate chain does not lead to a configured trust anchor. */
  | 'untrusted-issuer'
  /** The issuer's signature over the credential does not verify. */
  | 'invalid-signature'
  /** A disclosure was altered, added or repeated. */
  | 'tampered-disclosure'
  /** No key binding (KB-JWT or mdoc device authentication), or one that does not verify or is stale. */
  | 'key-binding'
  /**
   * The key binding was made for another request: a foreign nonce or audience (KB-JWT), or a device
   * signature over another SessionTranscript (mdoc); also a completion from another browser.
   */
  | 'foreign-request'
  /** The credential is not yet valid or has expired. */
  | 'expired'
  /** The status list marks the credential revoked or suspended, or could not be checked. */
  | 'revoked'
  /** Not a PID (wrong `vct` or format). */
  | 'not-a-pid'
  /** A claim the login needs was not disclosed. */
  | 'missing-claim'
  /** The PID carries no personal administrative number (see docs/operations.md). */
  | 'no-administrative-number'
  /** The transaction is unknown, expired or already answered (replay). */
  | 'replay';

/** Every refusal reason, in the order the pages and tests list them. */
export const PRESENTATION_REFUSAL_REASONS = [
  'invalid-response',
  'wallet-error',
  'untrusted-issuer',
  'invalid-signature',
  'tampered-disclosure',
  'key-binding',
  'foreign-request',
  'expired',
  'revoked',
  'not-a-pid',
  'missing-claim',
  'no-administrative-number',
  'replay',
] as const satisfies readonly PresentationRefusalReason[];

/** A presentation the bridge refuses; `message` is English, the pages translate by `reason`. */
export class PresentationRefusedError extends Error {
  readonly reason: PresentationRefusalReason;

  constructor(reason: PresentationRefusalReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PresentationRefusedError';
    this.reason = reason;
  }
}

/** An OAuth/OIDC protocol error towards Cognito (RFC 6749 section 5.2). */
export class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly status = 400,
  ) {
    super(description);
    this.name = 'OAuthError';
  }
}

/**
 * A bridge secret the bridge will not start with (docs/operations.md, "Wallet bridge"). The message
 * names the field and what is wrong with it, never the secret's content, so it may be logged.
 */
export class BridgeSecretError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BridgeSecretError';
  }
}
