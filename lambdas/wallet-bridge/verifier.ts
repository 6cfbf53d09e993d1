/**
 * The wallet bridge's verifier endpoint, `POST /response/{tx}` (ARCHITECTURE.md section 2a): the
 * wallet's `direct_post.jwt` answer, or the authorization page's Digital Credentials API answer
 * (`dc_api=1`), decrypted with the transaction's key, the PID verified (SD-JWT VC or ISO mdoc:
 * issuer chain, key binding over this request, validity, status list) and the outcome recorded once
 * → `{ redirect_uri }` to `/complete`.
 *
 * It is a function of its own in AWS (`WalletBridge/Verifier`, entry `verifier-handler.ts`, on the
 * HTTP API's `POST /response/{tx}` route): the only code that carries the PID verification libraries,
 * so the provider function that Cognito's token call waits on stays small. The sandbox hands it to
 * {@link WalletBridge} (`walletResponses`), so one process serves every path.
 */
import type { X509Certificate } from 'node:crypto';
import { OAuthError, PresentationRefusedError } from './errors.ts';
import {
  type BridgeRequest,
  type BridgeResponse,
  json,
  randomToken,
  sha256,
  TRANSACTION_PATH,
  withParams,
} from './http.ts';
import { verifyMdocPid } from './mdoc-pid.ts';
import { pidTokenClaims } from './pid-claims.ts';
import { verifySdJwtPid } from './sd-jwt-pid.ts';
import type { StatusListCache } from './status-list.ts';
import type { BridgeStore } from './store.ts';
import { decryptWalletResponse } from './wallet-response.ts';

/**
 * Refusals that show the answer was not made by this transaction's holder for this request: they
 * leave the transaction waiting (see `POST /response/{tx}`).
 */
const NOT_THIS_HOLDERS: ReadonlySet<PresentationRefusedError['reason']> = new Set([
  'invalid-response',
  'key-binding',
  'foreign-request',
]);

/** What the verifier needs. */
export interface VerifierOptions {
  /** The bridge's issuer URL, no trailing slash (the response URI and `/complete` are under it). */
  issuer: string;
  /** `x509_san_dns:<host>` or `x509_hash:<hash>` of the access certificate: the audience of key bindings. */
  verifierClientId: string;
  /** The stage's trusted PID providers. */
  trustAnchors: readonly X509Certificate[];
  store: BridgeStore;
  fetchStatusList(uri: string): Promise<string>;
  /** Verified status lists kept per their `ttl` (status-list.ts). @default none: every login fetches */
  statusListCache?: StatusListCache;
  now?: () => Date;
  /** Structured log of outcomes (no personal data). */
  log?: (message: string, attributes: Record<string, unknown>) => void;
}

/** Verifies wallet responses; see the module comment. */
export class WalletResponseVerifier {
  readonly #options: VerifierOptions;
  readonly #now: () => Date;

  constructor(options: VerifierOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => new Date());
  }

  /** The verifier function's whole API: `POST /response/{tx}`; any other request answers 404. */
  async handle(request: BridgeRequest): Promise<BridgeResponse> {
    const match = TRANSACTION_PATH.exec(request.path);
    if (request.method !== 'POST' || match?.[1] !== 'response' || !match[2]) {
      return json(404, { error: 'not_found' });
    }
    try {
      return await this.answer(request, match[2]);
    } catch (error) {
      if (error instanceof OAuthError) {
        return json(error.status, { error: error.error, error_description: error.description });
      }
      this.#log('wallet bridge request failed', {
        path: request.path,
        error: error instanceof Error ? error.name : 'unknown',
      });
      return json(500, { error: 'server_error' });
    }
  }

  /** Answers the wallet's response to transaction `transactionId`. */
  async answer(request: BridgeRequest, transactionId: string): Promise<BridgeResponse> {
    const { store } = this.#options;
    const transaction = await store.getTransaction(transactionId);
    if (transaction?.status !== 'pending') {
      this.#log('wallet response refused', { transactionId, reason: 'replay' });
      return json(400, {
        error: 'invalid_request',
        error_description: 'Unknown, expired or answered transaction.',
      });
    }
    const form = new URLSearchParams(request.body);
    const response = form.get('response');
    if (!response) return json(400, { error: 'invalid_request', error_description: 'response is required.' });
    // A Digital Credentials API answer carries no state: the transaction's own encryption key binds it.
    const digital = form.get('dc_api') === '1';

    let outcome:
      | { status: 'verified'; claims: Record<string, unknown>; responseCodeHash: string }
      | { status: 'failed'; refusal: PresentationRefusedError['reason'] };
    const responseCode = randomToken(32);
    try {
      const answer = await decryptWalletResponse(response, transaction.encryptionJwk);
      if (answer.state !== transactionId && !(digital && answer.state === undefined)) {
        throw new PresentationRefusedError('invalid-response', 'The response is for another transaction.');
      }
      if (answer.kind === 'error') {
        throw new PresentationRefusedError('wallet-error', `The wallet answered ${answer.error}.`);
      }
      const common = {
        nonce: transaction.nonce,
        clientId: this.#options.verifierClientId,
        trustAnchors: this.#options.trustAnchors,
        now: this.#now(),
        fetchStatusList: this.#options.fetchStatusList,
        statusListCache: this.#options.statusListCache,
      };
      const pid =
        answer.format === 'mso_mdoc'
          ? await verifyMdocPid(answer.presentation, {
              ...common,
              encryptionJwk: transaction.encryptionJwk,
              handover: digital
                ? { origin: new URL(this.#options.issuer).origin }
                : { responseUri: `${this.#options.issuer}/response/${transactionId}` },
            })
          : await verifySdJwtPid(answer.presentation, common);
      outcome = {
        status: 'verified',
        claims: { ...pidTokenClaims(pid.claims) },
        responseCodeHash: sha256(responseCode),
      };
    } catch (error) {
      if (!(error instanceof PresentationRefusedError)) throw error;
      // An answer that cannot be this transaction's holder's changes nothing: anyone who saw the
      // request (its QR code) can encrypt to its key, so an undecryptable answer, a presentation
      // without key binding, or one bound to another nonce or audience must not close the login the
      // person is making. The poster is told why (400); the transaction waits for its wallet.
      if (NOT_THIS_HOLDERS.has(error.reason)) {
        this.#log('wallet response refused', { transactionId, reason: error.reason });
        return json(400, { error: 'invalid_request', error_description: error.message });
      }
      outcome = { status: 'failed', refusal: error.reason };
    }
    if (!(await store.recordOutcome(transactionId, outcome))) {
      this.#log('wallet response refused', { transactionId, reason: 'replay' });
      return json(400, {
        error: 'invalid_request',
        error_description: 'The transaction was already answered.',
      });
    }
    this.#log(
      outcome.status === 'verified' ? 'wallet presentation verified' : 'wallet presentation refused',
      {
        transactionId,
        ...(outcome.status === 'failed' ? { reason: outcome.refusal } : {}),
      },
    );
    const completion = withParams(`${this.#options.issuer}/complete`, {
      tx: transactionId,
      ...(outcome.status === 'verified' ? { response_code: responseCode } : {}),
    });
    return json(200, { redirect_uri: completion });
  }

  #log(message: string, attributes: Record<string, unknown>): void {
    this.#options.log?.(message, attributes);
  }
}
