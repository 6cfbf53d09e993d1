/**
 * The Cognito Identity Provider API of the local pool, over HTTP as AWS serves it (JSON 1.1): `POST`
 * with `X-Amz-Target: AWSCognitoIdentityProviderService.<Action>` and
 * `Content-Type: application/x-amz-json-1.1`; errors `{ __type, message }` with `x-amzn-ErrorType`.
 * The SDK reaches it with `AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER=<base>/local/aws/cognito-idp`,
 * amazon-cognito-identity-js and browsers with that URL as `endpoint` (CORS is open, as Cognito's is).
 *
 * Admin actions need a SigV4 signature with the sandbox's credentials (service `cognito-idp`, the
 * pool's region); public actions are unsigned and authorised by client id, session or access token.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SigV4Rejection, type SigV4RejectionReason, verifySigV4 } from '#local/aws/sigv4';
import { AuthFlows } from './auth-flows.ts';
import { CognitoIdpError, type CognitoIdpErrorType } from './errors.ts';
import { Mfa } from './mfa.ts';
import { NativeState, type PoolAccess } from './native-state.ts';
import { Tokens } from './tokens.ts';
import { Users } from './users.ts';

/** Where the sandbox serves the API. */
export const COGNITO_IDP_PATH = '/local/aws/cognito-idp';

const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';
const MAX_BODY_BYTES = 256 * 1024;
const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'x-amzn-RequestId, x-amzn-ErrorType, x-amzn-ErrorMessage, Date',
};

/** Refused signatures as the API answers them (SigV4 with the body's hash, five minutes of skew). */
const MAX_SKEW_MS = 5 * 60 * 1000;
const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const signatureErrors = (
  region: string,
): Partial<Record<SigV4RejectionReason, [type: CognitoIdpErrorType, message: string]>> => ({
  missing: ['MissingAuthenticationTokenException', 'Missing Authentication Token'],
  malformed: [
    'InvalidSignatureException',
    'Authorization header requires existence of either a "X-Amz-Date" or a "Date" header.',
  ],
  'unknown-access-key': [
    'UnrecognizedClientException',
    'The security token included in the request is invalid.',
  ],
  'wrong-scope': [
    'InvalidSignatureException',
    `Credential should be scoped to a valid region and service (${region}/cognito-idp).`,
  ],
  'bad-date': ['InvalidSignatureException', 'The request date is missing or not valid.'],
  skewed: [
    'InvalidSignatureException',
    'Signature expired: the request time is too far from the server time.',
  ],
  'host-unsigned': ['InvalidSignatureException', "'Host' must be a 'SignedHeader' in the AWS Authorization."],
});

type Input = Record<string, unknown>;
type Action = (input: Input) => unknown;

/** Options of {@link CognitoIdpEndpoint}. */
export interface CognitoIdpEndpointOptions {
  /** The pool the native-user actions act on. */
  pool: PoolAccess;
  region: string;
  /** The credentials admin calls are signed with. */
  credentials: { accessKeyId: string; secretAccessKey: string };
  now: () => number;
}

/** The HTTP side of the API; {@link handle} answers under {@link COGNITO_IDP_PATH} only. */
export class CognitoIdpEndpoint {
  readonly #options: CognitoIdpEndpointOptions;
  readonly #admin: Record<string, Action>;
  readonly #public: Record<string, Action>;

