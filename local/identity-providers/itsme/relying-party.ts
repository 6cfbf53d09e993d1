/**
 * Cognito's side of the itsme federation, as the sandbox's local Cognito needs it: what Cognito's OIDC
 * identity provider does with itsme (DOMAIN.md sections 4 and 7) — authorization request with the
 * configured scopes, code exchange with `client_secret_post`, ID token checks (JWS signature from the
 * JWKS, `iss`, `aud`, `exp`, `nonce`), userinfo as JSON, then the attribute mapping of
 * `itsmeAttributeMapping` into `custom:*` attributes under the username `itsme_<sub>`.
 */
import * as oidc from 'openid-client';
import {
  type CustomAttributeName,
  cognitoAttribute,
  customAttributes,
  ITSME_SCOPES,
  itsmeAttributeMapping,
  PROVIDER_NAMES,
} from '#identity/attribute-mapping';
import { UnauthorizedError } from '#shared/errors';
import { ITSME_ACR, serviceScope } from './claims.ts';

/** Cognito refuses attribute values longer than this, whatever the attribute's own limit. */
export const COGNITO_MAX_ATTRIBUTE_LENGTH = 2048;

/** Why Cognito's side refused an itsme login (stable, for tests and logs). */
export type ItsmeLoginRefusalReason =
  /** The authorization response carries an error (person cancelled, scope refused...). */
  | 'authorization-error'
  /** The token endpoint refused the code exchange (e.g. a wrong client secret). */
  | 'token-request'
  /** The authorization or token response failed a check: state, ID token signature, iss, aud, exp, nonce. */
  | 'invalid-response'
  /** The userinfo request failed or answered for another subject. */
  | 'userinfo'
  /** A mapped value is longer than the user pool attribute allows. */
  | 'attribute-too-long';

/**
 * An itsme login Cognito would refuse. The message is short and safe to show; `cause` keeps
 * openid-client's error with the details.
 */
export class ItsmeLoginError extends UnauthorizedError {
  readonly reason: ItsmeLoginRefusalReason;
  /** The OAuth `error` code when the provider sent one (`access_denied`, `invalid_client`...). */
  readonly oauthError: string | undefined;

  constructor(
    reason: ItsmeLoginRefusalReason,
    message: string,
    options: { cause?: unknown; oauthError?: string } = {},
  ) {
    super(message, { cause: options.cause });
    this.reason = reason;
    this.oauthError = options.oauthError;
  }
}

/** A `fetch` the client sends every request to the provider through (tests intercept with it). */
export type ProviderFetch = oidc.CustomFetch;

/** Configuration of {@link LocalItsmeClient}: what the user pool's itsme identity provider holds. */
export interface LocalItsmeClientOptions {
  /** The itsme issuer; the endpoints are discovered from `<issuer>/.well-known/openid-configuration`. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Cognito's `https://<domain>/oauth2/idpresponse`, or the sandbox's equivalent. */
  redirectUri: string;
  /** Requested as the `service:<code>` scope. */
  serviceCode: string;
  /** @default globalThis.fetch */
  fetch?: ProviderFetch;
}

/** The outcome of a federated itsme login, as Cognito would record the user. */
export interface ItsmeFederatedLogin {
  /** The itsme `sub`. */
  subject: string;
  /** Cognito's federated username `itsme_<sub>`. */
  userName: string;
  /** Mapped user attributes (`custom:*`), all strings. */
  attributes: Record<string, string>;
  /** The claims the attributes were mapped from: the ID token's, overridden by userinfo. */
  claims: Record<string, unknown>;
  /** The ID token itsme issued (compact JWS), for checks of its own. */
  idToken: string;
}

/** Parameters of one authorization request. */
export interface AuthorizationRequest {
  state: string;
  nonce: string;
  /**
   * Local automation: the account id (`sub`) of a registered test account. The local provider then
   * completes the login without showing its page. Real itsme ignores it; Cognito never sends it.
   */
  loginHint?: string;
  /** `acr_values`; Cognito sends none, so itsme applies `basic`. */
  acr?: keyof typeof ITSME_ACR;
}

/** The callback of the authorization response: the full redirect URL, or its query parameters. */
export type AuthorizationCallback = URL | string | URLSearchParams | Record<string, string>;

/** The OIDC relying party Cognito is towards itsme. Discovery happens once, on first use. */
export class LocalItsmeClient {
  readonly #options: LocalItsmeClientOptions;
  #configuration: Promise<oidc.Configuration> | undefined;

  constructor(options: LocalItsmeClientOptions) {
    this.#options = options;
  }

  /** Scopes in the order Cognito sends them (`openid service:<code> profile email phone address eid`). */
  get scopes(): string[] {
    const [openid, ...rest] = ITSME_SCOPES;
    return [openid, serviceScope(this.#options.serviceCode), ...rest];
  }

  /** The authorization request URL Cognito redirects the browser to. */
  async authorizationUrl(request: AuthorizationRequest): Promise<URL> {
    const configuration = await this.#configure();
    return oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: this.#options.redirectUri,
      response_type: 'code',
      scope: this.scopes.join(' '),
      state: request.state,
      nonce: request.nonce,
      ...(request.loginHint === undefined ? {} : { login_hint: request.loginHint }),
      ...(request.acr === undefined ? {} : { acr_values: ITSME_ACR[request.acr] }),
    });
  }

  /**
   * Handles the authorization response like Cognito's `/oauth2/idpresponse`.
   *
   * @throws ItsmeLoginError when the response carries an error, the state does not match, the token
   *   request is refused (wrong secret), the ID token fails a check (signature, `iss`, `aud`, `exp`,
   *   `nonce`), userinfo fails, or a mapped value is longer than Cognito accepts.
   */
  async completeLogin(
    callback: AuthorizationCallback,
    checks: { state: string; nonce: string },
  ): Promise<ItsmeFederatedLogin> {
    const configuration = await this.#configure();
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(configuration, this.#callbackUrl(callback), {
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      throw refusal(error);
    }
    const idTokenClaims = tokens.claims();
    if (!idTokenClaims || !tokens.id_token) {
      throw new ItsmeLoginError('invalid-response', 'itsme returned no ID token.');
    }
    let userinfo: oidc.UserInfoResponse;
    try {
      userinfo = await oidc.fetchUserInfo(configuration, tokens.access_token, idTokenClaims.sub);
    } catch (error) {
      throw new ItsmeLoginError('userinfo', 'The itsme userinfo request failed.', { cause: error });
    }
    const claims: Record<string, unknown> = { ...idTokenClaims, ...userinfo };
    return {
      subject: idTokenClaims.sub,
      userName: `${PROVIDER_NAMES.itsme}_${idTokenClaims.sub}`,
      attributes: mapItsmeClaimsToCognito(claims),
      claims,
      idToken: tokens.id_token,
    };
  }

  #callbackUrl(callback: AuthorizationCallback): URL {
    if (callback instanceof URL) return callback;
    if (typeof callback === 'string') return new URL(callback, this.#options.redirectUri);
    const url = new URL(this.#options.redirectUri);
    url.search = new URLSearchParams(callback).toString();
    return url;
  }

  #configure(): Promise<oidc.Configuration> {
    this.#configuration ??= this.#discover();
    // A failed discovery (provider not up yet) must not stick.
    this.#configuration.catch(() => {
      this.#configuration = undefined;
    });
    return this.#configuration;
  }

  async #discover(): Promise<oidc.Configuration> {
    const { issuer, clientId, clientSecret, fetch } = this.#options;
    const insecure = new URL(issuer).protocol === 'http:';
    return oidc.discovery(
      new URL(issuer),
      clientId,
      { client_secret: clientSecret, id_token_signed_response_alg: 'RS256' },
      oidc.ClientSecretPost(clientSecret),
      {
        ...(fetch ? { [oidc.customFetch]: fetch } : {}),
        execute: [
          // Cognito checks the ID token signature against the JWKS; openid-client only does when asked.
          oidc.enableNonRepudiationChecks,
          ...(insecure ? [oidc.allowInsecureRequests] : []),
        ],
      },
    );
  }
}

/** openid-client's failure of the code grant → the refusal Cognito would show. */
function refusal(error: unknown): ItsmeLoginError {
  if (error instanceof oidc.AuthorizationResponseError) {
    return new ItsmeLoginError('authorization-error', `itsme did not authorize the login (${error.error}).`, {
      cause: error,
      oauthError: error.error,
    });
  }
  if (error instanceof oidc.ResponseBodyError) {
    return new ItsmeLoginError('token-request', `itsme refused the token request (${error.error}).`, {
      cause: error,
      oauthError: error.error,
    });
  }
  return new ItsmeLoginError('invalid-response', 'The itsme response failed validation.', { cause: error });
}

/**
 * itsme claims → Cognito user attributes per `itsmeAttributeMapping`: strings as they are, objects
 * (the address) as JSON, numbers and booleans as text; absent or null claims map to nothing.
 *
 * @throws ItsmeLoginError (`attribute-too-long`) when a value is longer than the custom attribute
 *   allows (at most 2048 characters), which fails the login at Cognito too.
 */
export function mapItsmeClaimsToCognito(claims: Record<string, unknown>): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const [name, claim] of Object.entries(itsmeAttributeMapping) as [CustomAttributeName, string][]) {
    const value = claims[claim];
    if (value === undefined || value === null) continue;
    const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
    const limit = Math.min(customAttributes[name], COGNITO_MAX_ATTRIBUTE_LENGTH);
    if (text.length > limit) {
      throw new ItsmeLoginError(
        'attribute-too-long',
        `itsme sent a value longer than ${limit} characters for ${claim}.`,
      );
    }
    attributes[cognitoAttribute(name)] = text;
  }
  return attributes;
}