  constructor(options: CognitoIdpEndpointOptions) {
    this.#options = options;
    const state = new NativeState(options.pool);
    const users = new Users(state);
    const tokens = new Tokens(state);
    const auth = new AuthFlows(state, tokens);
    const mfa = new Mfa(state);
    this.#admin = {
      AdminCreateUser: (input) => users.adminCreateUser(input),
      AdminGetUser: (input) => users.adminGetUser(input),
      AdminDeleteUser: (input) => users.adminDeleteUser(input),
      AdminDisableUser: (input) => users.adminSetEnabled(input, false),
      AdminEnableUser: (input) => users.adminSetEnabled(input, true),
      AdminAddUserToGroup: (input) => users.adminGroup(input, true),
      AdminRemoveUserFromGroup: (input) => users.adminGroup(input, false),
      AdminSetUserPassword: (input) => users.adminSetUserPassword(input),
      AdminUserGlobalSignOut: (input) => tokens.adminUserGlobalSignOut(input),
    };
    this.#public = {
      InitiateAuth: (input) => auth.initiateAuth(input),
      GetTokensFromRefreshToken: (input) => tokens.getTokensFromRefreshToken(input),
      RevokeToken: (input) => tokens.revokeToken(input),
      GlobalSignOut: (input) => tokens.globalSignOut(input),
      RespondToAuthChallenge: (input) => auth.respondToAuthChallenge(input),
      AssociateSoftwareToken: (input) => mfa.associateSoftwareToken(input),
      VerifySoftwareToken: (input) => mfa.verifySoftwareToken(input),
      SetUserMFAPreference: (input) => mfa.setUserMfaPreference(input),
      GetUser: (input) => users.getUser(input),
      UpdateUserAttributes: (input) => users.updateUserAttributes(input),
      ChangePassword: (input) => users.changePassword(input),
    };
  }

  /** Answers requests to {@link COGNITO_IDP_PATH}; resolves `false` for any other path. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = req.url ?? '/';
    const queryIndex = url.indexOf('?');
    const path = queryIndex < 0 ? url : url.slice(0, queryIndex);
    if (path !== COGNITO_IDP_PATH && path !== `${COGNITO_IDP_PATH}/`) return false;
    if (req.method === 'OPTIONS') {
      res.writeHead(200, {
        ...CORS_HEADERS,
        'access-control-allow-methods': 'POST',
        'access-control-allow-headers':
          req.headers['access-control-request-headers'] ??
          'content-type, x-amz-target, x-amz-user-agent, cache-control',
        'access-control-max-age': '86400',
      });
      res.end();
      return true;
    }
    try {
      if (req.method !== 'POST')
        throw new CognitoIdpError('UnknownOperationException', 'Only POST is supported.');
      const body = await readBody(req);
      const target = String(req.headers['x-amz-target'] ?? '');
      const action = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
      const admin = this.#admin[action];
      const handler = admin ?? this.#public[action];
      if (!handler) throw new CognitoIdpError('UnknownOperationException', `Unknown operation ${target}`);
      const contentType = String(req.headers['content-type'] ?? '');
      if (!contentType.startsWith('application/x-amz-json-1.1')) {
        throw new CognitoIdpError(
          'InvalidParameterException',
          'Content-Type must be application/x-amz-json-1.1.',
        );
      }
      if (admin)
        await this.#verifySignature(req, path, queryIndex < 0 ? '' : url.slice(queryIndex + 1), body);
      let input: unknown;
      try {
        input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
      } catch {
        throw new CognitoIdpError('InvalidParameterException', 'The request body is not valid JSON.');
      }
      if (input === null || typeof input !== 'object' || Array.isArray(input)) {
        throw new CognitoIdpError('InvalidParameterException', 'The request body must be a JSON object.');
      }
      const output = await handler(input as Input);
      send(res, 200, output ?? {});
    } catch (error) {
      const known = error instanceof CognitoIdpError ? error : undefined;
      if (!known) console.error('[local cognito-idp] unexpected error:', error);
      const rendered = known ?? new CognitoIdpError('InternalErrorException', 'Internal server error.');
      send(res, rendered.status, { __type: rendered.type, message: rendered.message }, rendered.type);
    }
    return true;
  }

  async #verifySignature(req: IncomingMessage, path: string, query: string, body: Buffer): Promise<void> {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
    }
    try {
      await verifySigV4(
        { method: req.method ?? 'POST', path, query, headers, body },
        {
          credentials: this.#options.credentials,
          region: this.#options.region,
          service: 'cognito-idp',
          now: new Date(this.#options.now()),
          maxSkewMs: MAX_SKEW_MS,
          payload: 'body',
          clockBeforeHost: true,
        },
      );
    } catch (error) {
      if (!(error instanceof SigV4Rejection)) throw error;
      const [type, message] = signatureErrors(this.#options.region)[error.reason] ?? [
        'InvalidSignatureException',
        SIGNATURE_MISMATCH,
      ];
      throw new CognitoIdpError(type, message);
    }
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES)
      throw new CognitoIdpError('InvalidParameterException', 'The request body is too large.');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, status: number, body: unknown, errorType?: string): void {
  res.writeHead(status, {
    ...CORS_HEADERS,
    'content-type': 'application/x-amz-json-1.1',
    'x-amzn-requestid': crypto.randomUUID(),
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  res.end(JSON.stringify(body));
}
